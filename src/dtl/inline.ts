// Inline fast paths for common functions at generated call sites (compiler.ts). A fast path is a guard over the
// already evaluated argument locals (a0, a1, …) plus an expression that computes exactly what the registered
// function's `call` returns for arguments passing the guard; the expression may give `undefined` to decline (an
// int overflowing to bigint, say). Anything else falls through to the generic call with the same values, so the
// registry stays the single definition of every function's semantics and the fast path only skips the argument
// array, list coercion and the type dispatch for the usual types. test/dtl/inline.test.ts checks every fast path
// against the generic call.
import { compareCodePoints } from '../format/json.js';
import { roundNumber } from './functions/math.js';
import { JsonFloat, Ni, type DtlValue } from './values.js';

export interface FastPath {
  /** JS condition over the argument locals; 'true' when the expression handles every value. */
  guard: string;
  /** JS expression giving the result, or `undefined` to fall back to the generic call. */
  expr: string;
}

/** Builds the fast path for `n` arguments named `a`; undefined when there is none for this arity. */
type Inliner = (a: readonly string[]) => FastPath | undefined;

const isStr = (x: string) => `typeof ${x} === 'string'`;
const isNum = (x: string) => `typeof ${x} === 'number'`;
const both = (a: readonly string[], test: (x: string) => string) => `${test(a[0]!)} && ${test(a[1]!)}`;

/** gt/gte/lt/lte on two ints or two strings: the compareValues result `c` tested as the registry's `ok(c)` does. */
function comparison(numeric: (a: string, b: string) => string, ok: string): Inliner {
  return (a) => {
    if (a.length !== 2) return undefined;
    const [x, y] = a as [string, string];
    return {
      guard: `(${both(a, isNum)}) || (${both(a, isStr)})`,
      expr: `${isNum(x)} ? ${numeric(x, y)} : H.cmpStr(${x}, ${y}) ${ok}`,
    };
  };
}

function arithmetic(helper: string): Inliner {
  return (a) => (a.length === 2 ? { guard: both(a, isNum), expr: `H.${helper}(${a[0]}, ${a[1]})` } : undefined);
}

