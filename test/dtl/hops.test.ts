// hops / apply-hops / lookup-entity over an in-memory provider.
import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonObject } from '../../src/format/json.js';
import { compileDtl, defaultPipeSettings, DtlRuntimeError } from '../../src/dtl/index.js';
import { ev, js, memoryDatasets } from './helpers.js';

const data = {
  person: [
    { _id: 'p1', name: 'Ann', children: ['p2', 'p3'], gender: 'female', hobbies: ['h1'], tags: ['x', 'y'] },
    { _id: 'p2', name: 'Bea', children: ['p4'], gender: 'female', hobbies: ['h2'], tags: ['y'] },
    { _id: 'p3', name: 'Carl', children: [], gender: 'male', hobbies: ['h1', 'h3'], tags: [] },
    { _id: 'p4', name: 'Dina', children: [], gender: 'female', hobbies: ['h3'], tags: ['z'] },
    { _id: 'p5', name: 'Gone', children: [], gender: 'female', hobbies: ['h1'], _deleted: true },
    { _id: 'p6', name: 'Nobody', children: null, gender: null, hobbies: null },
  ] as JsonObject[],
  hobby: [
    { _id: 'h1', name: 'chess' },
    { _id: 'h2', name: 'golf' },
    { _id: 'h3', name: 'judo' },
  ] as JsonObject[],
  orders: [
    { _id: 'o2', customer: 'p1', amount: 20, type: 'BILLING' },
    { _id: 'o1', customer: 'p1', amount: 10, type: 'SHIPPING' },
    { _id: 'o3', customer: 'p2', amount: 30, type: 'BILLING' },
    { _id: 'o4', customer: ['p2', 'p1'], amount: 40, type: 'OTHER' },
    { _id: 'o5', customer: null, amount: 50, type: 'BILLING' },
  ] as JsonObject[],
};
const provider = memoryDatasets(data);
const h = (expr: string, source: string) => ev(expr, source, {}, provider);

