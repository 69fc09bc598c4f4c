// The node's config as files: GET /config as a zip, each entry parsed losslessly, with upload's injected
// node-metadata settings taken out again (sesam-py's remove_task_manager_settings). Shared by status and download.
// The zip is untrusted: readZip bounds its size and refuses bad names; here every entry must be a config path
// (isNodeConfigPath) holding a JSON object, or the whole zip is refused as a node error before anything is written.
import { nodeError } from '../errors.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import { removeTaskManagerSettings } from '../workspace/node-metadata.js';
import { isNodeConfigPath, NODE_METADATA_FILE } from '../workspace/project.js';
import { readZip, zipEntryText } from '../workspace/zip.js';

export interface RemoteConfig {
  /** Path in the zip -> parsed content, in the node's order. */
  files: Map<string, JsonValue>;
  /** The zip as the node sent it. */
  raw: Uint8Array;
}

export async function fetchRemoteConfig(api: NodeApi, localMetadata: JsonObject | undefined): Promise<RemoteConfig> {
  const raw = await api.getConfigZip();
  let entries: Map<string, Uint8Array>;
  try {
    entries = readZip(raw);
  } catch (err) {
    throw nodeError('The node sent a config zip that cannot be read (GET /config); nothing was written.', {
      reason: (err as Error).message,
    });
  }
  for (const path of entries.keys()) {
    if (!isNodeConfigPath(path)) {
      throw nodeError(`The node sent '${path}' in its config zip (GET /config); nothing was written.`, {
        reason: 'a config zip may only hold pipes/<id>.conf.json, systems/<id>.conf.json and node-metadata.conf.json',
      });
    }
  }
  const files = new Map<string, JsonValue>();
  for (const [path, bytes] of entries) {
    let value: JsonValue;
    try {
      value = parseJson(zipEntryText(bytes));
    } catch (err) {
      throw nodeError(`The node sent invalid JSON for ${path} in GET /config.`, { reason: (err as Error).message });
    }
    if (!isJsonObject(value)) throw nodeError(`The node sent ${path} in GET /config, which is not a JSON object.`);
    if (path === NODE_METADATA_FILE && isJsonObject(value)) value = removeTaskManagerSettings(value, localMetadata);
    files.set(path, value);
  }
  return { files, raw };
}
