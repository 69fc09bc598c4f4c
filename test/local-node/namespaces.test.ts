import { describe, expect, it } from 'vitest';
import { addNamespaces, removeNamespaces } from '../../src/local-node/namespaces.js';

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

  it('removes the first namespace segment from _id, keys and NI values', () => {
    expect(
      removeNamespaces({
        _id: 'input-pipe1:test1',
        'input-pipe1:name': 'test1',
        'a:ref': '~:other:x:y',
        plain: 'no:ns',
        _deleted: false,
      }),
    ).toEqual({ _id: 'test1', name: 'test1', ref: '~:x:y', plain: 'no:ns', _deleted: false });
  });

  it('round-trips an entity', () => {
    const e = { _id: 'test1', name: 'test1' };
    expect(removeNamespaces(addNamespaces(e, ns))).toEqual(e);
  });
});
