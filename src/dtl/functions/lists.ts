// List functions (dtl-functions-lists.rst). Values are list-coerced (null → [], scalar → [scalar]) unless the
// docs say otherwise; orderings use the mixed-type ordering of values.ts.
import { stringifyJson } from '../../format/json.js';
import {
  compareValues,
  encodeTransit,
  isDict,
  isNumber,
  setKey,
  valuesEqual,
  type DtlDict,
  type DtlNumber,
  type DtlValue,
} from '../values.js';
import { DtlRuntimeError } from '../errors.js';
import { flattenOnce, intArg } from './helpers.js';

/** Upper bound on generated sizes (range, padding), so a typo cannot exhaust memory. */
export const MAX_GENERATED = 10_000_000;
import { addNumbers } from './math.js';
import { defineFunctions, fnArg, valueArg, type ArgValue, type DtlFunction } from './registry.js';
import { valueToString } from './strings.js';

export function asList(v: DtlValue): DtlValue[] {
  return v === null ? [] : Array.isArray(v) ? v : [v];
}

/** Transit-encoded JSON text with sorted keys (json-transit, group-by keys). */
export function transitJson(v: DtlValue): string {
  return stringifyJson(encodeTransit(v), { sortKeys: true });
}

/** Distinct values by valuesEqual, keeping first occurrences; hashes primitives for speed. */
export function distinctValues(values: readonly DtlValue[], keyOf?: (v: DtlValue) => DtlValue): DtlValue[] {
  // Short lists (the usual case): a scan is cheaper than a Set. Strings equal only identical strings, and
  // valuesEqual(string, other) is false, so this is the same relation as below.
  if (!keyOf && values.length <= 8) {
    const out: DtlValue[] = [];
    outer: for (const v of values) {
      for (const x of out) if (x === v || (typeof v !== 'string' && valuesEqual(x, v))) continue outer;
      out.push(v);
    }
    return out;
  }
  const out: DtlValue[] = [];
  const keys: DtlValue[] = [];
  const seenStrings = new Set<string>();
  for (const v of values) {
    const k = keyOf ? keyOf(v) : v;
    if (typeof k === 'string') {
      if (seenStrings.has(k)) continue;
      seenStrings.add(k);
    } else {
      if (keys.some((x) => valuesEqual(x, k))) continue;
      keys.push(k);
    }
    out.push(v);
  }
  return out;
}

/** A stable sort into a new list; short lists use an insertion sort (Array.prototype.sort has a high fixed cost). */
function stableSorted(values: readonly DtlValue[], cmp: (a: DtlValue, b: DtlValue) => number): DtlValue[] {
  if (values.length > 12) return values.slice().sort(cmp);
  const out = values.slice();
  for (let i = 1; i < out.length; i++) {
    const v = out[i]!;
    let j = i - 1;
    while (j >= 0 && cmp(out[j]!, v) > 0) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = v;
  }
  return out;
}

const descendingValues = (a: DtlValue, b: DtlValue) => compareValues(b, a);

/** Optional leading function-expression: args (FUNCTION, VALUES) or (VALUES). */
function optionalFn(args: ArgValue[]): { fn?: (v: DtlValue) => DtlValue; values: DtlValue[] } {
  if (args.length === 2) {
    const f = fnArg(args, 0);
    return { fn: (v) => f.apply(v), values: asList(valueArg(args, 1)) };
  }
  return { values: asList(valueArg(args, 0)) };
}

const firstFnArg = (n: number) => (n === 2 ? [0] : []);

function sortBy(values: DtlValue[], keyOf: ((v: DtlValue) => DtlValue) | undefined, descending: boolean): DtlValue[] {
  // Array.prototype.sort is stable, so equal values keep their order without decoration.
  if (!keyOf) return stableSorted(values, descending ? descendingValues : compareValues);
  const decorated = values.map((v, i) => ({ v, k: keyOf ? keyOf(v) : v, i }));
  decorated.sort((a, b) => {
    const c = compareValues(a.k, b.k);
    return (descending ? -c : c) || a.i - b.i;
  });
  return decorated.map((d) => d.v);
}

