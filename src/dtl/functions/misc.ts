// Misc functions (dtl-functions-misc.rst): hash128 and tuples. (literal, is-changed and completeness need the
// scope and are special forms in the compiler.)
import { Bytes, normInt, type DtlValue } from '../values.js';
import { DROP, first, mapValues } from './helpers.js';
import { asList } from './lists.js';
import { defineFunctions, valueArg } from './registry.js';

const MASK64 = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & MASK64;

function fmix(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK64;
  k ^= k >> 33n;
  return k;
}

function readLE(data: Uint8Array, offset: number, length: number): bigint {
  let v = 0n;
  for (let i = length - 1; i >= 0; i--) v = (v << 8n) | BigInt(data[offset + i]!);
  return v;
}

/** MurmurHash3 x64_128; the result is the unsigned 128-bit integer h2 << 64 | h1 (as Python's mmh3.hash128). */
export function murmur3x64_128(data: Uint8Array, seed: bigint): bigint {
  let h1 = seed & MASK64;
  let h2 = seed & MASK64;
  const blocks = Math.floor(data.length / 16);
  for (let i = 0; i < blocks; i++) {
    let k1 = readLE(data, i * 16, 8);
    let k2 = readLE(data, i * 16 + 8, 8);
    k1 = (k1 * C1) & MASK64;
    k1 = rotl(k1, 31n);
    k1 = (k1 * C2) & MASK64;
    h1 ^= k1;
    h1 = rotl(h1, 27n);
    h1 = (h1 + h2) & MASK64;
    h1 = (h1 * 5n + 0x52dce729n) & MASK64;
    k2 = (k2 * C2) & MASK64;
    k2 = rotl(k2, 33n);
    k2 = (k2 * C1) & MASK64;
    h2 ^= k2;
    h2 = rotl(h2, 31n);
    h2 = (h2 + h1) & MASK64;
    h2 = (h2 * 5n + 0x38495ab5n) & MASK64;
  }
  const tail = blocks * 16;
  const rest = data.length - tail;
  if (rest > 8) {
    let k2 = readLE(data, tail + 8, rest - 8);
    k2 = (k2 * C2) & MASK64;
    k2 = rotl(k2, 33n);
    k2 = (k2 * C1) & MASK64;
    h2 ^= k2;
  }
  if (rest > 0) {
    let k1 = readLE(data, tail, Math.min(rest, 8));
    k1 = (k1 * C1) & MASK64;
    k1 = rotl(k1, 31n);
    k1 = (k1 * C2) & MASK64;
    h1 ^= k1;
  }
  const len = BigInt(data.length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) & MASK64;
  h2 = (h2 + h1) & MASK64;
  return (h2 << 64n) | h1;
}

const encoder = new TextEncoder();

defineFunctions([
  {
    name: 'hash128',
    category: 'misc',
    min: 2,
    max: 3,
    validate: (raw) =>
      typeof raw[0] === 'string' && raw[0] !== 'murmur3'
        ? `unsupported hash algorithm '${raw[0]}' (only "murmur3")`
        : undefined,
    call: (args) => {
      const algorithm = first(valueArg(args, 0));
      if (algorithm !== 'murmur3') return null;
      const seedValue = args.length === 3 ? first(valueArg(args, 1)) : 0;
      if (typeof seedValue !== 'number' && typeof seedValue !== 'bigint') return null;
      const seed = BigInt(seedValue) & 0xffffffffn;
      return mapValues(valueArg(args, args.length - 1), (v) => {
        if (typeof v === 'string') return normInt(murmur3x64_128(encoder.encode(v), seed));
        if (v instanceof Bytes) return normInt(murmur3x64_128(v.value, seed));
        return DROP;
      });
    },
  },
  {
    name: 'tuples',
    category: 'misc',
    min: 0,
    max: Infinity,
    call: (args) => {
      if (args.length === 0) return [];
      let out: DtlValue[][] = [[]];
      for (let i = 0; i < args.length; i++) {
        const values = asList(valueArg(args, i)).filter((v) => v !== null);
        const next: DtlValue[][] = [];
        for (const prefix of out) for (const v of values) next.push([...prefix, v]);
        out = next;
      }
      return out;
    },
  },
]);