export const INLINE: Readonly<Record<string, Inliner>> = {
  upper: (a) => (a.length === 1 ? { guard: isStr(a[0]!), expr: `${a[0]}.toUpperCase()` } : undefined),
  lower: (a) => (a.length === 1 ? { guard: isStr(a[0]!), expr: `${a[0]}.toLowerCase()` } : undefined),
  concat: (a) => ({ guard: a.map(isStr).join(' && '), expr: a.join(' + ') }),
  join: (a) => (a.length === 2 ? { guard: isStr(a[0]!), expr: `H.joinStrings(${a[0]}, ${a[1]})` } : undefined),
  substring: (a) =>
    a.length === 3
      ? {
          guard: `H.isIndex(${a[0]}) && H.isIndex(${a[1]}) && ${isStr(a[2]!)}`,
          expr: `H.substring(${a[2]}, ${a[0]}, ${a[1]})`,
        }
      : a.length === 2
        ? { guard: `H.isIndex(${a[0]}) && ${isStr(a[1]!)}`, expr: `H.substring(${a[1]}, ${a[0]}, undefined)` }
        : undefined,
  '+': arithmetic('addInts'),
  '-': arithmetic('subInts'),
  '*': arithmetic('mulInts'),
  gt: comparison((x, y) => `${x} > ${y}`, '> 0'),
  gte: comparison((x, y) => `!(${x} < ${y})`, '>= 0'),
  lt: comparison((x, y) => `${x} < ${y}`, '< 0'),
  lte: comparison((x, y) => `!(${x} > ${y})`, '<= 0'),
  // eq/neq compare list-coerced values; two strings, or two ints (never NaN in the model, but guarded), are scalars.
  eq: (a) =>
    a.length === 2
      ? {
          guard: `(${both(a, isStr)}) || (${both(a, isNum)} && H.notNaN(${a[0]}, ${a[1]}))`,
          expr: `${a[0]} === ${a[1]}`,
        }
      : undefined,
  neq: (a) =>
    a.length === 2
      ? {
          guard: `(${both(a, isStr)}) || (${both(a, isNum)} && H.notNaN(${a[0]}, ${a[1]}))`,
          expr: `${a[0]} !== ${a[1]}`,
        }
      : undefined,
  count: (a) =>
    a.length === 1
      ? { guard: 'true', expr: `Array.isArray(${a[0]}) ? ${a[0]}.length : ${a[0]} === null ? 0 : 1` }
      : undefined,
  'is-null': (a) => (a.length === 1 ? { guard: 'true', expr: `H.isNullish(${a[0]})` } : undefined),
  'is-not-null': (a) => (a.length === 1 ? { guard: 'true', expr: `!H.isNullish(${a[0]})` } : undefined),
  list: (a) => ({ guard: 'true', expr: `[${a.join(', ')}]` }),
  coalesce: (a) => (a.length === 1 ? { guard: 'true', expr: `H.firstNonNull(${a[0]})` } : undefined),
  integer: (a) => (a.length === 1 ? { guard: isStr(a[0]!), expr: `H.shortDigits(${a[0]})` } : undefined),
  round: (a) =>
    a.length === 1 ? { guard: `${a[0]} instanceof H.JsonFloat`, expr: `H.roundFloat(${a[0]})` } : undefined,
  distinct: (a) => (a.length === 1 ? { guard: `Array.isArray(${a[0]})`, expr: `H.distinctList(${a[0]})` } : undefined),
  sorted: (a) => (a.length === 1 ? { guard: `Array.isArray(${a[0]})`, expr: `H.sortedList(${a[0]})` } : undefined),
  sum: (a) => (a.length === 1 ? { guard: `Array.isArray(${a[0]})`, expr: `H.sumInts(${a[0]})` } : undefined),
  max: (a) => (a.length === 1 ? { guard: `Array.isArray(${a[0]})`, expr: `H.extremeInt(${a[0]}, 1)` } : undefined),
  min: (a) => (a.length === 1 ? { guard: `Array.isArray(${a[0]})`, expr: `H.extremeInt(${a[0]}, -1)` } : undefined),
  ni: (a) => (a.length === 2 ? { guard: both(a, isStr), expr: `new H.Ni(${a[0]}, ${a[1]})` } : undefined),
};

/**
 * Fast paths for functions with function-expression arguments: statements over the argument locals (the
 * function-expression locals are FunctionArgs) that either return the result or fall through to the generic call.
 * `expr[i]` names the compiled function-expression of argument i, called with `_` bound through `s.it`, exactly as
 * FunctionArg.apply binds it.
 */
export const INLINE_WITH_FUNCTION: Readonly<
  Record<string, (a: readonly string[], expr: readonly string[]) => string | undefined>
> = {
  // ["filter", F, VALUES] over a list: the elements for which F is truthy (false, null and [] are not).
  filter: (a, expr) =>
    a.length === 2
      ? `if (Array.isArray(${a[1]})) {
      const list = ${a[1]};
      const out = [];
      const p = s.it;
      try {
        for (let i = 0; i < list.length; i++) {
          const v = list[i];
          s.it = v;
          const r = ${expr[0]}(s);
          if (r !== null && r !== false && !(Array.isArray(r) && r.length === 0)) out.push(v);
        }
      } finally {
        s.it = p;
      }
      return out;
    }`
      : undefined,
};

