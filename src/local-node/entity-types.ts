// The entity type a node infers for a pipe (`GET /pipes/{id}/entity-types/{stage}`): a JSON schema of the entities'
// properties, with Sesam's typed values (transit strings such as `~t…`, `~f…`, `~:…`) as `string` with a
// `subtype`, and `anyOf` where a property holds values of several kinds. Connector tooling (`update-schemas`)
// reads `type`, `subtype`, `anyOf`, `items` and `properties`.
import { isJsonObject, JsonFloat, type JsonObject, type JsonValue } from '../format/json.js';

const TRANSIT_SUBTYPES: Record<string, string> = {
  '~t': 'datetime',
  '~f': 'decimal',
  '~:': 'ni',
  '~u': 'uuid',
  '~b': 'bytes',
  '~r': 'uri',
};

/** The schema of one value, before merging. */
function schemaOf(value: JsonValue): JsonObject {
  if (value === null) return { type: 'null' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number' || typeof value === 'bigint')
    return { type: typeof value === 'number' && !Number.isInteger(value) ? 'number' : 'integer' };
  if (value instanceof JsonFloat) return { type: 'number' };
  if (typeof value === 'string') {
    const subtype = TRANSIT_SUBTYPES[value.slice(0, 2)];
    return subtype ? { subtype, type: 'string' } : { type: 'string' };
  }
  if (Array.isArray(value)) {
    const items = mergeSchemas(value.map(schemaOf));
    return items ? { items, type: 'array' } : { type: 'array' };
  }
  return objectSchema([value]);
}

/** Internal properties the node adds to every entity (`_deleted`, `_updated`, ...) are no part of its type. */
const isInternal = (name: string) => name.startsWith('_') && name !== '_id';

function objectSchema(objects: JsonObject[], top = false): JsonObject {
  const byName = new Map<string, JsonObject[]>();
  for (const object of objects) {
    for (const [name, value] of Object.entries(object)) {
      if (top && isInternal(name)) continue;
      const list = byName.get(name) ?? [];
      list.push(schemaOf(value));
      byName.set(name, list);
    }
  }
  const properties: JsonObject = {};
  for (const name of [...byName.keys()].sort()) {
    const schemas = byName.get(name)!;
    // A property missing from some entities is optional: it may be null there.
    if (schemas.length < objects.length) schemas.push({ type: 'null' });
    properties[name] = mergeSchemas(schemas)!;
  }
  return { properties, type: 'object' };
}

const kindKey = (schema: JsonObject): string => `${schema.type}/${schema.subtype ?? ''}`;

/** One schema for several: identical kinds fold (objects merge their properties), different kinds become anyOf. */
function mergeSchemas(schemas: JsonObject[]): JsonObject | undefined {
  const kinds = new Map<string, JsonObject[]>();
  for (const schema of schemas) {
    const list = kinds.get(kindKey(schema)) ?? [];
    list.push(schema);
    kinds.set(kindKey(schema), list);
  }
  const merged = [...kinds.values()].map((group) => {
    const first = group[0]!;
    if (first.type === 'object') {
      const props = group.map((s) => (isJsonObject(s.properties) ? s.properties : {}));
      return objectSchemaOfPropertySets(props);
    }
    if (first.type === 'array') {
      const items = group.map((s) => s.items).filter(isJsonObject);
      const mergedItems = mergeSchemas(items);
      return mergedItems ? { items: mergedItems, type: 'array' } : { type: 'array' };
    }
    return first;
  });
  if (merged.length === 0) return undefined;
  if (merged.length === 1) return merged[0];
  return { anyOf: merged.sort((a, b) => kindKey(a).localeCompare(kindKey(b))) };
}

function objectSchemaOfPropertySets(sets: JsonObject[]): JsonObject {
  const names = new Set(sets.flatMap((s) => Object.keys(s)));
  const properties: JsonObject = {};
  for (const name of [...names].sort()) {
    const schemas = sets.map((s) => s[name]).filter(isJsonObject);
    if (schemas.length < sets.length) schemas.push({ type: 'null' });
    properties[name] = mergeSchemas(schemas)!;
  }
  return { properties, type: 'object' };
}

/** The inferred entity type of a pipe's entities at a stage; `{}` when there are no entities. */
export function inferEntityType(pipeId: string, stage: string, entities: JsonObject[]): JsonObject {
  if (entities.length === 0) return {};
  return {
    $id: `/pipes/${pipeId}/entity-types/${stage}`,
    $schema: 'http://json-schema.org/schema#',
    additionalProperties: true,
    ...objectSchema(entities, true),
  };
}
