import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson, stringifyJson, type JsonValue } from '../../src/format/json.js';
import { entityHash } from '../../src/local-node/entity-hash.js';
import { DatasetSinkRun } from '../../src/local-node/sinks/dataset.js';
import { NodeStore } from '../../src/local-node/store.js';
import { shape } from '../helpers/json-shape.js';
import { tempDir } from '../helpers/tmp.js';

const ids = (entities: { _id?: unknown }[]) => entities.map((e) => e._id);

describe('NodeStore datasets', () => {
  it('appends versions only when the hash changes, with offsets, _previous, _ts and _hash', () => {
    const store = NodeStore.open({ memory: true });
    expect(store.write('ds', { _id: 'a', name: 'A' }, 1000)).toBe(true);
    expect(store.write('ds', { _id: 'b', name: 'B' }, 1000)).toBe(true);
    // Unchanged content, reordered keys and non-hashed root fields: no new version.
    expect(store.write('ds', { name: 'A', _id: 'a', _updated: 99, _ts: 5 }, 2000)).toBe(false);
    expect(store.write('ds', { _id: 'a', name: 'A', _deleted: false }, 2000)).toBe(false);
    expect(store.write('ds', { _id: 'a', name: 'A2' }, 3000)).toBe(true);
    const all = store.read('ds');
    expect(all.map((e) => [e._id, e._updated, e._previous, e._ts])).toEqual([
      ['a', 0, null, 1000],
      ['b', 1, null, 1000],
      ['a', 2, 0, 3000],
    ]);
    expect(all[2]!._hash).toBe(entityHash({ _id: 'a', name: 'A2' }));
    expect(all[2]!._hash).toMatch(/^[0-9a-f]{32}$/);
    expect(store.dataset('ds')!.nextOffset).toBe(3);
  });

  it('distinguishes 1 from 1.0 and tracks the deleted flag in the hash', () => {
    const store = NodeStore.open({ memory: true });
    store.write('ds', { _id: 'a', n: 1 }, 0);
    expect(store.write('ds', { _id: 'a', n: new JsonFloat(1) }, 0)).toBe(true);
    expect(store.write('ds', { _id: 'a', n: new JsonFloat(1), _deleted: true }, 0)).toBe(true);
    const latest = store.latest('ds', 'a')!;
    expect(latest._deleted).toBe(true);
    expect(latest.n).toBeInstanceOf(JsonFloat);
  });

  it('reads with since (exclusive), limit, history and deleted', () => {
    const store = NodeStore.open({ memory: true });
    store.write('ds', { _id: 'a', v: 1 }, 0); // 0
    store.write('ds', { _id: 'b', v: 1 }, 0); // 1
    store.write('ds', { _id: 'a', v: 2 }, 0); // 2
    store.write('ds', { _id: 'b', v: 1, _deleted: true }, 0); // 3
    store.write('ds', { _id: 'c', v: 1 }, 0); // 4
    expect(store.read('ds').map((e) => e._updated)).toEqual([0, 1, 2, 3, 4]);
    expect(store.read('ds', { since: 1 }).map((e) => e._updated)).toEqual([2, 3, 4]);
    expect(store.read('ds', { since: 1, limit: 2 }).map((e) => e._updated)).toEqual([2, 3]);
    expect(store.read('ds', { history: false }).map((e) => e._updated)).toEqual([2, 3, 4]);
    expect(ids(store.read('ds', { history: false, deleted: false }))).toEqual(['a', 'c']);
    expect(store.read('ds', { deleted: false }).map((e) => e._updated)).toEqual([0, 1, 2, 4]);
    expect(store.liveIds('ds')).toEqual(['a', 'c']);
    expect(store.counts('ds')).toEqual({ exists: 2, deleted: 1, log: 5 });
  });

  it('drops root _ fields except _id/_deleted but keeps nested ones', () => {
    const store = NodeStore.open({ memory: true });
    store.write('ds', { _id: 'a', _foo: 1, nested: { _bar: 2 } }, 0);
    const e = store.latest('ds', 'a')!;
    expect(e._foo).toBeUndefined();
    expect(e.nested).toEqual({ _bar: 2 });
  });

  it('changes the cache version on every write and delete, never reusing one', () => {
    const store = NodeStore.open({ memory: true });
    const v0 = store.version('ds');
    store.write('ds', { _id: 'a' }, 0);
    const v1 = store.version('ds');
    expect(v1).not.toBe(v0);
    store.write('ds', { _id: 'a' }, 0); // unchanged
    expect(store.version('ds')).toBe(v1);
    store.deleteDataset('ds');
    expect(store.version('ds')).not.toBe(v1);
    expect(store.dataset('ds')).toBeUndefined();
  });
});