/** Pure helpers the fast paths call (V8 inlines them into the site). */
export const INLINE_HELPERS = {
  JsonFloat,
  Ni,
  cmpStr(a: string, b: string): number {
    return a === b ? 0 : compareCodePoints(a, b) < 0 ? -1 : 1;
  },
  notNaN(a: number, b: number): boolean {
    return a === a && b === b;
  },
  addInts(a: number, b: number): number | undefined {
    const r = a + b;
    return Number.isSafeInteger(r) ? r : undefined;
  },
  subInts(a: number, b: number): number | undefined {
    const r = a - b;
    return Number.isSafeInteger(r) ? r : undefined;
  },
  mulInts(a: number, b: number): number | undefined {
    const r = a * b;
    return Number.isSafeInteger(r) ? (r === 0 ? 0 : r) : undefined;
  },
  isNullish(v: DtlValue): boolean {
    if (v === null) return true;
    if (Array.isArray(v)) return v.length === 0 || v[0] === null;
    return false;
  },
  /** coalesce with one argument: the first non-null of the list-coerced value. */
  firstNonNull(v: DtlValue): DtlValue {
    if (!Array.isArray(v)) return v;
    for (let i = 0; i < v.length; i++) if (v[i] !== null) return v[i]!;
    return null;
  },
  /** join: the strings of the list-coerced values, joined (other values are skipped); null when there are none. */
  joinStrings(sep: string, v: DtlValue): string | null {
    if (typeof v === 'string') return v;
    if (!Array.isArray(v)) return null;
    let out = '';
    let any = false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'string') continue;
      out = any ? out + sep + x : x;
      any = true;
    }
    return any ? out : null;
  },
  isIndex(v: DtlValue): boolean {
    return typeof v === 'number' && Number.isInteger(v);
  },
  /** substring of a string without surrogates (Python indices); undefined declines (astral characters). */
  substring(s: string, start: number, end: number | undefined): string | undefined {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdfff) return undefined;
    }
    const len = s.length;
    const a = start < 0 ? Math.max(len + start, 0) : Math.min(start, len);
    const b = end === undefined ? len : end < 0 ? Math.max(len + end, 0) : Math.min(end, len);
    return b <= a ? '' : s.slice(a, b);
  },
  /** integer of 1-15 plain ASCII digits (exactly a safe int); undefined declines (signs, spaces, _, hex, …). */
  shortDigits(s: string): number | undefined {
    const n = s.length;
    if (n === 0 || n > 15) return undefined;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
    }
    return Number(s);
  },
  /** distinct of a short list of strings and ints (=== is valuesEqual there); undefined declines. */
  distinctList(list: readonly DtlValue[]): DtlValue[] | undefined {
    if (list.length > 8) return undefined;
    const out: DtlValue[] = [];
    outer: for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== 'string' && (typeof v !== 'number' || v !== v)) return undefined;
      for (let j = 0; j < out.length; j++) if (out[j] === v) continue outer;
      out.push(v);
    }
    return out;
  },
  /** sorted of a short list of strings only (stable insertion sort, code point order); undefined declines. */
  sortedList(list: readonly DtlValue[]): DtlValue[] | undefined {
    if (list.length > 12) return undefined;
    for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return undefined;
    const out = list.slice() as string[];
    for (let i = 1; i < out.length; i++) {
      const v = out[i]!;
      let j = i - 1;
      while (j >= 0 && out[j] !== v && compareCodePoints(out[j]!, v) > 0) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = v;
    }
    return out;
  },
  /** sum of a list of safe ints; undefined declines (other values, overflow). */
  sumInts(list: readonly DtlValue[]): number | undefined {
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== 'number') return undefined;
      total += v;
      if (!Number.isSafeInteger(total)) return undefined; // exact only while every partial sum is safe
    }
    return total;
  },
  /** max (sign 1) / min (sign -1) of a list of ints: the first extreme, null when empty; undefined declines. */
  extremeInt(list: readonly DtlValue[], sign: number): number | null | undefined {
    if (list.length === 0) return null;
    let best = list[0];
    if (typeof best !== 'number' || best !== best) return undefined;
    for (let i = 1; i < list.length; i++) {
      const v = list[i];
      if (typeof v !== 'number' || v !== v) return undefined;
      if (sign > 0 ? v > best : v < best) best = v;
    }
    return best;
  },
  roundFloat(v: JsonFloat): DtlValue {
    return roundNumber(v, undefined, 'even');
  },
};
