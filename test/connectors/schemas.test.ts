// sesam-py's schema files from inferred entity types: which properties count as null, what is merged back, and the
// CSV rows for objects, arrays and the integer-or-decimal case.
import { describe, expect, it } from 'vitest';
import { incompleteSchema, mergedSchema, schemaCsv } from '../../src/connectors/schemas.js';
import type { JsonObject } from '../../src/format/json.js';

describe('incompleteSchema', () => {
  it('keeps only properties whose every alternative is null-typed, without $ properties', () => {
    const live: JsonObject = {
      type: 'object',
      properties: {
        $ids: { type: 'null' },
        a: { type: 'null' },
        b: { anyOf: [{ type: 'null' }, { type: 'string' }] },
        c: { anyOf: [{ type: 'null' }, { subtype: 'null', type: 'null' }] },
        d: { type: 'string' },
      },
    };
    const { schema, nulls } = incompleteSchema(live);
    expect(nulls).toBe(2);
    expect(schema.properties).toEqual({
      a: { type: null, description: '' },
      c: { anyOf: [{ type: 'null' }, { subtype: 'null', type: 'null' }], type: null, description: '' },
    });
    expect((live.properties as JsonObject).a).toEqual({ type: 'null' });
  });
});

describe('mergedSchema', () => {
  it('puts back what a person typed and leaves what is still null', () => {
    const live = { properties: { a: { type: 'null' }, b: { type: 'null' }, c: { type: 'integer' } } };
    const edited = {
      properties: { a: { type: 'string', description: 'typed' }, b: { anyOf: [{ type: 'null' }] } },
    };
    expect(mergedSchema(live, edited).properties).toEqual({
      a: { type: 'string', description: 'typed' },
      b: { type: 'null' },
      c: { type: 'integer' },
    });
  });
});

describe('schemaCsv', () => {
  it('writes one row per property, sub-properties of objects and of array items, datatypes sorted', () => {
    const schemas = new Map<string, JsonObject>([
      [
        'z',
        {
          properties: {
            amount: {
              anyOf: [{ subtype: 'decimal', type: 'string', description: 'The sum' }, { type: 'integer' }],
            },
            maybe: { anyOf: [{ type: 'null' }, { type: 'boolean', description: 'say "yes"' }] },
          },
        },
      ],
      [
        'a',
        {
          properties: {
            $ids: { type: 'array' },
            address: { type: 'object', properties: { city: { type: 'string', description: 'x' } } },
            blob: { type: 'object', description: 'keeps "quotes"' },
            lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } },
          },
        },
      ],
    ]);
    expect(schemaCsv('acme', schemas).split('\n')).toEqual([
      '"System","Type","Name","SubName","Datatype","Description"',
      '"acme","a","address.city","","string","x"',
      '"acme","a","blob","","object","keeps "quotes""',
      '"acme","a","lines","qty","integer",""',
      '"acme","z","amount","","decimal","The sum (property can be decimal or integer)."',
      '"acme","z","maybe","","boolean","say \'yes\'"',
      '',
    ]);
  });
});