describe('DatasetSinkRun', () => {
  it('deletion-tracks ids not seen in a full run, and not after an incremental one', () => {
    const store = NodeStore.open({ memory: true });
    const run1 = new DatasetSinkRun(store, 'sink', {
      ts: 1,
      trackChildren: false,
      deletionTracking: true,
      pipeId: 'p',
    });
    for (const id of ['a', 'b', 'c']) run1.write({ _id: id, x: id });
    run1.finish(true);
    expect(store.dataset('sink')!.populated).toBe(true);

    const incremental = new DatasetSinkRun(store, 'sink', {
      ts: 2,
      trackChildren: false,
      deletionTracking: true,
      pipeId: 'p',
    });
    incremental.write({ _id: 'a', x: 'a' });
    incremental.finish(false);
    expect(store.liveIds('sink')).toEqual(['a', 'b', 'c']);

    const full = new DatasetSinkRun(store, 'sink', {
      ts: 3,
      trackChildren: false,
      deletionTracking: true,
      pipeId: 'p',
    });
    full.write({ _id: 'b', x: 'b' });
    full.finish(true);
    expect(store.liveIds('sink')).toEqual(['b']);
    const deletedA = store.latest('sink', 'a')!;
    expect(deletedA).toMatchObject({ _id: 'a', x: 'a', _deleted: true, _previous: 0 });
    expect(full.written).toBe(2);
  });

  it('turns _filtered into a delete of an existing entity and drops it otherwise', () => {
    const store = NodeStore.open({ memory: true });
    const run = new DatasetSinkRun(store, 'sink', { ts: 1, trackChildren: false, deletionTracking: true, pipeId: 'p' });
    run.write({ _id: 'a', x: 1 });
    run.write({ _id: 'new', x: 1, _filtered: true });
    run.write({ _id: 'a', x: 2, _filtered: true });
    expect(store.read('sink').map((e) => [e._id, e._deleted, e.x])).toEqual([
      ['a', false, 1],
      ['a', true, 1],
    ]);
  });

  it('tracks children: children that disappear are added back as deleted', () => {
    const store = NodeStore.open({ memory: true });
    const opts = { ts: 1, trackChildren: true, deletionTracking: true, pipeId: 'p' };
    new DatasetSinkRun(store, 'sink', opts).write({ _id: 'p1', $children: [{ _id: 'c1' }, { _id: 'c2' }] });
    new DatasetSinkRun(store, 'sink', opts).write({ _id: 'p1', $children: [{ _id: 'c1' }] });
    expect(store.latest('sink', 'p1')!.$children).toEqual([{ _id: 'c1' }, { _id: 'c2', _deleted: true }]);
  });

  it('rejects entities without a string _id, naming pipe and dataset', () => {
    const store = NodeStore.open({ memory: true });
    const run = new DatasetSinkRun(store, 'sink', { ts: 1, trackChildren: false, deletionTracking: true, pipeId: 'p' });
    expect(() => run.write({ name: 'x' })).toThrow(/pipe 'p'.*dataset sink 'sink'/);
  });
});

describe('NodeStore config, env, secrets, pipe state', () => {
  it('keeps config in upload order and env replace-all, survives reopening a file store', () => {
    const dir = tempDir();
    const store = NodeStore.open({ dir });
    store.replaceConfig([
      { _id: 'b', type: 'pipe' },
      { _id: 'a', type: 'pipe' },
    ]);
    store.replaceEnv({ z: 1, a: 'x' });
    store.putSecrets({ s1: 'v1' }, false);
    store.putSecrets({ s2: 'v2' }, false);
    store.setPipeState('p', { lastSeen: '4', depOffsets: { h: 3 }, extra: { k: [1] } });
    store.close();
    const again = NodeStore.open({ dir });
    expect(again.getConfig().map((e) => e._id)).toEqual(['b', 'a']);
    expect(Object.keys(again.getEnv())).toEqual(['z', 'a']);
    expect(again.getSecrets()).toEqual({ s1: 'v1', s2: 'v2' });
    again.putSecrets({ s3: 'v3' }, true);
    expect(Object.keys(again.getSecrets())).toEqual(['s3']);
    expect(again.pipeState('p')).toEqual({ lastSeen: '4', depOffsets: { h: 3 }, extra: { k: [1] } });
    again.wipe();
    expect(again.getConfig()).toEqual([]);
    expect(again.pipeState('p').lastSeen).toBeNull();
    again.close();
  });
});

describe('NodeStore key order', () => {
  it('returns entities with keys sorted in code-point order, nested dicts included', () => {
    const store = NodeStore.open({ memory: true });
    store.write('ds', { b: 1, _id: 'a', A: { z: 1, y: 2 }, é: 3 }, 0);
    const [entity] = store.read('ds');
    expect(Object.keys(entity!)).toEqual(['A', '_deleted', '_hash', '_id', '_previous', '_ts', '_updated', 'b', 'é']);
    expect(Object.keys(entity!.A as object)).toEqual(['y', 'z']);
    expect(Object.keys(store.latest('ds', 'a')!)[0]).toBe('A');
  });
});

