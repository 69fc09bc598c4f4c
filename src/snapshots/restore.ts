// Putting a revision's configuration on a node: what would change (node now vs revision, compared as JSON), and
// the upload itself (config zip as `upload` builds it, then the env). Shared by `restore` and `bisect`.
import { jsonEquals, type JsonObject } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import type { MetadataFlags } from '../workspace/node-metadata.js';
import { diffJson, type JsonChange } from '../format/json-diff.js';
import { envOf, unzipConfig, uploadEntries, zipOf } from './node-config.js';
import { diffProjects, type ProjectDiff } from './project-diff.js';

export interface RevisionConfig {
  /** Zip entries exactly as they will be uploaded. */
  entries: Map<string, Uint8Array>;
  /** The profile's env, or undefined when the revision has none (the node's env is then left as it is). */
  env?: JsonObject;
}

export function revisionConfig(
  files: Map<string, Uint8Array>,
  options: {
    profile: string;
    flags: MetadataFlags;
    jinjaVars?: Record<string, string>;
    describe?: (path: string) => string;
  },
): RevisionConfig {
  return {
    entries: uploadEntries(files, { flags: options.flags, jinjaVars: options.jinjaVars }, options.describe),
    env: envOf(files, options.profile, options.describe),
  };
}

export interface NodePlan {
  config: ProjectDiff;
  /** undefined when the env is left alone. */
  env?: JsonChange[];
}

/** What uploading `target` would change on the node. */
export async function planNodeChange(api: NodeApi, target: RevisionConfig): Promise<NodePlan> {
  const current = unzipConfig(await api.getConfigZip(), "the node's config zip");
  const config = diffProjects(current, target.entries);
  if (!target.env) return { config };
  const env = await api.getEnv();
  return { config, env: jsonEquals(env, target.env) ? [] : diffJson(env, target.env) };
}

/** Upload a revision's configuration, then its env. Node errors propagate (kind 'node'). */
export async function pushConfig(api: NodeApi, target: RevisionConfig, options: { force: boolean }): Promise<void> {
  await api.putConfig({ zip: zipOf(target.entries) }, { force: options.force });
  if (target.env) await api.putEnv(target.env);
}

/** The node's configuration as it is, to put back later. */
export interface NodeSnapshot {
  configZip: Uint8Array;
  env: JsonObject;
}

export async function saveNode(api: NodeApi): Promise<NodeSnapshot> {
  return { configZip: await api.getConfigZip(), env: await api.getEnv() };
}

export async function putBack(api: NodeApi, saved: NodeSnapshot): Promise<void> {
  await api.putConfig({ zip: saved.configZip }, { force: true });
  await api.putEnv(saved.env);
}
