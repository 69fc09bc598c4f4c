// The node configuration as it travels over /api/config: a zip in sesam-py's layout (pipes/<id>.conf.json,
// systems/<id>.conf.json, node-metadata.conf.json) or a JSON array of config entities.
import { unzipSync, zipSync } from 'fflate';
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../../format/json.js';
import { parseJsonBody } from './body.js';
import { badRequest, HttpError } from './responses.js';

/** Where a config entity lives in the zip (and in a project). */
export function configPath(entity: JsonObject): string {
  const id = entity._id;
  const type = entity.type;
  if (type === 'metadata') return 'node-metadata.conf.json';
  if (typeof id !== 'string')
    throw new HttpError(500, `A stored config entity has no string _id: ${stringifyJson(entity)}`);
  if (type === 'pipe') return `pipes/${id}.conf.json`;
  if (typeof type === 'string' && type.startsWith('system')) return `systems/${id}.conf.json`;
  throw new HttpError(
    500,
    `The stored config entity '${id}' has the type ${stringifyJson(type ?? null)}, which has no place in a config zip.`,
  );
}

// A fixed timestamp keeps the zip of an unchanged config byte-identical between downloads.
const ZIP_MTIME = new Date(Date.UTC(2000, 0, 1));

export function configToZip(entities: JsonObject[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const encoder = new TextEncoder();
  for (const entity of entities) {
    const path = configPath(entity);
    if (files[path]) throw new HttpError(500, `Two stored config entities map to the zip file '${path}'.`);
    files[path] = encoder.encode(`${stringifyJson(entity, { indent: 2 })}\n`);
  }
  const sorted = Object.fromEntries(
    Object.keys(files)
      .sort()
      .map((path) => [path, files[path]!]),
  );
  return zipSync(sorted, { mtime: ZIP_MTIME });
}

// Files that archivers add on their own; they are not config.
const ARCHIVER_NOISE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/;

/** The config entities of an uploaded zip: every .json file holds one entity or an array of them. */
export function configFromZip(bytes: Uint8Array): JsonObject[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw badRequest(
      `The uploaded config is not a readable zip file: ${err instanceof Error ? err.message : String(err)}.`,
    );
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const entities: JsonObject[] = [];
  for (const name of Object.keys(files).sort()) {
    if (name.endsWith('/') || ARCHIVER_NOISE.test(name)) continue;
    if (!name.endsWith('.json')) {
      throw badRequest(
        `The config zip holds '${name}', which is not a .json file; only pipes/, systems/ and node-metadata.conf.json belong there.`,
      );
    }
    let text: string;
    try {
      text = decoder.decode(files[name]!);
    } catch {
      throw badRequest(`The file '${name}' in the config zip is not UTF-8 text.`);
    }
    entities.push(
      ...configEntities(
        parseJsonBody(text, `the file '${name}' in the config zip`),
        `the file '${name}' in the config zip`,
      ),
    );
  }
  return entities;
}

/** A JSON config upload: an array of config entities (a single object is accepted too). */
export function configEntities(value: JsonValue, where = 'the uploaded config'): JsonObject[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, index) => {
    if (!isJsonObject(item)) {
      throw badRequest(
        `${where.charAt(0).toUpperCase() + where.slice(1)} must hold config objects, but item ${index} is ${preview(item)}.`,
      );
    }
    return item;
  });
}

/** Zip files start with a local file header (PK\3\4) or, when empty, an end-of-central-directory record (PK\5\6). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    (bytes[2] === 3 || bytes[2] === 5) &&
    (bytes[3] === 4 || bytes[3] === 6)
  );
}

/** A value for an error message, cut short so a huge upload cannot flood the answer. */
function preview(value: JsonValue): string {
  const text = stringifyJson(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
