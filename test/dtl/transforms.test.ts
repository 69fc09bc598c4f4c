// Rule-level behaviour: transform functions, filter/discard/create, deleted entities, id_required, apply.
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/format/json.js';
import {
  compileDtl,
  defaultPipeSettings,
  DtlConfigError,
  DtlRuntimeError,
  type PipeDtlSettings,
} from '../../src/dtl/index.js';
import { FIXED_NOW, memoryDatasets } from './helpers.js';

function run(
  rules: string,
  source: string,
  pipe: Partial<PipeDtlSettings> = {},
  options: { idRequired?: boolean; previous?: string } = {},
): string {
  const compiled = compileDtl(
    { type: 'dtl', rules: parseJson(rules) as JsonObject, id_required: options.idRequired ?? true },
    defaultPipeSettings(pipe),
  );
  const out = compiled.transform(parseJson(source) as JsonObject, {
    datasets: memoryDatasets({}),
    now: () => FIXED_NOW,
    previous: options.previous === undefined ? undefined : (parseJson(options.previous) as JsonObject | null),
  });
  return stringifyJson(out);
}

const js = (t: string) => stringifyJson(parseJson(t));

describe('transform functions', () => {
  it('copy, add, default and rename build the target in order', () => {
    const rules = `{"default": [["copy", "_id"], ["add", "age", 26], ["default", "age", 1], ["default", "x", 2],
      ["rename", "name", "full_name"], ["add", "n", ["count", ["keys", "_T."]]]]}`;
    expect(run(rules, '{"_id": "a", "name": "Ann", "other": 1}')).toBe(
      js('[{"_id": "a", "age": 26, "x": 2, "full_name": "Ann", "n": 4}]'),
    );
  });

  it('add takes a computed property name', () => {
    expect(
      run(
        '{"default": [["copy", "_id"], ["add", ["concat", "x-", "_S.key"], "_S.value"]]}',
        '{"_id": "a", "key": "k", "value": 3}',
      ),
    ).toBe(js('[{"_id": "a", "x-k": 3}]'));
  });

  it('add-if skips only null by default and honours a condition with _ bound', () => {
    const rules = `{"default": [["copy", "_id"], ["add-if", "a", "_S.missing"], ["add-if", "b", ["list"]], ["add-if", "c", ["gt", "_.", 5], "_S.n"], ["add-if", "d", ["gt", "_.", 1], "_S.n"]]}`;
    expect(run(rules, '{"_id": "x", "n": 3}')).toBe(js('[{"_id": "x", "b": [], "d": 3}]'));
  });

  it('copy supports include/exclude wildcards and lists', () => {
    const src = '{"_id": "1", "a": 1, "ab": 2, "b": 3, "ba": 4, "c": 5}';
    expect(run('{"default": [["copy", "_id"], ["copy", "a*", "ab*"]]}', src)).toBe(js('[{"_id": "1", "a": 1}]'));
    expect(run('{"default": [["copy", ["list", "a*", "b*", "_id"], ["list", "ab*", "ba*"]]]}', src)).toBe(
      js('[{"_id": "1", "a": 1, "b": 3}]'),
    );
    expect(run('{"default": [["copy", "*"]]}', '{"_id": "1", "_updated": 5, "x": 1}')).toBe(
      js('[{"_id": "1", "x": 1}]'),
    );
  });

  it('remove deletes matching target properties', () => {
    expect(
      run('{"default": [["copy", "*"], ["remove", "temp_*"]]}', '{"_id": "1", "temp_a": 1, "temp_b": 2, "keep": 3}'),
    ).toBe(js('[{"_id": "1", "keep": 3}]'));
  });

  it('merge and merge-union skip root underscore keys', () => {
    expect(
      run('{"default": [["copy", "_id"], ["merge", ["list", {"a": 1, "_x": 0}, {"a": 2, "b": 3}]]]}', '{"_id": "1"}'),
    ).toBe(js('[{"_id": "1", "a": 2, "b": 3}]'));
    expect(
      run('{"default": [["copy", "_id"], ["merge-union", ["list", {"a": 1}, {"a": 2, "b": 3}]]]}', '{"_id": "1"}'),
    ).toBe(js('[{"_id": "1", "a": [1, 2], "b": 3}]'));
  });

  it('make-ni turns strings and integers into NIs', () => {
    expect(
      run(
        '{"default": [["copy", "_id"], ["make-ni", "soccer", "referee", "ref"], ["make-ni", "hockey", "players"], ["make-ni", "x", "none"]]}',
        '{"_id": "1", "referee": "john.doe", "players": ["a", 1, "b"], "none": 5.5}',
      ),
    ).toBe(js('[{"_id": "1", "ref": "~:soccer:john.doe", "players-ni": ["~:hockey:a", "~:hockey:1", "~:hockey:b"]}]'));
  });

  it('if/case/case-eq transform forms apply single transforms or lists', () => {
    const rules = `{"default": [["copy", "_id"],
      ["if", ["gt", "_S.age", 18], [["add", "type", "adult"], ["add", "is_adult", true]], ["add", "type", "child"]],
      ["case", ["gte", "_S.age", 65], ["add", "group", "senior"], ["gte", "_S.age", 18], ["add", "group", "adult"], ["add", "group", "unknown"]],
      ["case-eq", "_S.country", "NO", ["add", "country", "Norway"], "SE", ["add", "country", "Sweden"], ["add", "country", "Other"]],
      ["if", false, ["add", "never", 1]]]}`;
    expect(run(rules, '{"_id": "1", "age": 30, "country": "SE"}')).toBe(
      js('[{"_id": "1", "type": "adult", "is_adult": true, "group": "adult", "country": "Sweden"}]'),
    );
    expect(run(rules, '{"_id": "2", "age": 3, "country": "DK"}')).toBe(
      js('[{"_id": "2", "type": "child", "group": "unknown", "country": "Other"}]'),
    );
  });

  it('comment does nothing and does not evaluate its arguments', () => {
    expect(run('{"default": [["comment", "x", ["no-such-function"]], ["copy", "_id"]]}', '{"_id": "1"}')).toBe(
      js('[{"_id": "1"}]'),
    );
  });

  it('filter stops the rule; a dataset sink gets the entity with _filtered', () => {
    const rules =
      '{"default": [["copy", "_id"], ["create", {"_id": "c"}], ["filter", ["gt", "_S.age", 42]], ["add", "after", 1]]}';
    expect(run(rules, '{"_id": "1", "age": 50}')).toBe(js('[{"_id": "1", "after": 1}, {"_id": "c"}]'));
    expect(run(rules, '{"_id": "1", "age": 5}')).toBe(js('[{"_id": "c"}]'));
    expect(run(rules, '{"_id": "1", "age": 5}', { sinkIsDataset: true })).toBe(
      js('[{"_id": "1", "_filtered": true}, {"_id": "c"}]'),
    );
    expect(run('{"default": [["copy", "_id"], ["filter"]]}', '{"_id": "1"}')).toBe('[]');
  });

  it('discard drops the entity even for dataset sinks', () => {
    expect(
      run('{"default": [["copy", "_id"], ["discard", ["eq", "_S.type", "person"]]]}', '{"_id": "1", "type": "x"}', {
        sinkIsDataset: true,
      }),
    ).toBe('[]');
    expect(
      run('{"default": [["copy", "_id"], ["discard", ["eq", "_S.type", "person"]]]}', '{"_id": "1", "type": "person"}'),
    ).toBe(js('[{"_id": "1"}]'));
  });

  it('create emits entities with _id; create-child unions into $children', () => {
    expect(
      run(
        '{"default": [["copy", "_id"], ["create", "_S.orders"]]}',
        '{"_id": "1", "orders": [{"_id": "o1"}, null, {"_id": "o2"}]}',
      ),
    ).toBe(js('[{"_id": "1"}, {"_id": "o1"}, {"_id": "o2"}]'));
    expect(() => run('{"default": [["copy", "_id"], ["create", {"x": 1}]]}', '{"_id": "1"}')).toThrow(DtlRuntimeError);
    expect(run('{"default": [["copy", "_id"], ["create", {"x": 1}]]}', '{"_id": "1"}', {}, { idRequired: false })).toBe(
      js('[{"_id": "1"}]'),
    );
    expect(
      run(
        '{"default": [["copy", "_id"], ["create-child", "_S.o"], ["create-child", "_S.o"]]}',
        '{"_id": "1", "o": [{"_id": "a"}]}',
      ),
    ).toBe(js('[{"_id": "1", "$children": [{"_id": "a"}]}]'));
  });

  it('fail! and trip! raise runtime errors with the message', () => {
    expect(() => run('{"default": [["fail!", "bad input"]]}', '{"_id": "1"}')).toThrow(/bad input/);
    try {
      run('{"default": [["trip!", "stop"]]}', '{"_id": "1"}');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DtlRuntimeError);
      expect((err as DtlRuntimeError).trip).toBe(true);
    }
  });

  it('sleep! with 0 seconds continues', () => {
    expect(run('{"default": [["sleep!", 0], ["copy", "_id"]]}', '{"_id": "1"}')).toBe(js('[{"_id": "1"}]'));
  });

  it('deleted sources pass through and keep _deleted unless the rule sets it', () => {
    expect(run('{"default": [["copy", "_id"]]}', '{"_id": "1", "_deleted": true}')).toBe(
      js('[{"_id": "1", "_deleted": true}]'),
    );
    expect(run('{"default": [["copy", "_id"], ["add", "_deleted", false]]}', '{"_id": "1", "_deleted": true}')).toBe(
      js('[{"_id": "1", "_deleted": false}]'),
    );
  });

  it('id_required: a target without a string _id is an error, unless disabled', () => {
    expect(() => run('{"default": [["add", "x", 1]]}', '{"n": 1}')).toThrow(/no string _id/);
    expect(run('{"default": [["add", "x", 1]]}', '{"n": 1}', {}, { idRequired: false })).toBe(js('[{"x": 1}]'));
  });

  it('transit values are typed inside and encoded on output', () => {
    const rules =
      '{"default": [["copy", "_id"], ["add", "later", ["datetime-plus", "day", 1, "_S.t"]], ["add", "d", ["+", "_S.f", 1]], ["add", "u", ["is-uri", "_S.r"]]]}';
    expect(run(rules, '{"_id": "1", "t": "~t2015-07-28T09:46:00Z", "f": "~f1.5", "r": "~rhttp://x/"}')).toBe(
      js('[{"_id": "1", "later": "~t2015-07-29T09:46:00Z", "d": "~f2.5", "u": true}]'),
    );
  });

  it('apply runs another rule per value with _P and _R', () => {
    const rules = `{"default": [["copy", "_id"], ["add", "orders", ["apply", "order", "_S.orders"]]],
      "order": [["copy", "id"], ["add", "customer", "_P._S._id"], ["add", "root", "_R._S._id"], ["filter", ["neq", "_S.id", 2]]]}`;
    expect(run(rules, '{"_id": "c1", "orders": [{"id": 1}, {"id": 2}, {"id": 3}]}')).toBe(
      js(
        '[{"_id": "c1", "orders": [{"id": 1, "customer": "c1", "root": "c1"}, {"id": 3, "customer": "c1", "root": "c1"}]}]',
      ),
    );
  });

  it('is-changed compares against the previous version', () => {
    const rules = '{"default": [["copy", "_id"], ["add", "changed", ["is-changed", "_.name"]]]}';
    expect(run(rules, '{"_id": "1", "name": "a"}', {}, { previous: '{"_id": "1", "name": "b"}' })).toBe(
      js('[{"_id": "1", "changed": true}]'),
    );
    expect(run(rules, '{"_id": "1", "name": "a"}', {}, { previous: '{"_id": "1", "name": "a"}' })).toBe(
      js('[{"_id": "1", "changed": false}]'),
    );
    expect(run(rules, '{"_id": "1", "name": "a"}', {}, { previous: 'null' })).toBe(
      js('[{"_id": "1", "changed": null}]'),
    );
    expect(
      run(rules, '{"_id": "1", "name": "a"}', {}, { previous: '{"_id": "1", "name": "a", "_deleted": true}' }),
    ).toBe(js('[{"_id": "1", "changed": true}]'));
  });

  it('the target is not shared between entities or with constants', () => {
    const compiled = compileDtl(
      {
        type: 'dtl',
        rules: parseJson(
          '{"default": [["copy", "_id"], ["add", "l", ["list", 1]], ["merge-union", {"l": 2}]]}',
        ) as JsonObject,
      },
      defaultPipeSettings(),
    );
    const ctx = { datasets: memoryDatasets({}) };
    const a = stringifyJson(compiled.transform({ _id: 'a' }, ctx));
    const b = stringifyJson(compiled.transform({ _id: 'b' }, ctx));
    expect(a).toBe(js('[{"_id": "a", "l": [1, 2]}]'));
    expect(b).toBe(js('[{"_id": "b", "l": [1, 2]}]'));
  });
});

