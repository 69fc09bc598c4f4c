// One test per documented DTL example (test/dtl/conformance/cases.json, generated from the Sesam docs by
// scripts/extract-dtl-examples.mjs), run through the public API of src/dtl. Status decides the check:
//   ok / docs-defect / needs-datasets  exact, lossless comparison (docs-defect cases assert the decided value)
//   nondeterministic                    same shape: types, transit tags, list lengths and dict keys
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DateTime } from '../../../src/dtl/values.js';
import {
  isJsonObject,
  JsonFloat,
  jsonEquals,
  parseJson,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '../../../src/format/json.js';

interface Case {
  id: string;
  category: string;
  function: string;
  kind: 'expression' | 'transform';
  expression?: JsonValue;
  rules?: JsonObject;
  source?: JsonObject;
  target?: JsonObject;
  previous?: JsonObject;
  pipe?: JsonObject;
  datasets?: Record<string, JsonObject[]>;
  /** completeness[via][dataset] = "~t…" as the node's bookkeeping would report it. */
  completeness?: Record<string, Record<string, string>>;
  expected: JsonValue;
  expectError?: string;
  unordered?: boolean;
  note?: string;
  status: 'ok' | 'nondeterministic' | 'needs-datasets' | 'docs-defect';
}

const here = dirname(fileURLToPath(import.meta.url));
const cases = parseJson(readFileSync(join(here, 'cases.json'), 'utf8')) as unknown as Case[];

// The engine is loaded lazily so this file still loads (and every case fails with the reason) while it is missing.
type Dtl = typeof import('../../../src/dtl/index.js');
let dtl: Dtl | undefined;
let loadError: unknown;
try {
  dtl = await import('../../../src/dtl/index.js');
} catch (err) {
  loadError = err;
}

/** A fixed clock, so `now` is reproducible (its cases still only check the shape). */
const NOW = () => 1_463_149_920_431_000_000n; // 2016-05-13T14:32:00.431Z

function datasetProvider(data: Record<string, JsonObject[]> = {}, completeness: Case['completeness'] = {}) {
  return {
    entities: (id: string) => data[id],
    version: () => 1,
    completeness: (via: string, id: string): bigint | null => {
      const text = completeness[via]?.[id];
      return text === undefined ? null : DateTime.parse(text.slice(2))!.ns;
    },
  };
}

function run(c: Case): JsonValue {
  if (!dtl) throw new Error(`src/dtl/index.ts does not load: ${String(loadError)}`);
  const pipe = (c.pipe ?? {}) as Partial<import('../../../src/dtl/index.js').PipeDtlSettings>;
  const datasets = datasetProvider(c.datasets, c.completeness);
  if (c.kind === 'expression') return dtl.evaluateExpression(c.expression!, c.source ?? {}, pipe, datasets, NOW);
  const compiled = dtl.compileDtl({ type: 'dtl', rules: c.rules!, id_required: false }, dtl.defaultPipeSettings(pipe));
  return compiled.transform(c.source ?? {}, { datasets, now: NOW, target: c.target ?? null, previous: c.previous });
}

const TRANSIT_TAG = /^~[tfurb:]/;

/** Same structure: numbers by kind, strings by transit tag, lists by length, dicts by keys. */
function sameShape(actual: JsonValue, expected: JsonValue): boolean {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string') return false;
    return TRANSIT_TAG.test(expected) ? actual.startsWith(expected.slice(0, 2)) : !TRANSIT_TAG.test(actual);
  }
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameShape(actual[i]!, e))
    );
  if (isJsonObject(expected)) {
    if (!isJsonObject(actual)) return false;
    const keys = Object.keys(expected).sort();
    return jsonEquals(Object.keys(actual).sort(), keys) && keys.every((k) => sameShape(actual[k]!, expected[k]!));
  }
  if (expected instanceof JsonFloat) return actual instanceof JsonFloat;
  return typeof actual === typeof expected;
}

function sortedList(v: JsonValue): JsonValue {
  if (!Array.isArray(v)) return v;
  return [...v].sort((a, b) => (stringifyJson(a, { sortKeys: true }) < stringifyJson(b, { sortKeys: true }) ? -1 : 1));
}

const show = (v: JsonValue) => stringifyJson(v, { sortKeys: true });

describe('DTL conformance: documented examples', () => {
  it('has a corpus covering every documented function section', () => {
    const sections = new Set(cases.map((c) => `${c.category}/${c.function}`));
    expect(sections.size).toBe(169);
    for (const c of cases) if (c.status === 'docs-defect') expect(c.note, c.id).toBeTruthy();
  });

  const byCategory = new Map<string, Case[]>();
  for (const c of cases) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c]);

  for (const [category, list] of byCategory) {
    describe(category, () => {
      for (const c of list) {
        it(`${c.id} [${c.status}]`, () => {
          if (c.expectError !== undefined) {
            expect(() => run(c)).toThrow(c.expectError);
            return;
          }
          const actual = run(c);
          const context = `${c.id}\n  got      ${show(actual)}\n  expected ${show(c.expected)}${c.note ? `\n  note     ${c.note}` : ''}`;
          if (c.status === 'nondeterministic') {
            expect(sameShape(actual, c.expected), context).toBe(true);
            return;
          }
          const [a, e] = c.unordered ? [sortedList(actual), sortedList(c.expected)] : [actual, c.expected];
          expect(jsonEquals(a, e), context).toBe(true);
        });
      }
    });
  }
});

describe('conformance runner helpers', () => {
  it('compares shapes by transit tag, kind and length', () => {
    expect(sameShape('~t2020-01-01T00:00:00Z', '~t2016-05-13T14:32:00.431Z')).toBe(true);
    expect(sameShape('~u1234', '~t2016-05-13T14:32:00.431Z')).toBe(false);
    expect(sameShape(['~bAA'], ['~bBB', '~bCC'])).toBe(false);
    expect(sameShape('-----BEGIN PGP MESSAGE-----', '----BEGIN PGP MESSAGE..')).toBe(true);
    expect(sameShape(new JsonFloat(1), 1)).toBe(false);
    expect(sameShape({ a: '~bX' }, { a: '~bY' })).toBe(true);
    expect(sameShape({ a: 1, b: 2 }, { a: 1 })).toBe(false);
  });
});
