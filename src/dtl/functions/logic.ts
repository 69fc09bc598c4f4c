// Boolean logic, booleans and comparisons (dtl-functions-boolean-logic.rst, -booleans.rst, -comparisons.rst).
// and/or/not short-circuit; eq/neq compare list-coerced values exactly; gt/gte/lt/lte compare first values by the
// mixed-type ordering and give null when a side is null (dtl.md §5).
import { compareValues, isTruthy, valuesEqual, type DtlValue } from '../values.js';
import { castFunction } from './casts.js';
import { first, typeTest } from './helpers.js';
import { asList } from './lists.js';
import { defineFunctions, fnArg, lazyArg, valueArg, type ArgValue, type DtlFunction } from './registry.js';

function quantifier(name: string, every: boolean): DtlFunction {
  return {
    name,
    category: 'boolean-logic',
    min: 1,
    max: 2,
    functionArgs: (n) => (n === 2 ? [0] : []),
    call: (args: ArgValue[]) => {
      const values = asList(valueArg(args, args.length - 1));
      const f = args.length === 2 ? fnArg(args, 0) : undefined;
      const test = (v: DtlValue) => isTruthy(f ? f.apply(v) : v);
      return every ? values.every(test) : values.some(test);
    },
  };
}

function comparison(name: string, ok: (c: number) => boolean): DtlFunction {
  return {
    name,
    category: 'comparisons',
    min: 2,
    max: 2,
    call: (args) => {
      const a = first(valueArg(args, 0));
      const b = first(valueArg(args, 1));
      if (a === null || b === null) return null;
      return ok(compareValues(a, b));
    },
  };
}

/** eq: both sides as lists, compared element-wise. */
export function listEquals(a: DtlValue, b: DtlValue): boolean {
  const x = asList(a);
  const y = asList(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!valuesEqual(x[i]!, y[i]!)) return false;
  return true;
}

defineFunctions([
  quantifier('all', true),
  quantifier('any', false),
  {
    name: 'and',
    category: 'boolean-logic',
    min: 1,
    max: Infinity,
    lazy: true,
    call: (args) => {
      for (let i = 0; i < args.length; i++) if (!isTruthy(lazyArg(args, i).get())) return false;
      return true;
    },
  },
  {
    name: 'or',
    category: 'boolean-logic',
    min: 1,
    max: Infinity,
    lazy: true,
    call: (args) => {
      for (let i = 0; i < args.length; i++) if (isTruthy(lazyArg(args, i).get())) return true;
      return false;
    },
  },
  {
    name: 'not',
    category: 'boolean-logic',
    min: 1,
    max: Infinity,
    lazy: true,
    call: (args) => {
      for (let i = 0; i < args.length; i++) if (!isTruthy(lazyArg(args, i).get())) return true;
      return false;
    },
  },
  castFunction('boolean', 'booleans', (v) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
    }
    return undefined;
  }),
  typeTest('is-boolean', 'booleans', (v) => typeof v === 'boolean'),
  {
    name: 'eq',
    category: 'comparisons',
    min: 2,
    max: 2,
    call: (args) => listEquals(valueArg(args, 0), valueArg(args, 1)),
  },
  {
    name: 'neq',
    category: 'comparisons',
    min: 2,
    max: 2,
    call: (args) => !listEquals(valueArg(args, 0), valueArg(args, 1)),
  },
  comparison('gt', (c) => c > 0),
  comparison('gte', (c) => c >= 0),
  comparison('lt', (c) => c < 0),
  comparison('lte', (c) => c <= 0),
]);