function extreme(name: string, sign: 1 | -1): DtlFunction {
  return {
    name,
    category: 'lists',
    min: 1,
    max: 2,
    functionArgs: firstFnArg,
    call: (args) => {
      const f = args.length === 2 ? fnArg(args, 0) : undefined;
      const values = asList(valueArg(args, args.length - 1));
      let best: DtlValue = null;
      let bestKey: DtlValue = null;
      let found = false;
      for (const v of values) {
        const k = f ? f.apply(v) : v;
        if (!found || compareValues(k, bestKey) * sign > 0) {
          best = v;
          bestKey = k;
          found = true;
        }
      }
      return found ? best : null;
    },
  };
}

/** Python slice indices for a list of length `len`. */
export function sliceList<T>(
  items: readonly T[],
  start: number | undefined,
  end: number | undefined,
  step: number,
): T[] {
  const len = items.length;
  const norm = (i: number | undefined, dflt: number, lo: number, hi: number) => {
    if (i === undefined) return dflt;
    if (i < 0) i += len;
    return Math.min(Math.max(i, lo), hi);
  };
  const out: T[] = [];
  if (step > 0) {
    const a = norm(start, 0, 0, len);
    const b = norm(end, len, 0, len);
    for (let i = a; i < b; i += step) out.push(items[i]!);
  } else {
    const a = norm(start, len - 1, -1, len - 1);
    const b = norm(end, -1, -1, len - 1);
    for (let i = a; i > b; i += step) out.push(items[i]!);
  }
  return out;
}

/** `sorted` and `sorted-descending`: optional key FUNCTION, mixed-type ordering, duplicates kept. */
function sortFunction(name: string, descending: boolean): DtlFunction {
  return {
    name,
    category: 'lists',
    min: 1,
    max: 2,
    functionArgs: firstFnArg,
    call: (args) => {
      if (args.length === 1) return sortBy(asList(valueArg(args, 0)), undefined, descending);
      const { fn, values } = optionalFn(args);
      return sortBy(values, fn, descending);
    },
  };
}

