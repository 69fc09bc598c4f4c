// What a reader of the lossless JSON model can tell apart, for tests that compare two ways of producing a value.
import { JsonFloat, objectKeys, type JsonValue } from '../../src/format/json.js';

/** Type, value and key order, recursively. */
export function shape(v: JsonValue): unknown {
  if (v instanceof JsonFloat) return ['float', Object.is(v.value, -0) ? '-0' : String(v.value)];
  if (typeof v === 'bigint') return ['bigint', v.toString()];
  if (typeof v === 'number') return ['int', Object.is(v, -0) ? '-0' : String(v)];
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object') return objectKeys(v).map((k) => [k, shape(v[k]!)]);
  return v;
}
