// The schema files of `update-schemas`, as sesam-py derives them from a node's inferred entity types:
// `schemas/<datatype>.json` lists the properties the node could only type as null (for a person to fill in),
// `schemas/<datatype>.merged.json` is the live schema with those filled-in properties put back, and `schema.csv`
// flattens every merged schema into one row per property.
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';

const isNullish = (v: JsonValue | undefined) => v === undefined || v === null || v === 'null';

/** True when every alternative of the property is null-typed (sesam-py's rule for the "incomplete" schema). */
function onlyNull(property: JsonObject): boolean {
  const alternatives = Array.isArray(property.anyOf) ? property.anyOf.filter(isJsonObject) : [property];
  return alternatives.every((a) => isNullish(a.subtype) && isNullish(a.type));
}

/** The first `schemas/<datatype>.json`: only the null-typed properties, each with type null and an empty description. */
export function incompleteSchema(live: JsonObject): { schema: JsonObject; nulls: number } {
  const schema = structuredClone(live) as JsonObject;
  const properties = isJsonObject(live.properties) ? live.properties : {};
  const kept: JsonObject = {};
  let nulls = 0;
  for (const [name, property] of Object.entries(properties)) {
    if (name.startsWith('$') || !isJsonObject(property) || !onlyNull(property)) continue;
    nulls++;
    kept[name] = { ...property, type: null, description: '' };
  }
  schema.properties = kept;
  return { schema, nulls };
}

/** The live schema with every property of the hand-edited schema that is no longer null-typed. */
export function mergedSchema(live: JsonObject, edited: JsonObject): JsonObject {
  const merged = structuredClone(live) as JsonObject;
  const properties: JsonObject = isJsonObject(merged.properties) ? merged.properties : {};
  const editedProperties = isJsonObject(edited.properties) ? edited.properties : {};
  for (const [name, property] of Object.entries(editedProperties)) {
    if (!isJsonObject(property)) continue;
    const type = property.subtype ?? property.type;
    const isNull =
      (type === undefined || type === null) && Array.isArray(property.anyOf)
        ? property.anyOf.filter(isJsonObject).every((e) => e.type === 'null')
        : type === 'null';
    if (!isNull) properties[name] = property;
  }
  merged.properties = properties;
  return merged;
}

const str = (v: JsonValue | undefined): string => (v === undefined || v === null ? '' : String(v));
/** Python's str() of a type value as sesam-py writes it into the CSV (None for a missing type). */
const pyStr = (v: JsonValue | undefined): string => (v === undefined || v === null ? 'None' : String(v));

/** `schema.csv`: System, Type, Name, SubName, Datatype, Description; datatypes sorted, `$` properties left out. */
export function schemaCsv(system: string, schemas: Map<string, JsonObject>): string {
  const rows: string[] = ['"System","Type","Name","SubName","Datatype","Description"\n'];
  const row = (datatype: string, name: string, sub: string, type: string, description: string) =>
    rows.push(`"${system}","${datatype}","${name}","${sub}","${type}","${description}"\n`);
  for (const datatype of [...schemas.keys()].sort()) {
    const properties = schemas.get(datatype)!.properties;
    if (!isJsonObject(properties)) continue;
    for (const [name, raw] of Object.entries(properties)) {
      if (name.startsWith('$') || !isJsonObject(raw)) continue;
      const property = simplifyAnyOf(raw);
      const type = property.subtype ?? property.type;
      const description = (p: JsonObject) => str(p.description).replaceAll('"', "'");
      if (type === 'object') {
        const sub = isJsonObject(property.properties) ? property.properties : {};
        // sesam-py keeps double quotes in the description of an object without sub-properties.
        if (Object.keys(sub).length === 0) row(datatype, name, '', 'object', str(property.description));
        for (const [subName, subSchema] of Object.entries(sub)) {
          if (isJsonObject(subSchema))
            row(datatype, `${name}.${subName}`, '', pyStr(subSchema.type), description(subSchema));
        }
      } else if (type === 'array') {
        const items = isJsonObject(property.items) ? property.items : {};
        if (items.type === 'object' && isJsonObject(items.properties)) {
          for (const [subName, subSchema] of Object.entries(items.properties)) {
            if (isJsonObject(subSchema)) row(datatype, name, subName, pyStr(subSchema.type), description(subSchema));
          }
        } else {
          row(datatype, name, '', 'array', description(property));
        }
      } else {
        row(datatype, name, '', pyStr(type), description(property));
      }
    }
  }
  return rows.join('');
}

/**
 * sesam-py's reading of a two-way anyOf: "X or null" is X; "integer or decimal string" is a decimal (noted in the
 * description); anything else stays as it is.
 */
function simplifyAnyOf(property: JsonObject): JsonObject {
  const anyOf = Array.isArray(property.anyOf) ? property.anyOf.filter(isJsonObject) : [];
  if (anyOf.length !== 2) return property;
  const nonNull = anyOf.filter((e) => e.type !== 'null');
  if (nonNull.length < anyOf.length) return nonNull[0] ?? property;
  const kinds = anyOf
    .map((e) => `${str(e.type)}/${str(e.subtype)}`)
    .sort()
    .join(',');
  if (kinds !== 'integer/,string/decimal') return property;
  const decimal = { ...anyOf.find((e) => e.subtype === 'decimal')! };
  decimal.type = 'decimal';
  delete decimal.subtype;
  if (typeof decimal.description === 'string') {
    const text = decimal.description.trim();
    decimal.description = text.endsWith('.')
      ? `${text} Property can be decimal or integer.`
      : `${text} (property can be decimal or integer).`;
  }
  return decimal;
}
