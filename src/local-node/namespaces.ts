// Namespaced identifiers (sesam-node.md §3.5). add_namespaces runs after the source: the `_id` value and every
// key not starting with `_` or `$` get a namespace prefix, recursively. remove_namespaces runs before endpoint
// sinks: it strips the first namespace segment from `_id`, keys and NI values ("~:ns:id" → "~:id").
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';

export interface NamespaceSettings {
  identity: string;
  property: string;
}

function prefixKeys(value: JsonValue, ns: string): JsonValue {
  if (Array.isArray(value)) return value.map((v) => prefixKeys(v, ns));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const reserved = key.startsWith('_') || key.startsWith('$');
    out[reserved ? key : `${ns}:${key}`] = prefixKeys(value[key]!, ns);
  }
  return out;
}

export function addNamespaces(entity: JsonObject, ns: NamespaceSettings): JsonObject {
  const out = prefixKeys(entity, ns.property) as JsonObject;
  if (typeof entity._id === 'string') out._id = `${ns.identity}:${entity._id}`;
  return out;
}

function stripFirst(text: string): string {
  const i = text.indexOf(':');
  return i < 0 ? text : text.slice(i + 1);
}

function stripValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.startsWith('~:') ? `~:${stripFirst(value.slice(2))}` : value;
  if (Array.isArray(value)) return value.map(stripValue);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const reserved = key.startsWith('_') || key.startsWith('$');
    out[reserved ? key : stripFirst(key)] = stripValue(value[key]!);
  }
  return out;
}

export function removeNamespaces(entity: JsonObject): JsonObject {
  const out = stripValue(entity) as JsonObject;
  if (typeof entity._id === 'string') out._id = stripFirst(entity._id);
  return out;
}
