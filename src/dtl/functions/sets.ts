// Set functions (dtl-functions-sets.rst): order-preserving; difference/intersection keep VALUES1's duplicates.
import { valuesEqual, type DtlValue } from '../values.js';
import { asList, distinctValues } from './lists.js';
import { defineFunctions, valueArg } from './registry.js';

function contains(list: readonly DtlValue[], v: DtlValue): boolean {
  for (const x of list) if (valuesEqual(x, v)) return true;
  return false;
}

defineFunctions([
  {
    name: 'difference',
    category: 'sets',
    min: 2,
    max: 2,
    call: (args) => {
      const b = asList(valueArg(args, 1));
      return asList(valueArg(args, 0)).filter((v) => !contains(b, v));
    },
  },
  {
    name: 'intersection',
    category: 'sets',
    min: 2,
    max: 2,
    call: (args) => {
      const b = asList(valueArg(args, 1));
      return asList(valueArg(args, 0)).filter((v) => contains(b, v));
    },
  },
  {
    name: 'intersects',
    category: 'sets',
    min: 2,
    max: 2,
    call: (args) => {
      const b = asList(valueArg(args, 1));
      return asList(valueArg(args, 0)).some((v) => contains(b, v));
    },
  },
  {
    name: 'union',
    category: 'sets',
    min: 2,
    max: 2,
    call: (args) => distinctValues([...asList(valueArg(args, 0)), ...asList(valueArg(args, 1))]),
  },
]);
