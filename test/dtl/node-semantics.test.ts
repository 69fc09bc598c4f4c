// DTL semantics observed on a real node or stated in the pipe docs that the function pages leave out: the output
// `_id` of the default rule, id_required, apply over non-dict values, make-ni over integers, map-dict keys, decrypt
// of non-tokens, join of nothing, hops return templates over lists, and `_filtered` through a chain of DTLs.
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/format/json.js';
import { compileDtl, defaultPipeSettings, DtlRuntimeError, type PipeDtlSettings } from '../../src/dtl/index.js';
import { ev, FIXED_NOW, js, memoryDatasets } from './helpers.js';

function transform(
  rules: string,
  source: string,
  options: { idRequired?: boolean; pipe?: Partial<PipeDtlSettings> } = {},
): JsonObject[] {
  const compiled = compileDtl(
    { type: 'dtl', rules: parseJson(rules) as JsonObject, id_required: options.idRequired ?? true },
    defaultPipeSettings(options.pipe),
  );
  return compiled.transform(parseJson(source) as JsonObject, { datasets: memoryDatasets({}), now: () => FIXED_NOW });
}

const run = (rules: string, source: string, options?: Parameters<typeof transform>[2]) =>
  stringifyJson(transform(rules, source, options));

describe('the default rule target carries the source _id', () => {
  it('when no rule sets one (a rule that only adds ::username)', () => {
    const pipe = { namespacedIdentifiers: true, identityNamespace: 'crm', propertyNamespace: 'crm' };
    expect(
      run('{"default": [["add", "::username", "_S.crm:name"]]}', '{"_id": "crm:7", "crm:name": "ann"}', { pipe }),
    ).toBe(js('[{"username": "ann", "_id": "crm:7"}]'));
    expect(run('{"default": [["add", "x", 1]]}', '{"_id": "a"}')).toBe(js('[{"x": 1, "_id": "a"}]'));
  });

  it('even after ["remove", "_*"]', () => {
    expect(run('{"default": [["copy", "*"], ["remove", "_*"]]}', '{"_id": "a", "n": 1}')).toBe(
      js('[{"n": 1, "_id": "a"}]'),
    );
  });

  it('unless a rule sets another', () => {
    expect(run('{"default": [["add", "_id", "b"]]}', '{"_id": "a"}')).toBe(js('[{"_id": "b"}]'));
  });

  it('but not the targets of other rules reached through apply', () => {
    expect(
      run(
        '{"default": [["add", "o", ["apply", "r", "_S.o"]]], "r": [["add", "y", 1]]}',
        '{"_id": "a", "o": {"_id": "x"}}',
      ),
    ).toBe(js('[{"o": {"y": 1}, "_id": "a"}]'));
  });

  it('a filtered entity keeps the source _id for the dataset sink, even when filtered before any copy', () => {
    expect(run('{"default": [["filter"]]}', '{"_id": "a"}', { pipe: { sinkIsDataset: true } })).toBe(
      js('[{"_id": "a", "_filtered": true}]'),
    );
  });
});

describe('id_required (configuration-transforms-dtl.rst)', () => {
  it('fails on an _id that is not a string, unless false', () => {
    expect(() => run('{"default": [["add", "_id", 3]]}', '{"_id": "a"}')).toThrow(/no string _id/);
    expect(() => run('{"default": [["add", "_id", null]]}', '{"_id": "a"}')).toThrow(/no string _id/);
    expect(
      run('{"default": [["add", "_id", 3], ["create", {"_id": "c"}]]}', '{"_id": "a"}', { idRequired: false }),
    ).toBe(js('[{"_id": 3}, {"_id": "c"}]'));
  });

  it('fails on a source without a string _id when nothing sets one', () => {
    expect(() => run('{"default": [["add", "x", 1]]}', '{"x": 0}')).toThrow(/no string _id/);
    expect(run('{"default": [["add", "x", 1]]}', '{"x": 0}', { idRequired: false })).toBe(js('[{"x": 1}]'));
  });

  it('fails on create / create-child values that are not dicts or lack a string _id', () => {
    for (const v of ['5', '"x"', '{"_id": 1}', '{"a": 1}']) {
      expect(() => run(`{"default": [["create", ${v}]]}`, '{"_id": "a"}'), v).toThrow(DtlRuntimeError);
      expect(() => run(`{"default": [["create-child", ${v}]]}`, '{"_id": "a"}'), v).toThrow(DtlRuntimeError);
      expect(
        run(`{"default": [["create", ["list", ${v}, {"_id": "c"}]]]}`, '{"_id": "a"}', { idRequired: false }),
      ).toBe(js('[{"_id": "a"}, {"_id": "c"}]'));
    }
    // null is no value at all
    expect(run('{"default": [["create", "_S.missing"]]}', '{"_id": "a"}')).toBe(js('[{"_id": "a"}]'));
  });
});

