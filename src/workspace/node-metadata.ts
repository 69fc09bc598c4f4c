// node-metadata.conf.json settings that sesam-py manages around uploads (reference §2.6): on upload it disables
// the node's scheduling of user pipes (unless -enable-user-pipes), eager microservices and, on request, the C++
// DTL extensions; on download/status it takes those injected values out again so the local file is unchanged.
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';

export interface MetadataFlags {
  enableUserPipes: boolean;
  disableCppExtensions: boolean;
  enableEagerMs: boolean;
}

function section(meta: JsonObject, key: string): JsonObject {
  const current = meta[key];
  if (isJsonObject(current)) return current;
  const fresh: JsonObject = {};
  meta[key] = fresh;
  return fresh;
}

/** The metadata as upload sends it. Returns a new object; `meta` is not changed. */
export function injectNodeMetadata(meta: JsonObject, flags: MetadataFlags): JsonObject {
  const out = shallowDeepCopy(meta);
  section(out, 'task_manager').disable_user_pipes = !flags.enableUserPipes;
  if (flags.disableCppExtensions) section(out, 'global_defaults').enable_cpp_extensions = false;
  section(out, 'global_defaults').eager_load_microservices = flags.enableEagerMs;
  return out;
}

/**
 * The node's metadata with upload's injected settings taken out again: a value the upload forced (`true` for
 * disable_user_pipes, `false` for the two global defaults) is restored from the local file when it has the key,
 * else removed, and a section left empty is removed.
 */
export function removeTaskManagerSettings(remote: JsonObject, local: JsonObject | undefined): JsonObject {
  const out = shallowDeepCopy(remote);
  const restore = (sectionName: string, key: string, injected: boolean) => {
    const sec = out[sectionName];
    if (!isJsonObject(sec) || sec[key] !== injected) return;
    const localSec = local?.[sectionName];
    if (isJsonObject(localSec) && key in localSec) {
      sec[key] = localSec[key]!;
    } else {
      delete sec[key];
      if (Object.keys(sec).length === 0) delete out[sectionName];
    }
  };
  restore('task_manager', 'disable_user_pipes', true);
  restore('global_defaults', 'enable_cpp_extensions', false);
  restore('global_defaults', 'eager_load_microservices', false);
  return out;
}

/** What wipe uploads first, so pipes stop running while they are removed (sesam-py's wipe). */
export function wipeMetadata(local: JsonObject | undefined): JsonObject {
  const out = local ? shallowDeepCopy(local) : { _id: 'node', type: 'metadata' };
  const defaults = section(out, 'global_defaults');
  defaults.use_signalling_internally = false;
  defaults.use_signalling_externally = false;
  defaults.enable_cpp_extensions = false;
  section(out, 'task_manager').disable_user_pipes = true;
  return out;
}

/** Deep copy of the object spine; leaf values (JsonFloat, bigint) are shared, which is safe as they are immutable. */
function shallowDeepCopy(value: JsonObject): JsonObject {
  const walk = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(walk);
    if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as JsonObject;
}
