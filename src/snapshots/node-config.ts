// A revision's files as the node receives them: the config zip exactly as `upload` builds it (pipes, systems,
// node-metadata with the injected task-manager settings, `.jinja_vars` substituted) and the profile's env.
import { inputError, nodeError } from '../errors.js';
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import { injectNodeMetadata, type MetadataFlags } from '../workspace/node-metadata.js';
import { substituteJinja } from '../workspace/jinja.js';
import { createZip, readZip } from '../workspace/zip.js';
import { envFileName, NODE_METADATA } from './project-files.js';

const decoder = new TextDecoder('utf-8');
const text = (data: Uint8Array) => decoder.decode(data).replace(/^\uFEFF/, '');

export interface UploadOptions {
  flags: MetadataFlags;
  jinjaVars?: Record<string, string>;
}

/** Does this revision hold a Sesam configuration at all? */
export function hasConfig(files: Map<string, Uint8Array>): boolean {
  return [...files.keys()].some((p) => p === NODE_METADATA || /^(pipes|systems)\/.+\.conf\.json$/.test(p));
}

/** Zip entries in sesam-py's order: pipes, systems, node-metadata. */
export function uploadEntries(
  files: Map<string, Uint8Array>,
  options: UploadOptions,
  describe = (p: string) => p,
): Map<string, Uint8Array> {
  const vars = options.jinjaVars && Object.keys(options.jinjaVars).length ? options.jinjaVars : undefined;
  const pick = (dir: string) =>
    [...files.keys()].filter((p) => p.startsWith(`${dir}/`) && p.endsWith('.conf.json')).sort();
  const out = new Map<string, Uint8Array>();
  for (const path of [...pick('pipes'), ...pick('systems')]) {
    const data = files.get(path)!;
    out.set(path, vars ? Buffer.from(substituteJinja(text(data), vars), 'utf8') : data);
  }
  const meta = files.get(NODE_METADATA);
  if (meta) {
    let value: JsonValue;
    try {
      value = parseJson(vars ? substituteJinja(text(meta), vars) : text(meta));
    } catch (err) {
      throw inputError(`Invalid JSON in ${describe(NODE_METADATA)}`, { reason: (err as Error).message });
    }
    if (!isJsonObject(value)) throw inputError(`${describe(NODE_METADATA)} does not hold a JSON object`);
    // Python's json.dumps with default separators, as sesam-py sends it.
    out.set(NODE_METADATA, Buffer.from(stringifyJson(injectNodeMetadata(value, options.flags)), 'utf8'));
  }
  return out;
}

export function zipOf(entries: Map<string, Uint8Array>): Uint8Array {
  return createZip([...entries].map(([path, data]) => ({ path, data })));
}

/** A config zip the node sent, read with readZip's limits; a bad one is the node's error. */
export function unzipConfig(zip: Uint8Array, what: string): Map<string, Uint8Array> {
  try {
    return readZip(zip);
  } catch (err) {
    throw nodeError(`Could not read ${what}`, { reason: (err as Error).message });
  }
}

/** The profile's env at this revision, undefined when the revision has no env file. */
export function envOf(
  files: Map<string, Uint8Array>,
  profile: string,
  describe = (p: string) => p,
): JsonObject | undefined {
  const name = envFileName(profile);
  const data = files.get(name);
  if (!data) return undefined;
  let value: JsonValue;
  try {
    value = parseJson(text(data));
  } catch (err) {
    throw inputError(`Invalid JSON in ${describe(name)}`, { reason: (err as Error).message });
  }
  if (!isJsonObject(value)) throw inputError(`${describe(name)} does not hold a JSON object`);
  return value;
}
