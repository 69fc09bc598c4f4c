// Seeded random values for property and fuzz tests (deterministic: mulberry32).
import { JsonFloat } from '../../src/format/json.js';
import { Bytes, DateTime, Decimal, Ni, Uri, Uuid, type DtlValue } from '../../src/dtl/values.js';

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

const STRINGS = ['', 'a', 'B', 'abc', 'ä', '😀', 'x:y', '~not-transit', '0x1f', '12', 'true'];

export function randomValue(r: () => number, depth = 0): DtlValue {
  const kind = Math.floor(r() * (depth > 2 ? 11 : 13));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return Math.floor((r() - 0.5) * 200);
    case 3:
      return BigInt(Math.floor(r() * 1e6)) * 10n ** 15n * (r() < 0.5 ? -1n : 1n);
    case 4:
      return new JsonFloat(pick(r, [0.5, -2.25, 1e-7, 3.0, 1e300, -0.0, 7.1]));
    case 5:
      return Decimal.parse(pick(r, ['1.50', '-0.001', '3', '12345678901234567890.5', '0.5']))!;
    case 6:
      return pick(r, STRINGS);
    case 7:
      return DateTime.fromNanos(BigInt(Math.floor((r() - 0.5) * 4e9)) * 1_000_000_123n, r() < 0.2)!;
    case 8:
      return new Ni(pick(r, ['', 'foo', 'a:b']), pick(r, ['x', 'y', '1']));
    case 9:
      return new Uri(pick(r, ['http://a/', 'urn:x', 'tel:+47']));
    case 10:
      return pick(r, [
        new Uuid('9f598f65-eea5-4906-a8f5-82f6d8e69726'),
        new Bytes(new Uint8Array([1, 2, 255])),
        new Bytes(new Uint8Array([])),
      ]);
    case 11: {
      const n = Math.floor(r() * 4);
      return Array.from({ length: n }, () => randomValue(r, depth + 1));
    }
    default: {
      const out: Record<string, DtlValue> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++) out[pick(r, ['a', 'b', '_id', 'ns:c', '~t'])] = randomValue(r, depth + 1);
      return out;
    }
  }
}