describe('hops', () => {
  it('1:1 join by _id', () => {
    expect(
      h('["path", "name", ["hops", {"datasets": ["hobby h"], "where": ["eq", "_S.fav", "h._id"]}]]', '{"fav": "h2"}'),
    ).toBe(js('["golf"]'));
  });

  it('1:n join, ordered by _id per dataset, with filters', () => {
    expect(
      h(
        '["path", "_id", ["hops", {"datasets": ["orders o"], "where": ["eq", "_S._id", "o.customer"]}]]',
        '{"_id": "p1"}',
      ),
    ).toBe(js('["o1", "o2", "o4"]'));
    expect(
      h(
        '["path", "_id", ["hops", {"datasets": ["orders o"], "where": [["eq", "_S._id", "o.customer"], ["eq", "o.type", "BILLING"]]}]]',
        '{"_id": "p1"}',
      ),
    ).toBe(js('["o2"]'));
  });

  it('n:n joins match on any overlap', () => {
    expect(
      h(
        '["path", "name", ["hops", {"datasets": ["person p"], "where": ["eq", "_S.tags", "p.tags"]}]]',
        '{"tags": ["y", "q"]}',
      ),
    ).toBe(js('["Ann", "Bea"]'));
  });

  it('multi-dataset joins with return aliases and templates', () => {
    const spec =
      '{"datasets": ["person p", "hobby h"], "where": [["eq", "_S.people", "p._id"], ["eq", "p.hobbies", "h._id"]]';
    expect(h(`["path", "name", ["hops", ${spec}}]]`, '{"people": ["p1", "p3"]}')).toBe(js('["chess", "judo"]'));
    expect(h(`["path", "name", ["hops", ${spec}, "return": "p"}]]`, '{"people": ["p1", "p3"]}')).toBe(
      js('["Ann", "Carl"]'),
    );
    expect(h(`["hops", ${spec}, "return": "h.name"}]`, '{"people": ["p3"]}')).toBe(js('["chess", "judo"]'));
    expect(h(`["hops", ${spec}, "return": {"who": "p.name", "what": "h.name"}}]`, '{"people": ["p2"]}')).toBe(
      js('[{"who": "Bea", "what": "golf"}]'),
    );
  });

  it('recursion with exclude_root and max_depth', () => {
    const rec = (extra: string) =>
      `["path", "name", ["hops", {"datasets": ["person p"], "where": ["eq", "_S.children", "p._id"], "recurse": true${extra}}]]`;
    expect(h(rec(''), '{"name": "root", "children": ["p1"]}')).toBe(js('["root", "Ann", "Bea", "Carl", "Dina"]'));
    expect(h(rec(', "exclude_root": true'), '{"name": "root", "children": ["p1"]}')).toBe(
      js('["Ann", "Bea", "Carl", "Dina"]'),
    );
    expect(h(rec(', "exclude_root": true, "max_depth": 2'), '{"name": "root", "children": ["p1"]}')).toBe(
      js('["Ann", "Bea", "Carl"]'),
    );
  });

  it('chained specs feed each other (the docs example)', () => {
    const expr = `["sorted", ["hops", {"datasets": ["person p"], "where": [["eq", "_S.children", "p._id"], ["eq", "p.gender", "female"]], "recurse": true, "exclude_root": true},
      {"datasets": ["hobby h"], "where": ["eq", "_S.hobbies", "h._id"], "return": "h.name"}]]`;
    expect(h(expr, '{"children": ["p1"]}')).toBe(js('["chess", "golf", "judo"]'));
  });

  it('deleted entities and null keys never join', () => {
    expect(
      h('["path", "name", ["hops", {"datasets": ["person p"], "where": ["eq", "_S.h", "p.hobbies"]}]]', '{"h": "h1"}'),
    ).toBe(js('["Ann", "Carl"]'));
    expect(h('["hops", {"datasets": ["orders o"], "where": ["eq", "_S.x", "o.customer"]}]', '{"x": null}')).toBe('[]');
    expect(
      h('["count", ["hops", {"datasets": ["person p"], "where": ["eq", "_S.g", "p.gender"]}]]', '{"g": null}'),
    ).toBe('0');
  });

  it('subsets restrict a dataset', () => {
    expect(
      h(
        '["path", "_id", ["hops", {"datasets": ["orders o"], "where": ["eq", "_S._id", "o.customer"], "subsets": {"o": ["eq", "_S.type", "BILLING"]}}]]',
        '{"_id": "p1"}',
      ),
    ).toBe(js('["o2"]'));
  });

  it('lookup-entity fetches by _id', () => {
    expect(h('["path", "name", ["lookup-entity", "hobby", "h3"]]', '{}')).toBe('"judo"');
    expect(h('["lookup-entity", "hobby", "nope"]', '{}')).toBe('null');
  });

  it('a missing dataset is a runtime error naming it', () => {
    expect(() => h('["hops", {"datasets": ["nope n"], "where": ["eq", "_S.x", "n._id"]}]', '{"x": 1}')).toThrow(
      /dataset 'nope'/,
    );
    expect(() => h('["hops", {"datasets": ["nope n"], "where": ["eq", "_S.x", "n._id"]}]', '{"x": 1}')).toThrow(
      DtlRuntimeError,
    );
  });

  it('indexes are rebuilt when the dataset version changes', () => {
    const rows: JsonObject[] = [{ _id: 'a', k: 1 }];
    const live = memoryDatasets({ d: rows });
    const compiled = compileDtl(
      {
        type: 'dtl',
        rules: parseJson(
          '{"default": [["copy", "_id"], ["add", "n", ["count", ["hops", {"datasets": ["d d"], "where": ["eq", "_S.k", "d.k"]}]]]]}',
        ) as JsonObject,
      },
      defaultPipeSettings(),
    );
    const count = () => stringifyJson(compiled.transform({ _id: 's', k: 1 }, { datasets: live }));
    expect(count()).toBe(js('[{"_id": "s", "n": 1}]'));
    rows.push({ _id: 'b', k: 1 });
    live.bump('d');
    expect(count()).toBe(js('[{"_id": "s", "n": 2}]'));
    expect(compiled.hopDatasets).toEqual(['d']);
  });

  it('apply-hops applies a rule to the hopped entities; apply on a hops rule is refused', () => {
    const rules = `{"default": [["copy", "_id"], ["add", "orders", ["apply-hops", "order", {"datasets": ["orders o"], "where": ["eq", "_S._id", "o.customer"]}]]],
      "order": [["copy", "_id"], ["add", "amount", "_S.amount"]],
      "hopper": [["add", "h", ["hops", {"datasets": ["hobby h"], "where": ["eq", "_S.x", "h._id"]}]]]}`;
    const compiled = compileDtl({ type: 'dtl', rules: parseJson(rules) as JsonObject }, defaultPipeSettings());
    expect(stringifyJson(compiled.transform({ _id: 'p2' }, { datasets: provider }))).toBe(
      js('[{"_id": "p2", "orders": [{"_id": "o3", "amount": 30}, {"_id": "o4", "amount": 40}]}]'),
    );
    const bad = compileDtl(
      {
        type: 'dtl',
        rules: parseJson(
          '{"default": [["copy", "_id"], ["add", "x", ["apply", "hopper", "_S."]]], "hopper": [["add", "h", ["hops", {"datasets": ["hobby h"], "where": ["eq", "_S.x", "h._id"]}]]]}',
        ) as JsonObject,
      },
      defaultPipeSettings(),
    );
    expect(() => bad.transform({ _id: 'p2' }, { datasets: provider })).toThrow(/apply-hops/);
  });
});
