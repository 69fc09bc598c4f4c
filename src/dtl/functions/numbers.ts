// Number casts and tests (dtl-functions-numbers.rst): integer, float, decimal, hex, is-integer, is-float,
// is-decimal. "0x…" strings are two's-complement hex ("0xff" → -1, "0x00ff" → 255).
import { JsonFloat } from '../../format/json.js';
import { Decimal, isInt, normInt, type DtlValue } from '../values.js';
import { castFunction } from './casts.js';
import { DROP, mapValues, typeTest } from './helpers.js';
import { defineFunctions, valueArg } from './registry.js';

/** Two's-complement hex text ("0x…") as an integer; undefined when not hex. */
export function parseHexInt(text: string): bigint | undefined {
  const m = /^\s*0[xX]([0-9a-fA-F]+)\s*$/.exec(text);
  if (!m) return undefined;
  const digits = m[1]!;
  const value = BigInt(`0x${digits}`);
  const negative = parseInt(digits[0]!, 16) >= 8;
  return negative ? value - (1n << BigInt(4 * digits.length)) : value;
}

/** Minimal two's-complement bytes of an integer as "0x…" (1 → "0x01", 255 → "0x00ff", -1 → "0xff"). */
export function toHex(n: bigint): string {
  let bytes = 1;
  for (;;) {
    const bits = BigInt(8 * bytes);
    const min = -(1n << (bits - 1n));
    const max = (1n << (bits - 1n)) - 1n;
    if (n >= min && n <= max) break;
    bytes++;
  }
  const bits = BigInt(8 * bytes);
  const unsigned = n < 0n ? (1n << bits) + n : n;
  return `0x${unsigned.toString(16).padStart(2 * bytes, '0')}`;
}

const INT_TEXT = /^\s*[+-]?\d+(_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?((\d+(_\d+)*)?\.?\d+(_\d+)*([eE][+-]?\d+)?|\d+\.([eE][+-]?\d+)?|inf(inity)?|nan)\s*$/i;

export function toInteger(v: DtlValue): DtlValue | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (v instanceof JsonFloat) return Number.isFinite(v.value) ? normInt(BigInt(Math.trunc(v.value))) : undefined;
  if (v instanceof Decimal) return normInt(v.trunc());
  if (typeof v === 'string') {
    if (INT_TEXT.test(v)) {
      const t = v.trim();
      if (t.length < 16 && !t.includes('_')) return Number(t) || 0;
      return normInt(BigInt(t.replace(/_/g, '')));
    }
    const hex = parseHexInt(v);
    return hex === undefined ? undefined : normInt(hex);
  }
  return undefined;
}

export function toFloatValue(v: DtlValue): DtlValue | undefined {
  if (typeof v === 'number') return new JsonFloat(v);
  if (typeof v === 'bigint') return new JsonFloat(Number(v));
  if (v instanceof JsonFloat) return v;
  if (v instanceof Decimal) return new JsonFloat(v.toNumber());
  if (typeof v === 'string' && FLOAT_TEXT.test(v)) {
    const t = v.trim().replace(/_/g, '').toLowerCase();
    if (t.endsWith('inf') || t.endsWith('infinity')) return new JsonFloat(t.startsWith('-') ? -Infinity : Infinity);
    if (t.endsWith('nan')) return new JsonFloat(NaN);
    return new JsonFloat(Number(t));
  }
  return undefined;
}

export function toDecimalValue(v: DtlValue): DtlValue | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return Decimal.fromInt(v);
  if (v instanceof JsonFloat) return Decimal.fromFloat(v.value);
  if (v instanceof Decimal) return v;
  if (typeof v === 'string') return Decimal.parse(v.replace(/_/g, ''));
  return undefined;
}

defineFunctions([
  castFunction('integer', 'numbers', toInteger),
  castFunction('float', 'numbers', toFloatValue),
  castFunction('decimal', 'numbers', toDecimalValue),
  {
    name: 'hex',
    category: 'numbers',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), (v) => (isInt(v) ? toHex(BigInt(v)) : DROP)),
  },
  typeTest('is-integer', 'numbers', isInt),
  typeTest('is-float', 'numbers', (v) => v instanceof JsonFloat),
  typeTest('is-decimal', 'numbers', (v) => v instanceof Decimal),
]);
