import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson, type JsonValue } from '../../src/format/json.js';
import { makeEntityFilter, stripInternal } from '../../src/verify/filter.js';

const filtered = (blacklist: string[], entity: string) =>
  stringifyJson(makeEntityFilter(blacklist)(parseJson(entity)), { sortKeys: true });

describe('internal properties', () => {
  it('keeps _id and _deleted: true at every depth, drops other _ keys', () => {
    const e = parseJson(
      '{"_id":"a","_updated":3,"_deleted":true,"x":{"_id":"in","_ts":1,"_deleted":false,"y":[{"_hash":"h","z":1}]}}',
    );
    expect(stringifyJson(stripInternal(e), { sortKeys: true })).toBe(
      '{"_deleted": true, "_id": "a", "x": {"_id": "in", "y": [{"z": 1}]}}',
    );
  });
  it('drops _deleted unless it is literally true', () => {
    expect(filtered([], '{"_id":"a","_deleted":false}')).toBe('{"_id": "a"}');
    expect(filtered([], '{"_id":"a","_deleted":"true"}')).toBe('{"_id": "a"}');
  });
  it('leaves namespaced keys and non-objects alone', () => {
    expect(filtered([], '{"_id":"a","ns:x":1}')).toBe('{"_id": "a", "ns:x": 1}');
    expect(makeEntityFilter([])(5 as JsonValue)).toBe(5);
  });
});

describe('blacklist: sesam-py semantics', () => {
  it('a dotted path drops the nested property and a top-level key with that name', () => {
    expect(filtered(['foo.bar'], '{"_id":"a","foo":{"bar":1,"baz":2},"foo.bar":3}')).toBe(
      '{"_id": "a", "foo": {"baz": 2}}',
    );
  });
  it('list indices add no path segment: lst.bar drops bar inside list items', () => {
    expect(filtered(['lst.bar'], '{"_id":"a","lst":[{"bar":1,"k":2},{"bar":3}]}')).toBe(
      '{"_id": "a", "lst": [{"k": 2}, {}]}',
    );
  });
  it('* crosses dots, so *.bar matches at any depth of at least 2', () => {
    expect(filtered(['*.bar'], '{"_id":"a","bar":0,"x":{"bar":1,"y":{"bar":2,"q":3}}}')).toBe(
      '{"_id": "a", "bar": 0, "x": {"y": {"q": 3}}}',
    );
  });
  it('foos.*.bar matches dict-of-dict children at deeper levels', () => {
    expect(filtered(['foos.*.bar'], '{"_id":"a","foos":{"one":{"bar":1,"k":1},"two":{"bar":2}}}')).toBe(
      '{"_id": "a", "foos": {"one": {"k": 1}, "two": {}}}',
    );
  });
  it('? and [..] classes as fnmatch, case-sensitive', () => {
    expect(filtered(['a?', 'b[12]', 'c[!x]'], '{"_id":"a","ax":1,"b1":1,"b3":1,"cy":1,"cx":1,"A1":1}')).toBe(
      '{"A1": 1, "_id": "a", "b3": 1, "cx": 1}',
    );
  });
  it('the blacklist is checked before the internal rule, so _id can go', () => {
    expect(filtered(['_id'], '{"_id":"a","x":1}')).toBe('{"x": 1}');
  });
  it('a blacklisted object is dropped whole', () => {
    expect(filtered(['meta'], '{"_id":"a","meta":{"x":{"y":1}},"k":1}')).toBe('{"_id": "a", "k": 1}');
  });
});

describe('blacklist: documented forms sesam-py does not honour', () => {
  it('foo\\.bar matches only a key literally named foo.bar', () => {
    expect(filtered(['foo\\.bar'], '{"_id":"a","foo":{"bar":1},"foo.bar":2}')).toBe('{"_id": "a", "foo": {"bar": 1}}');
  });
  it('lst.*.bar and lst[].bar match bar inside list items', () => {
    const entity = '{"_id":"a","lst":[{"bar":1,"k":2}],"other":{"bar":5}}';
    expect(filtered(['lst.*.bar'], entity)).toBe('{"_id": "a", "lst": [{"k": 2}], "other": {"bar": 5}}');
    expect(filtered(['lst[].bar'], entity)).toBe('{"_id": "a", "lst": [{"k": 2}], "other": {"bar": 5}}');
  });
  it('lists of lists: m.*.v reaches v inside the inner items', () => {
    expect(filtered(['m.*.v'], '{"_id":"a","m":[[{"v":1,"w":2}]]}')).toBe('{"_id": "a", "m": [[{"w": 2}]]}');
    expect(filtered(['m[].v'], '{"_id":"a","m":[[{"v":1,"w":2}]]}')).toBe('{"_id": "a", "m": [[{"w": 2}]]}');
  });
  it('a pattern with an unclosed [ is literal', () => {
    expect(filtered(['a[b'], '{"_id":"a","a[b":1,"ab":2}')).toBe('{"_id": "a", "ab": 2}');
  });
});