describe('apply', () => {
  it('applies its rule to values that are not dicts (strings, datetimes)', () => {
    const rules =
      '{"default": [["add", "o", ["apply", "r", "_S.v"]]], "r": [["add", "v", "_S."], ["add", "s", ["string", "_S."]]]}';
    expect(run(rules, '{"_id": "a", "v": ["x", "~t2020-01-02T00:00:00Z"]}')).toBe(
      js('[{"o": [{"v": "x", "s": "x"}, {"v": "~t2020-01-02T00:00:00Z", "s": "2020-01-02T00:00:00Z"}], "_id": "a"}]'),
    );
    expect(run(rules, '{"_id": "a", "v": "y"}')).toBe(js('[{"o": {"v": "y", "s": "y"}, "_id": "a"}]'));
    expect(run(rules, '{"_id": "a"}')).toBe(js('[{"o": null, "_id": "a"}]'));
  });
});

describe('make-ni', () => {
  it('accepts integers', () => {
    expect(run('{"default": [["make-ni", "ns", "employeeid"]]}', '{"_id": "a", "employeeid": 3402}')).toBe(
      js('[{"employeeid-ni": "~:ns:3402", "_id": "a"}]'),
    );
    expect(
      run(
        '{"default": [["make-ni", "ns", "ids", "refs"]]}',
        '{"_id": "a", "ids": [1, "b", 2.5, 12345678901234567890]}',
      ),
    ).toBe(js('[{"refs": ["~:ns:1", "~:ns:b", "~:ns:12345678901234567890"], "_id": "a"}]'));
  });
});

describe('expression functions', () => {
  it('map-dict keeps a key its key function returns as a one-element list', () => {
    expect(ev('["map-dict", ["list", ["upper", "_."]], "_.", {"a": 1, "b": 2}]')).toBe(js('{"A": 1, "B": 2}'));
    expect(ev('["map-dict", ["list", "_.", "x"], "_.", {"a": 1}]')).toBe('null');
  });

  it('decrypt of a value that is not a token is null', () => {
    expect(ev('["decrypt", "k", "not a token"]')).toBe('null');
    expect(ev('["decrypt", "k", ["list", "not a token", ["encrypt", "k", "a"]]]')).toBe(js('[null, "a"]'));
  });

  it('join of nothing is null', () => {
    expect(ev('["join", ",", null]')).toBe('null');
    expect(ev('["join", ",", ["list"]]')).toBe('null');
    expect(ev('["join", ",", ["list", 1, 2]]')).toBe('null');
    expect(ev('["join", ",", ["list", ""]]')).toBe('""');
  });
});

describe('hops return templates', () => {
  const datasets = memoryDatasets({
    person: [
      { _id: 'p1', name: 'Ann', tags: ['x', 'y'] },
      { _id: 'p2', name: 'Bea', tags: ['z'] },
    ] as JsonObject[],
  });
  it('give one item per row, also when the template value is a list', () => {
    const spec = '{"datasets": ["person p"], "where": ["eq", "_S.people", "p._id"]';
    expect(ev(`["hops", ${spec}, "return": "p.tags"}]`, '{"people": ["p1", "p2"]}', {}, datasets)).toBe(
      js('[["x", "y"], ["z"]]'),
    );
    expect(
      ev(`["hops", ${spec}, "return": ["list", "p.name", "p._id"]}]`, '{"people": ["p1", "p2"]}', {}, datasets),
    ).toBe(js('[["Ann", "p1"], ["Bea", "p2"]]'));
    expect(ev(`["hops", ${spec}, "return": "p.name"}]`, '{"people": ["p1", "p2"]}', {}, datasets)).toBe(
      js('["Ann", "Bea"]'),
    );
  });
});

describe('a chain of DTL transforms', () => {
  it('an entity filtered by one DTL stays filtered through the next', () => {
    const pipe = { sinkIsDataset: true };
    const first = compileDtl(
      { type: 'dtl', rules: parseJson('{"default": [["copy", "*"], ["filter", ["gt", "_S.n", 1]]]}') as JsonObject },
      defaultPipeSettings(pipe),
    );
    const second = compileDtl(
      { type: 'dtl', rules: parseJson('{"default": [["copy", "_id"], ["add", "m", 1]]}') as JsonObject },
      defaultPipeSettings(pipe),
    );
    const ctx = { datasets: memoryDatasets({}), now: () => FIXED_NOW };
    const out = ['{"_id": "a", "n": 1}', '{"_id": "b", "n": 2}'].flatMap((s) =>
      first.transform(parseJson(s) as JsonObject, ctx).flatMap((e) => second.transform(e, ctx)),
    );
    expect(stringifyJson(out)).toBe(js('[{"_id": "a", "n": 1, "_filtered": true}, {"_id": "b", "m": 1}]'));
  });
});

describe('compiling', () => {
  it('reuses the compiled transform for the same config and pipe settings, and only then', () => {
    const rules = { default: [['copy', '_id']] } as unknown as JsonObject;
    const a = compileDtl({ type: 'dtl', rules }, defaultPipeSettings({ pipeId: 'p' }));
    expect(
      compileDtl({ type: 'dtl', rules: { default: [['copy', '_id']] } }, defaultPipeSettings({ pipeId: 'p' })),
    ).toBe(a);
    expect(compileDtl({ type: 'dtl', rules }, defaultPipeSettings({ pipeId: 'q' }))).not.toBe(a);
    expect(compileDtl({ type: 'dtl', rules }, defaultPipeSettings({ pipeId: 'p', sinkIsDataset: true }))).not.toBe(a);
    expect(compileDtl({ type: 'dtl', rules, id_required: false }, defaultPipeSettings({ pipeId: 'p' }))).not.toBe(a);
  });
});
