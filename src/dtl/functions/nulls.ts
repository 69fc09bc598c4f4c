// Null functions (dtl-functions-nulls.rst): is-null is true for null, [] and a list whose first element is null.
import { isTruthy, type DtlValue } from '../values.js';
import { asList } from './lists.js';
import { defineFunctions, fnArg, lazyArg, valueArg } from './registry.js';

export function isNullish(v: DtlValue): boolean {
  if (v === null) return true;
  if (Array.isArray(v)) return v.length === 0 || v[0] === null;
  return false;
}

defineFunctions([
  {
    name: 'is-null',
    category: 'nulls',
    min: 1,
    max: 1,
    call: (args) => isNullish(valueArg(args, 0)),
  },
  {
    name: 'is-not-null',
    category: 'nulls',
    min: 1,
    max: 1,
    call: (args) => !isNullish(valueArg(args, 0)),
  },
  {
    name: 'if-null',
    category: 'nulls',
    min: 2,
    max: 2,
    lazy: true,
    call: (args) => {
      const v = lazyArg(args, 0).get();
      return isNullish(v) ? lazyArg(args, 1).get() : v;
    },
  },
  {
    name: 'coalesce',
    category: 'nulls',
    min: 1,
    max: 2,
    functionArgs: (n) => (n === 2 ? [0] : []),
    call: (args) => {
      const f = args.length === 2 ? fnArg(args, 0) : undefined;
      for (const v of asList(valueArg(args, args.length - 1))) {
        if (f ? isTruthy(f.apply(v)) : v !== null) return v;
      }
      return null;
    },
  },
  {
    name: 'coalesce-args',
    category: 'nulls',
    min: 1,
    max: Infinity,
    lazy: true,
    call: (args) => {
      for (let i = 0; i < args.length; i++) {
        const v = lazyArg(args, i).get();
        if (v !== null) return v;
      }
      return null;
    },
  },
]);