describe('NodeStore key order of bodies stored unsorted', () => {
  it('sorts them on read, integer-like keys included in the sort', () => {
    const dir = tempDir();
    const store = NodeStore.open({ dir });
    store.write('ds', { _id: 'a', b: 1 }, 0);
    // A body written before bodies were stored sorted, put there through a second connection to the same file.
    const db = new Database(join(dir, 'node.db'));
    db.prepare("UPDATE versions SET body = ? WHERE dataset = 'ds'").run('{"b": 1, "_id": "a", "A": 2, "2": 3}');
    db.close();
    expect(Object.keys(store.read('ds')[0]!)).toEqual([
      '2',
      'A',
      '_deleted',
      '_hash',
      '_id',
      '_previous',
      '_ts',
      '_updated',
      'b',
    ]);
  });
});

describe('NodeStore reading bodies', () => {
  // Most bodies are read by the native JSON.parse; these must read exactly as the lossless parser reads them.
  const bodies: [string, JsonValue][] = [
    ['plain', { s: 'text', i: 42, neg: -7, f: new JsonFloat(12.34), t: true, n: null, list: [1, new JsonFloat(0.5)] }],
    ['integral floats', { a: new JsonFloat(1), b: new JsonFloat(-0), c: new JsonFloat(1e20), d: [new JsonFloat(3)] }],
    ['minus zero in a list', { l: [new JsonFloat(-0), 0, new JsonFloat(-0.5)], id: 'x-0' }],
    ['exponents', { small: new JsonFloat(1.5e-7), big: new JsonFloat(2.5e300) }],
    ['big integers', { big: 123456789012345678901234567890n, edge: 2 ** 53 - 1, over: 2n ** 53n }],
    ['NaN and Infinity', { nan: new JsonFloat(Number.NaN), inf: new JsonFloat(Number.NEGATIVE_INFINITY) }],
    ['index-like keys, nested', { nested: { '2': 'b', '15': 'a', x: [{ '0': 1, k: new JsonFloat(2.5) }] } }],
    ['strings that look like numbers', { ip: '10.0.0.1', e: '1e5', long: '12345678901234567890', m: '-0' }],
    ['escapes and astral characters', { q: 'a"b\\c\n', u: '\u0000\u001f', pair: '😀', key: { 'é😀': 1 } }],
  ];
  for (const [name, body] of bodies) {
    it(`reads ${name} as the lossless parser does`, () => {
      const store = NodeStore.open({ memory: true });
      store.write('ds', { _id: 'e', ...(body as object) }, 1);
      const read = store.read('ds')[0]!;
      for (const key of ['_deleted', '_hash', '_previous', '_ts', '_updated']) delete read[key];
      const lossless = parseJson(stringifyJson({ _id: 'e', ...(body as object) }, { sortKeys: true }));
      expect(shape(read)).toEqual(shape(lossless));
    });
  }
});

describe('NodeStore pipe state', () => {
  it('reads back what the stored text says, whether or not it was just written, and forgets a rolled-back write', () => {
    const dir = tempDir();
    const store = NodeStore.open({ dir });
    store.setPipeState('p', { lastSeen: '5', depOffsets: { d: 3 }, extra: { ratio: 0.5, big: 2n ** 64n, list: [1] } });
    const written = store.pipeState('p');
    // The caller's copy is its own: changing it changes nothing stored.
    written.depOffsets.d = 99;
    (written.extra.list as number[]).push(2);
    written.extra = {};
    expect(store.pipeState('p').extra.list).toEqual([1]);
    expect(store.pipeState('p').depOffsets).toEqual({ d: 3 });
    store.close();
    const again = NodeStore.open({ dir });
    const fresh = again.pipeState('p');
    expect(fresh).toEqual({
      lastSeen: '5',
      depOffsets: { d: 3 },
      extra: { ratio: new JsonFloat(0.5), big: 2n ** 64n, list: [1] },
    });
    const other = NodeStore.open({ memory: true });
    other.setPipeState('p', { lastSeen: '5', depOffsets: { d: 3 }, extra: { ratio: 0.5, big: 2n ** 64n, list: [1] } });
    expect(other.pipeState('p')).toEqual(fresh);
    expect(() =>
      other.transaction(() => {
        other.setPipeState('p', { lastSeen: '6', depOffsets: {}, extra: {} });
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(other.pipeState('p').lastSeen).toBe('5');
    other.clearPipeState('p');
    expect(other.pipeState('p')).toEqual({ lastSeen: null, depOffsets: {}, extra: {} });
    again.close();
  });
});
