import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson, stringifyJson, type JsonValue } from '../../src/format/json.js';
import {
  compareEntities,
  comparePython,
  diffEntities,
  diffValues,
  prepareForUpdate,
  sortEntities,
} from '../../src/verify/compare.js';

const list = (text: string) => parseJson(text) as JsonValue[];
const ids = (entities: JsonValue[]) => entities.map((e) => stringifyJson((e as { _id?: JsonValue })._id ?? null));

describe('equality (sesam-py: multiset of canonical serialisations)', () => {
  it('ignores order and key order', () => {
    const d = compareEntities(
      list('[{"_id":"a","x":1,"y":2},{"_id":"b"}]'),
      list('[{"_id":"b"},{"y":2,"_id":"a","x":1}]'),
    );
    expect(d.equal).toBe(true);
    expect(d).toMatchObject({ expectedCount: 2, actualCount: 2, missing: [], unexpected: [], changed: [] });
  });
  it('keeps 1 and 1.0 apart in expected, but fixes the node output 1.0 to 1', () => {
    // Expected is taken as written; the node's 5.0 becomes 5 (§6.5), so a 5.0 in expected never matches.
    expect(compareEntities(list('[{"_id":"a","v":5}]'), list('[{"_id":"a","v":5.0}]')).equal).toBe(true);
    const d = compareEntities(list('[{"_id":"a","v":5.0}]'), list('[{"_id":"a","v":5.0}]'));
    expect(d.equal).toBe(false);
    expect(d.changed).toEqual([{ id: 'a', changes: [{ path: '$.v', expected: new JsonFloat(5), actual: 5 }] }]);
  });
  it('rounds long node integers through a double unless noLargeIntBugs', () => {
    const expected = list('[{"_id":"a","n":12345678901234567000}]');
    const actual = list('[{"_id":"a","n":12345678901234567890}]');
    expect(compareEntities(expected, actual).equal).toBe(true);
    const strict = compareEntities(expected, actual, { noLargeIntBugs: true });
    expect(strict.changed[0]!.changes).toEqual([
      { path: '$.n', expected: 12345678901234567000n, actual: 12345678901234567890n },
    ]);
  });
  it('counts duplicates', () => {
    const d = compareEntities(list('[{"_id":"a"},{"_id":"a"}]'), list('[{"_id":"a"}]'));
    expect(d.equal).toBe(false);
    expect(d.missing).toEqual([{ _id: 'a' }]);
  });
  it('matches each copy of a duplicate once, and lists unmatched copies together where the first one stood', () => {
    const d = compareEntities(list('[{"x":1},{"y":2},{"x":1},{"x":1},{"y":3}]'), list('[{"x":1},{"z":0},{"x":1.0}]'));
    // Two of the three {"x":1} are matched (the node's 1.0 is fixed to 1); {"x":1} was first in the file, so the
    // copy left over is listed before {"y":2}.
    expect(d.missing).toEqual([{ x: 1 }, { y: 2 }, { y: 3 }]);
    expect(d.unexpected).toEqual([{ z: 0 }]);
    const all = compareEntities(list('[{"x":1},{"y":2},{"x":1}]'), list('[]'));
    expect(all.missing).toEqual([{ x: 1 }, { x: 1 }, { y: 2 }]);
    expect(compareEntities(list('[{"x":1},{"x":1}]'), list('[{"x":1},{"x":1}]')).equal).toBe(true);
  });
  it('compares entities without _id as a multiset', () => {
    const d = compareEntities(list('[{"x":1},{"x":2}]'), list('[{"x":2},{"x":3}]'));
    expect(d.missing).toEqual([{ x: 1 }]);
    expect(d.unexpected).toEqual([{ x: 3 }]);
    expect(d.changed).toEqual([]);
  });
  it('strips internal properties of the node output only', () => {
    expect(compareEntities(list('[{"_id":"a","x":1}]'), list('[{"_id":"a","_updated":7,"x":1}]')).equal).toBe(true);
    const d = compareEntities(list('[{"_id":"a","_updated":7}]'), list('[{"_id":"a","_updated":7}]'));
    expect(d.changed[0]!.changes).toEqual([{ path: '$._updated', expected: 7 }]);
  });
  it('applies the blacklist to the node output', () => {
    expect(compareEntities(list('[{"_id":"a"}]'), list('[{"_id":"a","ts":"now"}]'), { blacklist: ['ts'] }).equal).toBe(
      true,
    );
  });
});