defineFunctions([
  {
    name: 'list',
    category: 'lists',
    min: 0,
    max: Infinity,
    call: (args) => args.slice() as DtlValue[],
  },
  {
    name: 'combine',
    category: 'lists',
    min: 1,
    max: Infinity,
    call: (args) => flattenOnce(args as DtlValue[]),
  },
  {
    name: 'count',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => asList(valueArg(args, 0)).length,
  },
  {
    name: 'distinct',
    category: 'lists',
    min: 1,
    max: 2,
    functionArgs: firstFnArg,
    call: (args) => {
      if (args.length === 1) return distinctValues(asList(valueArg(args, 0)));
      const { fn, values } = optionalFn(args);
      return distinctValues(values, fn);
    },
  },
  {
    name: 'enumerate',
    category: 'lists',
    min: 1,
    max: 2,
    call: (args) => {
      const start = args.length === 2 ? intArg(valueArg(args, 0)) : 0;
      if (start === undefined) return null;
      const values = valueArg(args, args.length - 1);
      if (values === null) return null;
      if (!Array.isArray(values)) return { key: start, value: values };
      return values.map((value, i) => ({ key: start + i, value }));
    },
  },
  {
    name: 'filter',
    category: 'lists',
    min: 2,
    max: 2,
    functionArgs: () => [0],
    call: (args) => {
      const f = fnArg(args, 0);
      const out: DtlValue[] = [];
      for (const v of asList(valueArg(args, 1))) {
        const r = f.apply(v);
        if (r !== null && r !== false && !(Array.isArray(r) && r.length === 0)) out.push(v);
      }
      return out;
    },
  },
  {
    name: 'first',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => {
      const v = valueArg(args, 0);
      return Array.isArray(v) ? (v.length ? v[0]! : null) : v;
    },
  },
  {
    name: 'last',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => {
      const v = valueArg(args, 0);
      return Array.isArray(v) ? (v.length ? v[v.length - 1]! : null) : v;
    },
  },
  {
    name: 'nth',
    category: 'lists',
    min: 2,
    max: 2,
    call: (args) => {
      const i = intArg(valueArg(args, 0));
      const v = valueArg(args, 1);
      if (i === undefined || v === null) return null;
      if (!Array.isArray(v)) return i === 0 ? v : null;
      const idx = i < 0 ? v.length + i : i;
      return idx >= 0 && idx < v.length ? v[idx]! : null;
    },
  },
  {
    name: 'flatten',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => {
      const v = valueArg(args, 0);
      if (!Array.isArray(v)) return v === null ? [] : [v];
      const out: DtlValue[] = [];
      for (const x of v) {
        if (Array.isArray(x)) out.push(...x);
        else out.push(x);
      }
      return out;
    },
  },
  {
    name: 'group',
    category: 'lists',
    min: 3,
    max: 3,
    functionArgs: () => [0, 1],
    call: (args) => {
      const keyFn = fnArg(args, 0);
      const valueFn = fnArg(args, 1);
      const groups: { key: DtlValue; values: DtlValue[] }[] = [];
      const byString = new Map<string, DtlValue[]>();
      for (const v of asList(valueArg(args, 2))) {
        const key = keyFn.apply(v);
        const mapped = valueFn.apply(v);
        const id = transitJson(key);
        let bucket = byString.get(id);
        if (!bucket) {
          bucket = [];
          byString.set(id, bucket);
          groups.push({ key, values: bucket });
        }
        bucket.push(mapped);
      }
      return groups.map((g) => [g.key, g.values]);
    },
  },
  {
    name: 'group-by',
    category: 'lists',
    min: 1,
    max: 3,
    functionArgs: (n) => (n === 3 ? [0, 1] : n === 2 ? [0] : []),
    call: (args) => {
      const keyFn = args.length >= 2 ? fnArg(args, 0) : undefined;
      const strFn = args.length === 3 ? fnArg(args, 1) : undefined;
      const out: DtlDict = {};
      for (const v of asList(valueArg(args, args.length - 1))) {
        const key = keyFn ? keyFn.apply(v) : v;
        let name: string | undefined;
        if (strFn) {
          const s = strFn.apply(key);
          name = typeof s === 'string' ? s : valueToString(s);
          if (name === undefined) continue;
        } else name = transitJson(key);
        const bucket = Object.hasOwn(out, name) ? (out[name] as DtlValue[]) : undefined;
        if (bucket) bucket.push(v);
        else setKey(out, name, [v]);
      }
      return out;
    },
  },
  {
    name: 'in',
    category: 'lists',
    min: 2,
    max: 2,
    call: (args) => {
      const values = asList(valueArg(args, 0));
      const items = asList(valueArg(args, 1));
      if (values.length === 0) return false;
      return values.every((v) => items.some((x) => valuesEqual(v, x)));
    },
  },
  {
    name: 'insert',
    category: 'lists',
    min: 3,
    max: 3,
    call: (args) => {
      const i = intArg(valueArg(args, 0));
      if (i === undefined) return null;
      const list = [...asList(valueArg(args, 1))];
      const obj = valueArg(args, 2);
      // Python list.insert semantics.
      const idx = i < 0 ? Math.max(list.length + i, 0) : Math.min(i, list.length);
      list.splice(idx, 0, obj);
      return list;
    },
  },
  {
    name: 'is-empty',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => asList(valueArg(args, 0)).length === 0,
  },
  {
    name: 'is-not-empty',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => asList(valueArg(args, 0)).length > 0,
  },
  {
    name: 'is-list',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => Array.isArray(valueArg(args, 0)),
  },
  {
    name: 'map',
    category: 'lists',
    min: 2,
    max: 2,
    functionArgs: () => [0],
    call: (args) => {
      const f = fnArg(args, 0);
      const v = valueArg(args, 1);
      if (v === null) return [];
      return asList(v).map((x) => f.apply(x));
    },
  },
  {
    name: 'map-dict',
    category: 'lists',
    min: 3,
    max: 3,
    functionArgs: () => [0, 1],
    call: (args) => {
      const keyFn = fnArg(args, 0);
      const valueFn = fnArg(args, 1);
      const values = valueArg(args, 2);
      const one = (d: DtlValue): DtlDict | undefined => {
        if (!isDict(d)) return undefined;
        const out: DtlDict = {};
        let any = false;
        for (const k in d) {
          // A one-element list of a string is that key (["list", ...] key functions); anything else drops the pair.
          let nk = keyFn.apply(k);
          if (Array.isArray(nk) && nk.length === 1) nk = nk[0]!;
          if (typeof nk !== 'string') continue;
          setKey(out, nk, valueFn.apply(d[k]!));
          any = true;
        }
        return any ? out : undefined;
      };
      if (Array.isArray(values)) return values.map(one).filter((x): x is DtlDict => x !== undefined);
      return one(values) ?? null;
    },
  },
  {
    name: 'map-values',
    category: 'lists',
    min: 2,
    max: 2,
    functionArgs: () => [0],
    call: (args) => {
      const f = fnArg(args, 0);
      const out: DtlValue[] = [];
      for (const d of asList(valueArg(args, 1))) {
        if (!isDict(d)) continue;
        for (const k in d) out.push(f.apply(d[k]!));
      }
      return out;
    },
  },
  extreme('max', 1),
  extreme('min', -1),
  {
    name: 'range',
    category: 'lists',
    min: 2,
    max: 3,
    call: (args) => {
      const start = intArg(valueArg(args, 0));
      const stop = intArg(valueArg(args, 1));
      const step = args.length === 3 ? intArg(valueArg(args, 2)) : 1;
      if (start === undefined || stop === undefined || step === undefined || step === 0) return null;
      if ((stop - start) / step > MAX_GENERATED)
        throw new DtlRuntimeError(`range: more than ${MAX_GENERATED} values requested`);
      const out: DtlValue[] = [];
      if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
      else for (let i = start; i > stop; i += step) out.push(i);
      return out;
    },
  },
  {
    name: 'reversed',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => [...asList(valueArg(args, 0))].reverse(),
  },
  {
    name: 'slice',
    category: 'lists',
    min: 2,
    max: 4,
    call: (args) => {
      const start = intArg(valueArg(args, 0));
      const end = args.length >= 3 ? valueArg(args, 1) : null;
      const stride = args.length === 4 ? intArg(valueArg(args, 2)) : 1;
      const endN = end === null ? undefined : intArg(end);
      if (start === undefined || stride === undefined || stride === 0 || (end !== null && endN === undefined))
        return null;
      return sliceList(asList(valueArg(args, args.length - 1)), start, endN, stride);
    },
  },
  sortFunction('sorted', false),
  sortFunction('sorted-descending', true),
  {
    name: 'sum',
    category: 'lists',
    min: 1,
    max: 1,
    call: (args) => {
      const values = asList(valueArg(args, 0));
      // Safe ints add as numbers until the first other value (or an overflow); the rest goes through addNumbers.
      let total: DtlValue = 0;
      let i = 0;
      for (; i < values.length; i++) {
        const v = values[i];
        if (typeof v !== 'number') break;
        const r: number = (total as number) + v;
        if (!Number.isSafeInteger(r)) break;
        total = r;
      }
      for (; i < values.length; i++) {
        const v = values[i]!;
        if (isNumber(v)) total = addNumbers(total as DtlNumber, v) ?? total;
      }
      return total;
    },
  },
]);
