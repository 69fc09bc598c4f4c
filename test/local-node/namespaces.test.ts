import { describe, expect, it } from 'vitest';
import { addNamespaces, removeNamespaces } from '../../src/local-node/namespaces.js';
import { dtl, embedded, engineWith, fromDataset, strip } from './helpers.js';

describe('namespaces', () => {
  const ns = { identity: 'input-pipe1', property: 'input-pipe1' };

  it('adds the identity namespace to _id and the property namespace to keys, skipping _ and $ keys', () => {
    expect(
      addNamespaces({ _id: 'test1', name: 'test1', _ts: 1, $ids: ['x'], nested: { a: 1 }, list: [{ b: 2 }] }, ns),
    ).toEqual({
      _id: 'input-pipe1:test1',
      'input-pipe1:name': 'test1',
      _ts: 1,
      $ids: ['x'],
      'input-pipe1:nested': { 'input-pipe1:a': 1 },
      'input-pipe1:list': [{ 'input-pipe1:b': 2 }],
    });
  });

  it('removes the namespace from _id, keys and NI values', () => {
    expect(
      removeNamespaces({
        _id: 'input-pipe1:test1',
        'input-pipe1:name': 'test1',
        'a:ref': '~:other:x:y',
        plain: 'no:ns',
        _deleted: false,
      }),
    ).toEqual({ _id: 'test1', name: 'test1', ref: '~:y', plain: 'no:ns', _deleted: false });
  });

  it('round-trips an entity', () => {
    const e = { _id: 'test1', name: 'test1' };
    expect(removeNamespaces(addNamespaces(e, ns))).toEqual(e);
  });
});

describe('namespaces as a node applies them', () => {
  const ns = { identity: 'hr', property: 'hr' };

  it('add: a key that already carries a namespace still gets the pipe namespace', () => {
    expect(addNamespaces({ _id: '1', 'crm:name': 'a', nested: { 'x:y': 1 } }, ns)).toEqual({
      _id: 'hr:1',
      'hr:crm:name': 'a',
      'hr:nested': { 'hr:x:y': 1 },
    });
  });

  it('add: _ids of embedded entities get the identity namespace unless already qualified', () => {
    expect(
      addNamespaces({ _id: '1', boss: { _id: '2', name: 'b' }, refs: [{ _id: 'crm:3' }, { _id: 4 }] }, ns),
    ).toEqual({
      _id: 'hr:1',
      'hr:boss': { _id: 'hr:2', 'hr:name': 'b' },
      'hr:refs': [{ _id: 'crm:3' }, { _id: 4 }],
    });
  });

  it('remove: strips up to the last colon from _id, keys, embedded _ids and NI values', () => {
    expect(
      removeNamespaces({
        _id: 'hr:crm:1',
        'hr:crm:name': 'a',
        'hr:boss': { _id: 'hr:2', 'hr:x:y': 1 },
        'hr:ref': '~:hr:crm:9',
      }),
    ).toEqual({ _id: '1', name: 'a', boss: { _id: '2', y: 1 }, ref: '~:9' });
  });

  it('remove: the last key wins when two keys strip to the same name', () => {
    const out = removeNamespaces({ _id: 'a', 'crm:name': 'first', 'hr:name': 'second', 'x:y:name': 'third' });
    expect(out).toEqual({ _id: 'a', name: 'third' });
    expect(Object.getPrototypeOf(removeNamespaces({ _id: 'a', 'x:__proto__': { polluted: 1 } }))).toBe(
      Object.prototype,
    );
    expect(removeNamespaces({ _id: 'a', 'x:y:name': 'first', 'hr:name': 'second' })).toEqual({
      _id: 'a',
      name: 'second',
    });
  });
});

describe('namespaces through the engine', () => {
  it('a rule that only adds ::username yields the source _id; embedded _ids and keys are namespaced, then stripped', () => {
    const engine = engineWith([
      { _id: 'node', type: 'metadata', namespaced_identifiers: true },
      embedded('crm', [{ _id: '1', name: 'ann', 'x:y': 1, boss: { _id: '2', name: 'bo' } }]),
      fromDataset('user', 'crm', { transform: dtl({ default: [['add', '::username', '_S.name']] }) }),
      fromDataset('out', 'crm', { sink: { type: 'http_endpoint' } }),
    ]);
    for (const id of ['crm', 'user']) engine.pumpOperation(id, 'start', {});
    expect(strip(engine.datasetEntities('crm', {}))).toEqual([
      { _id: 'crm:1', 'crm:boss': { _id: 'crm:2', 'crm:name': 'bo' }, 'crm:name': 'ann', 'crm:x:y': 1 },
    ]);
    expect(strip(engine.datasetEntities('user', {}))).toEqual([{ _id: 'crm:1', username: 'ann' }]);
    expect(strip(engine.pipeEntities('out', {}))).toEqual([
      { _id: '1', boss: { _id: '2', name: 'bo' }, name: 'ann', y: 1 },
    ]);
  });
});