describe('_deleted handling', () => {
  const expected = list('[{"_id":"a"},{"_id":"gone","_deleted":true}]');
  const actual = list('[{"_id":"a"},{"_id":"gone","_deleted":true},{"_id":"other","_deleted":true}]');
  it('ignore_deletes drops unexpected deletes but keeps expected ones', () => {
    expect(compareEntities(expected, actual).equal).toBe(true);
  });
  it('without ignore_deletes every delete counts', () => {
    const d = compareEntities(expected, actual, { ignoreDeletes: false });
    expect(d.unexpected).toEqual([{ _id: 'other', _deleted: true }]);
  });
  it('an expected delete that is not produced is missing', () => {
    const d = compareEntities(expected, list('[{"_id":"a"}]'));
    expect(d.missing).toEqual([{ _id: 'gone', _deleted: true }]);
  });
});

describe('entity-level diff', () => {
  it('pairs by _id and lists changed paths with expected → actual', () => {
    const d = diffEntities(
      list('[{"_id":"p1","address":{"city":"Oslo","zip":"0150"},"tags":["a","b"],"odd key":1}]'),
      list('[{"_id":"p1","address":{"city":"Bergen"},"tags":["a","c","d"],"odd key":2,"new":true}]'),
    );
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.changes).toEqual([
      { path: '$.address.city', expected: 'Oslo', actual: 'Bergen' },
      { path: '$.address.zip', expected: '0150' },
      { path: '$.new', actual: true },
      { path: '$["odd key"]', expected: 1, actual: 2 },
      { path: '$.tags[1]', expected: 'b', actual: 'c' },
      { path: '$.tags[2]', actual: 'd' },
    ]);
  });
  it('sorts missing, unexpected and changed by _id across types without crashing', () => {
    const d = diffEntities(
      list('[{"_id":"b"},{"_id":2},{"x":0},{"_id":null},{"_id":"a","v":1}]'),
      list('[{"_id":"a","v":2}]'),
    );
    expect(ids(d.missing)).toEqual(['null', '2', '"b"', 'null']);
    expect(d.missing[3]).toEqual({ x: 0 });
    expect(d.changed.map((c) => c.id)).toEqual(['a']);
  });
  it('reports a type change at the value itself', () => {
    expect(diffValues(parseJson('{"a":{"b":1}}'), parseJson('{"a":[1]}'))).toEqual([
      { path: '$.a', expected: { b: 1 }, actual: [1] },
    ]);
  });
});

describe('Python ordering and update output', () => {
  it('compares numbers across int, bigint, float and bool', () => {
    expect(comparePython(1, new JsonFloat(1))).toBe(0);
    expect(comparePython(true, 1)).toBe(0);
    expect(comparePython(2n ** 70n, new JsonFloat(1e21))).toBeGreaterThan(0);
    expect(comparePython(new JsonFloat(1.5), 2n ** 60n)).toBeLessThan(0);
    expect(comparePython('\u{1F600}', '\uFFFF')).toBeGreaterThan(0); // code points, not UTF-16 units
    expect(comparePython([1, 'a'], [1, 'b'])).toBeLessThan(0);
  });
  it('sorts by fields_to_sort_by then the whole entity (sesam-py order)', () => {
    const sorted = sortEntities(list('[{"_id":"b","n":1},{"_id":"a","n":2},{"_id":"a","n":1}]'), ['_id']);
    expect(stringifyJson(sorted)).toBe('[{"_id": "a", "n": 1}, {"_id": "a", "n": 2}, {"_id": "b", "n": 1}]');
    const byName = sortEntities(list('[{"_id":"1","name":{"z":1}},{"_id":"2","name":{"a":1}}]'), ['name']);
    expect(ids(byName)).toEqual(['"2"', '"1"']);
  });
  it('prepareForUpdate filters, fixes numbers, drops every delete and sorts', () => {
    const out = prepareForUpdate(
      list('[{"_id":"b","v":2.0,"_ts":1},{"_id":"a","_deleted":true},{"_id":"a2","v":1.5}]'),
    );
    expect(stringifyJson(out)).toBe('[{"_id": "a2", "v": 1.5}, {"_id": "b", "v": 2}]');
    const kept = prepareForUpdate(list('[{"_id":"a","_deleted":true}]'), { ignoreDeletes: false });
    expect(stringifyJson(kept)).toBe('[{"_id": "a", "_deleted": true}]');
  });
});
