// Shared helpers for function modules: the documented list-mapping and type-dropping rules.
import { stringifyJson } from '../../format/json.js';
import { encodeTransit, firstValue as first, type DtlValue } from '../values.js';
import { valueArg, type DtlFunction } from './registry.js';

/** Returned by a mapper to drop the element (wrong type, failed cast). */
export const DROP: unique symbol = Symbol('drop');
export type Mapped = DtlValue | typeof DROP;

/**
 * Map-style application: a list maps element-wise (dropped elements vanish), a scalar maps to a scalar (a dropped
 * scalar gives null), null stays null unless `mapNull` is set.
 */
export function mapValues(values: DtlValue, fn: (v: DtlValue) => Mapped, mapNull = false): DtlValue {
  if (Array.isArray(values)) {
    const out: DtlValue[] = [];
    for (const v of values) {
      const r = fn(v);
      if (r !== DROP) out.push(r);
    }
    return out;
  }
  if (values === null && !mapNull) return null;
  const r = fn(values);
  return r === DROP ? null : r;
}

/** Flatten one level: lists contribute their elements, null nothing, scalars themselves. */
export function flattenOnce(values: readonly DtlValue[]): DtlValue[] {
  const out: DtlValue[] = [];
  for (const v of values) {
    if (Array.isArray(v)) for (const x of v) out.push(x);
    else if (v !== null) out.push(v);
  }
  return out;
}

/** First value of a possibly-list argument (lists give their first element or null). */
export { firstValue as first } from '../values.js';

/** A constant string argument (first value), or undefined when it is not a string. */
export function stringArg(v: DtlValue): string | undefined {
  const f = first(v);
  return typeof f === 'string' ? f : undefined;
}

/** An integer argument (first value) as a JS number, or undefined. */
export function intArg(v: DtlValue): number | undefined {
  const f = first(v);
  if (typeof f === 'number' && Number.isInteger(f)) return f;
  if (typeof f === 'bigint') return Number(f);
  return undefined;
}

/** A value as it reads in an error message: transit-encoded JSON (big integers and typed values included). */
export function showValue(v: DtlValue): string {
  return stringifyJson(encodeTransit(v));
}

/** A type test (`is-string`, `is-ni`, …): looks at the value or, for a list, its first element (dtl.md §5). */
export function typeTest(name: string, category: string, test: (value: DtlValue) => boolean): DtlFunction {
  return { name, category, min: 1, max: 1, call: (args) => test(first(valueArg(args, 0))) };
}
