// Generated call sites are numbered per compiled DTL (src/dtl/codegen.ts), so DTLs that generate the same code share
// V8's compiled functions: each must still run with its own functions, constants and pipe settings.
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/format/json.js';
import { compileDtl, defaultPipeSettings } from '../../src/dtl/index.js';
import { js, memoryDatasets } from './helpers.js';

const rules = (fn: string, key: string) =>
  parseJson(`{"default": [["add", "${key}", ["${fn}", "_S.name"]], ["add", "n", ["plus", 1, "_S.n"]]]}`) as JsonObject;

describe('DTLs compiled to the same generated code', () => {
  it('each keeps its own functions, constants and namespaces, run interleaved', () => {
    const variants = [
      { fn: 'lower', key: 'x', ns: 'a', expect: (i: number) => `{"a:n": ${i + 1}, "a:x": "abc"}` },
      { fn: 'upper', key: 'x', ns: 'b', expect: (i: number) => `{"b:n": ${i + 1}, "b:x": "ABC"}` },
      { fn: 'lower', key: 'y', ns: 'c', expect: (i: number) => `{"c:n": ${i + 1}, "c:y": "abc"}` },
    ];
    const compiled = variants.map((v) =>
      compileDtl(
        { type: 'dtl', rules: rules(v.fn, v.key), id_required: false },
        defaultPipeSettings({ pipeId: `p-${v.ns}`, namespacedIdentifiers: true, propertyNamespace: v.ns }),
      ),
    );
    for (let i = 0; i < 50; i++) {
      compiled.forEach((dtl, k) => {
        const out = dtl.transform(parseJson(`{"name": "aBc", "n": ${i}}`) as JsonObject, {
          datasets: memoryDatasets({}),
        });
        expect(stringifyJson(out, { sortKeys: true })).toBe(js(`[${variants[k]!.expect(i)}]`));
      });
    }
  });
});
