// The embedded node's inferred entity types: typed values as subtypes, several kinds as anyOf, optional properties
// as possibly null, nested objects and list items merged, internal properties left out.
import { describe, expect, it } from 'vitest';
import { JsonFloat } from '../../src/format/json.js';
import { inferEntityType } from '../../src/local-node/entity-types.js';

describe('inferEntityType', () => {
  it('is {} without entities', () => {
    expect(inferEntityType('p', 'sink', [])).toEqual({});
  });

  it('describes the properties of all entities', () => {
    const schema = inferEntityType('p', 'sink', [
      { _id: '1', _deleted: false, n: 1, f: new JsonFloat(1), t: '~t2020-01-01T00:00:00Z', ref: '~:ns:1', o: { x: 1 } },
      { _id: '2', n: '~f2.5', list: [1, 'a'], o: { y: true } },
    ]);
    expect(schema).toMatchObject({ $id: '/pipes/p/entity-types/sink', type: 'object' });
    expect(schema.properties).toEqual({
      _id: { type: 'string' },
      f: { anyOf: [{ type: 'null' }, { type: 'number' }] },
      list: {
        anyOf: [{ type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }, { type: 'null' }],
      },
      n: { anyOf: [{ type: 'integer' }, { subtype: 'decimal', type: 'string' }] },
      o: {
        properties: {
          x: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          y: { anyOf: [{ type: 'boolean' }, { type: 'null' }] },
        },
        type: 'object',
      },
      ref: { anyOf: [{ type: 'null' }, { subtype: 'ni', type: 'string' }] },
      t: { anyOf: [{ type: 'null' }, { subtype: 'datetime', type: 'string' }] },
    });
  });
});
