// Cast functions share one shape: FUNCTION(default-value-expression{0|1}) VALUES. Non-null values that do not
// convert are dropped, or replaced by the default expression evaluated with `_` bound to the value.
import type { DtlValue } from '../values.js';
import { DROP, mapValues } from './helpers.js';
import { fnArg, valueArg, type DtlFunction } from './registry.js';

export function castFunction(
  name: string,
  category: string,
  convert: (v: DtlValue) => DtlValue | undefined,
): DtlFunction {
  // Without a default the mapper is the same for every call: built once, no allocation per evaluation.
  const plain = (v: DtlValue) => {
    if (v === null) return DROP;
    const r = convert(v);
    return r === undefined ? DROP : r;
  };
  return {
    name,
    category,
    min: 1,
    max: 2,
    functionArgs: (n) => (n === 2 ? [0] : []),
    call: (args) => {
      if (args.length === 1) return mapValues(valueArg(args, 0), plain);
      const dflt = args.length === 2 ? fnArg(args, 0) : undefined;
      return mapValues(valueArg(args, args.length - 1), (v) => {
        if (v === null) return DROP;
        const r = convert(v);
        if (r !== undefined) return r;
        return dflt ? dflt.apply(v) : DROP;
      });
    },
  };
}
