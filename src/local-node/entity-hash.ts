// Sesam change tracking: an entity's hash covers its content and, of the reserved root fields, only `_id` and
// `_deleted` (absent ≡ false). The algorithm is unpublished; md5 of sorted-key compact JSON gives 32 hex chars.
import { hash } from 'node:crypto';
import { stringifyJson, type JsonObject } from '../format/json.js';

/** The entity without root `_` fields other than `_id`, with `_deleted` only when true. */
export function hashedContent(entity: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(entity)) {
    if (key.startsWith('_') && key !== '_id') continue;
    out[key] = entity[key]!;
  }
  if (entity._deleted === true) out._deleted = true;
  return out;
}

export function entityHash(entity: JsonObject): string {
  return md5Hex(stringifyJson(hashedContent(entity), { sortKeys: true, separators: [',', ':'] }));
}

/** The hash of hashedContent's sorted-key compact JSON text. */
export function md5Hex(text: string): string {
  return hash('md5', text, 'hex');
}