describe('compile errors name pipe, rule and function', () => {
  const compile = (rules: string) =>
    compileDtl({ type: 'dtl', rules: parseJson(rules) as JsonObject }, defaultPipeSettings({ pipeId: 'my-pipe' }));
  const failure = (rules: string): DtlConfigError => {
    try {
      compile(rules);
    } catch (err) {
      expect(err).toBeInstanceOf(DtlConfigError);
      return err as DtlConfigError;
    }
    throw new Error('expected a DtlConfigError');
  };

  it('unknown function', () => {
    const err = failure('{"default": [["add", "x", ["no-such-fn", 1]]]}');
    expect(err.pipe).toBe('my-pipe');
    expect(err.rule).toBe('default');
    expect(err.fn).toBe('no-such-fn');
    expect(err.message).toMatch(/pipe 'my-pipe'.*rule 'default'.*function 'no-such-fn'/);
  });

  it('unknown transform function, in another rule', () => {
    const err = failure('{"default": [["copy", "_id"]], "other": [["frobnicate", 1]]}');
    expect(err.rule).toBe('other');
    expect(err.fn).toBe('frobnicate');
  });

  it('wrong arity', () => {
    expect(failure('{"default": [["add", "x", ["upper", "a", "b"]]]}').message).toMatch(
      /'upper' takes 1 argument, got 2/,
    );
    expect(failure('{"default": [["add", "x"]]}').fn).toBe('add');
    expect(failure('{"default": [["add", "x", ["dict", "a", 1, "b"]]]}').fn).toBe('dict');
  });

  it('missing default rule, unknown apply rule, bad hops spec', () => {
    expect(failure('{"other": []}').message).toMatch(/'default' rule is missing/);
    expect(failure('{"default": [["add", "x", ["apply", "nope", "_S."]]]}').message).toMatch(/unknown rule 'nope'/);
    expect(
      failure('{"default": [["add", "x", ["hops", {"datasets": ["a a"], "where": ["eq", "a.x", 1]}]]]}').message,
    ).toMatch(/bad hops spec.*'a' not joined/);
    expect(failure('{"default": [["add", "x", ["hops", {"datasets": "a a", "where": []}]]]}').message).toMatch(
      /bad hops spec/,
    );
  });

  it('a transform function inside an expression', () => {
    expect(failure('{"default": [["add", "x", ["copy", "a"]]]}').message).toMatch(/transform function/);
  });
});
