import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson } from '../../src/format/json.js';
import { childPath, diffJson, showJson, toPlain } from '../../src/format/json-diff.js';
import { diffProjects } from '../../src/snapshots/project-diff.js';
import { diffValues } from '../../src/verify/compare.js';

describe('diffJson', () => {
  it('lists changed, added and removed paths with before and after', () => {
    const a = parseJson('{"a": 1, "b": {"c": "x", "d": [1, 2, 3]}, "gone": true}');
    const b = parseJson('{"a": 1, "b": {"c": "y", "d": [1, 5]}, "new": null}');
    expect(diffJson(a, b)).toEqual([
      { path: '$.b.c', kind: 'changed', before: 'x', after: 'y' },
      { path: '$.b.d[1]', kind: 'changed', before: 2, after: 5 },
      { path: '$.b.d[2]', kind: 'removed', before: 3 },
      { path: '$.gone', kind: 'removed', before: true },
      { path: '$.new', kind: 'added', after: null },
    ]);
  });

  it('keeps 1 and 1.0 apart, and big integers exact', () => {
    expect(diffJson(parseJson('{"n": 1}'), parseJson('{"n": 1.0}'))).toEqual([
      { path: '$.n', kind: 'changed', before: 1, after: new JsonFloat(1) },
    ]);
    expect(diffJson(parseJson('[12345678901234567890]'), parseJson('[12345678901234567891]'))).toHaveLength(1);
    expect(diffJson(parseJson('{"a": [1, {"b": 2.5}]}'), parseJson('{"a": [1, {"b": 2.5}]}'))).toEqual([]);
  });

  it('reports a type change at the path, not below it', () => {
    expect(diffJson(parseJson('{"a": {"b": 1}}'), parseJson('{"a": [1]}'))).toEqual([
      { path: '$.a', kind: 'changed', before: { b: 1 }, after: [1] },
    ]);
  });

  it('quotes keys that are not plain names', () => {
    expect(childPath('$', 'with.dot')).toBe('$["with.dot"]');
    expect(childPath('$', 'ns:key')).toBe('$.ns:key');
    expect(childPath('$', 'a b')).toBe('$["a b"]');
    expect(childPath('$', '_id')).toBe('$._id');
    expect(childPath('$.x', 3)).toBe('$.x[3]');
  });

  it('shows values shortly and converts them for --json', () => {
    expect(showJson('x'.repeat(100), 10)).toBe('"xxxxxxxx…');
    expect(showJson(undefined)).toBe('(none)');
    expect(toPlain(parseJson('{"f": 1.5, "i": 99999999999999999999}'))).toEqual({ f: 1.5, i: 99999999999999999999n });
  });

  it('gives verify and snapshots one path for the same change', () => {
    const before = '{"_id": "a", "person:name": "x", "odd key": 1}';
    const after = '{"_id": "a", "person:name": "y", "odd key": 2}';
    const verifyPaths = diffValues(parseJson(before), parseJson(after)).map((c) => c.path);
    const files = (text: string) => new Map([['expected/p.json', new TextEncoder().encode(`[${text}]`)]]);
    const snapshotPaths = diffProjects(files(before), files(after)).expected[0]!.changed[0]!.changes.map((c) => c.path);
    expect(verifyPaths).toEqual(['$["odd key"]', '$.person:name']);
    expect(snapshotPaths).toEqual(verifyPaths);
  });
});
