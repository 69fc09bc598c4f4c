// Namespaced identifiers (dtl.md §8, docs examples with identity "foo" and property "bar").
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/format/json.js';
import { compileDtl, defaultPipeSettings } from '../../src/dtl/index.js';
import { ev, js, memoryDatasets } from './helpers.js';

const NS = { pipeId: 'p', namespacedIdentifiers: true, identityNamespace: 'foo', propertyNamespace: 'bar' };

function run(rules: string, source: string): string {
  const compiled = compileDtl(
    { type: 'dtl', rules: parseJson(rules) as JsonObject, id_required: false },
    defaultPipeSettings(NS),
  );
  return stringifyJson(compiled.transform(parseJson(source) as JsonObject, { datasets: memoryDatasets({}) }));
}

describe('namespaced identifiers', () => {
  it('add/default prefix unqualified names with the property namespace; :: and : escapes', () => {
    expect(run('{"default": [["add", "age", 26]]}', '{}')).toBe(js('[{"bar:age": 26}]'));
    expect(run('{"default": [["add", "person:age", 26]]}', '{}')).toBe(js('[{"person:age": 26}]'));
    expect(run('{"default": [["add", "::age", 26]]}', '{}')).toBe(js('[{"age": 26}]'));
    expect(run('{"default": [["add", ":age", 26]]}', '{}')).toBe(js('[{"bar:age": 26}]'));
    expect(run('{"default": [["default", "age", 1], ["default", "age", 2]]}', '{}')).toBe(js('[{"bar:age": 1}]'));
  });

  it('_id values get the identity namespace', () => {
    expect(run('{"default": [["add", "_id", "x"]]}', '{}')).toBe(js('[{"_id": "foo:x"}]'));
    expect(run('{"default": [["add", "_id", "other:x"]]}', '{}')).toBe(js('[{"_id": "other:x"}]'));
  });

  it('copy matches the identifier part in every namespace and keeps keys', () => {
    const src = '{"age": 36, "x:age": 36, "xyz:age": 36, "name": "n"}';
    expect(run('{"default": [["copy", "age"]]}', src)).toBe(js('[{"age": 36, "x:age": 36, "xyz:age": 36}]'));
    expect(run('{"default": [["copy", "x*:*e", "*y*:*e"]]}', src)).toBe(js('[{"x:age": 36}]'));
  });

  it('remove is namespace aware', () => {
    const src = '{"age": 36, "x:age": 36, "y:age": 36}';
    expect(run('{"default": [["copy", "*"], ["remove", "age"]]}', src)).toBe('[{}]');
    expect(run('{"default": [["copy", "*"], ["remove", "x*:age"]]}', src)).toBe(js('[{"age": 36, "y:age": 36}]'));
    expect(run('{"default": [["copy", "*"], ["remove", "x:age"]]}', src)).toBe(js('[{"age": 36, "y:age": 36}]'));
  });

  it('rename keeps namespaces or collects into a qualified name', () => {
    const src = '{"a": 1, "x:a": 2, "xyz:a": 3}';
    expect(run('{"default": [["rename", "a", "b"]]}', src)).toBe(js('[{"b": 1, "x:b": 2, "xyz:b": 3}]'));
    expect(run('{"default": [["rename", "a", "z:b"]]}', src)).toBe(js('[{"z:b": [1, 2, 3]}]'));
    expect(run('{"default": [["rename", "x:a", "x:b"]]}', src)).toBe(js('[{"x:b": 2}]'));
  });

  it('make-ni in all namespaces', () => {
    const src = '{"referee": "john.doe", "x:referee": "john.c.doe"}';
    expect(run('{"default": [["make-ni", "soccer", "referee"]]}', src)).toBe(
      js('[{"referee-ni": "~:soccer:john.doe", "x:referee-ni": "~:soccer:john.c.doe"}]'),
    );
    expect(run('{"default": [["make-ni", "soccer", "referee", "ref"]]}', src)).toBe(
      js('[{"ref": "~:soccer:john.doe", "x:ref": "~:soccer:john.c.doe"}]'),
    );
    expect(run('{"default": [["make-ni", "soccer", "x:referee"]]}', src)).toBe(
      js('[{"x:referee-ni": "~:soccer:john.c.doe"}]'),
    );
    expect(run('{"default": [["make-ni", "soccer", "x:referee", "ref"]]}', src)).toBe(
      js('[{"x:ref": "~:soccer:john.c.doe"}]'),
    );
    expect(run('{"default": [["make-ni", "soccer", "x:referee", "y:ref"]]}', src)).toBe(
      js('[{"y:ref": "~:soccer:john.c.doe"}]'),
    );
  });

  it('path reads every namespace for unqualified names', () => {
    const dict = '{"a": 1, "foo:a": 2, "bar:a": [3, 4]}';
    expect(ev(`["path", "foo:a", ${dict}]`, null, NS)).toBe('2');
    expect(ev(`["path", "a", ${dict}]`, null, NS)).toBe(js('[1, 2, 3, 4]'));
    expect(ev(`["path", "::a", ${dict}]`, null, NS)).toBe('1');
    expect(ev(`["path", ":a", ${dict}]`, null, NS)).toBe(js('[3, 4]'));
    expect(ev('"_S.a"', dict, NS)).toBe(js('[1, 2, 3, 4]'));
  });

  it('$ids is synthesised from _id', () => {
    expect(ev('"_S.$ids"', '{"_id": "x"}', NS)).toBe(js('["~:foo:x"]'));
    expect(ev('"_S.$ids"', '{"_id": "p:x"}', NS)).toBe(js('["~:p:x"]'));
    expect(ev('"_S.$ids"', '{"_id": "x"}')).toBe(js('["~:x"]'));
    expect(ev('"_S.$ids"', '{"_id": "x", "$ids": ["~:a:b"]}', NS)).toBe(js('["~:a:b"]'));
  });
});
