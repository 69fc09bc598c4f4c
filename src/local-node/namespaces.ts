// Namespaced identifiers (sesam-node.md §3.5), as a node applies them. add_namespaces runs after the source: the
// `_id` value and every key not starting with `_` or `$` get a namespace prefix, recursively; a key that already
// has a namespace gets one more, and `_id`s of embedded entities get the identity namespace unless already
// qualified. remove_namespaces runs before endpoint sinks: it strips `_id`s, keys and NI values ("~:ns:id" → "~:id")
// up to the last colon; when two keys strip to the same name, the last one wins.
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';

export interface NamespaceSettings {
  identity: string;
  property: string;
}

function isReserved(key: string): boolean {
  return key.startsWith('_') || key.startsWith('$');
}

/** A plain assignment, except that a `__proto__` key (e.g. stripped from "ns:__proto__") stays an own key. */
function put(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function prefixKeys(value: JsonValue, ns: NamespaceSettings): JsonValue {
  if (Array.isArray(value)) return value.map((v) => prefixKeys(v, ns));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = value[key]!;
    if (key === '_id') out[key] = typeof v === 'string' && !v.includes(':') ? `${ns.identity}:${v}` : v;
    else put(out, isReserved(key) ? key : `${ns.property}:${key}`, prefixKeys(v, ns));
  }
  return out;
}

export function addNamespaces(entity: JsonObject, ns: NamespaceSettings): JsonObject {
  const out = prefixKeys(entity, ns) as JsonObject;
  if (typeof entity._id === 'string') out._id = `${ns.identity}:${entity._id}`;
  return out;
}

function stripNamespace(text: string): string {
  return text.slice(text.lastIndexOf(':') + 1);
}

function stripValue(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.startsWith('~:') ? `~:${stripNamespace(value.slice(2))}` : value;
  if (Array.isArray(value)) return value.map(stripValue);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const v = value[key]!;
    if (key === '_id') out[key] = typeof v === 'string' ? stripNamespace(v) : v;
    else put(out, isReserved(key) ? key : stripNamespace(key), stripValue(v));
  }
  return out;
}

export function removeNamespaces(entity: JsonObject): JsonObject {
  return stripValue(entity) as JsonObject;
}
