// `sesam status` (sesam-py §8): compare the local config files and <profile>-env.json with the node's. A file
// "differs" when its text is not exactly what download would write (format_json of the node's version).
// Exit 0 like sesam-py; --exit-code exits 1 when not in sync.
import { join, relative, sep } from 'node:path';
import { inConnectorMode } from '../connectors/manifest.js';
import { formatJson } from '../format/portal.js';
import { unifiedDiff } from '../format/unified-diff.js';
import { localConfigEntries } from '../workspace/config-zip.js';
import { writeFileAtomic } from '../workspace/files.js';
import { readJinjaVars } from '../workspace/jinja.js';
import { isFile, profileEnvPath, readProfileEnv } from '../workspace/project.js';
import { createZip } from '../workspace/zip.js';
import { stringifyJson } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';
import { readLocalMetadata, whitelistOf } from './node-files.js';
import { fetchRemoteConfig } from './remote-config.js';

export type FileState = 'same' | 'differs' | 'local-only' | 'remote-only';

export interface StatusResult {
  inSync: boolean;
  files: { path: string; state: FileState; diff?: string }[];
}

export async function status(ctx: CommandContext): Promise<number> {
  // In a connector folder the expanded config is compared (src/connectors/mode.ts).
  const local = inConnectorMode(ctx.cwd, ctx.options)
    ? (await import('../connectors/mode.js')).connectorStatusContext(ctx)
    : ctx;
  const result = await withNode(ctx, {}, (api) => compareWithNode(local, api));
  const { out } = ctx;
  if (ctx.options.json) {
    out.json({
      ok: true,
      inSync: result.inSync,
      files: result.files.map(({ path, state, diff }) => (diff ? { path, state, diff } : { path, state })),
    });
  } else {
    for (const f of result.files) {
      if (f.state === 'differs') out.line(`File '${f.path}' differs from Sesam!`);
      else if (f.state === 'remote-only') out.line(`Sesam file '${f.path}' was not found locally`);
      else if (f.state === 'local-only') out.line(`Local file '${f.path}' was not found in Sesam`);
      if (f.diff) out.write(f.diff);
    }
    out.line(
      result.inSync
        ? 'Sesam config is up-to-date with local config!'
        : 'Sesam config is NOT in sync with local config!',
    );
  }
  return !result.inSync && ctx.options.exitCode ? 1 : 0;
}

export async function compareWithNode(ctx: CommandContext, api: NodeApi): Promise<StatusResult> {
  const root = ctx.cwd;
  const profile = ctx.options.profile;
  const whitelist = whitelistOf(ctx);
  ctx.log.info('Comparing local and node config...');
  const local = localConfigEntries(root, { whitelist, jinjaVars: readJinjaVars(root) });
  const remote = await fetchRemoteConfig(api, readLocalMetadata(root));
  if (ctx.options.dump) {
    const entries = [...remote.files].map(([path, value]) => ({ path, data: stringifyJson(value, { indent: 2 }) }));
    writeFileAtomic(join(root, 'sesam-config.zip'), createZip(entries));
    ctx.log.info("Dumped downloaded config to 'sesam-config.zip'");
  }
  const files: StatusResult['files'] = [];
  const compare = (path: string, localText: string, remoteText: string) => {
    if (localText === remoteText) return files.push({ path, state: 'same' });
    files.push({
      path,
      state: 'differs',
      diff: ctx.options.diff ? unifiedDiff(localText, remoteText, path, path) : undefined,
    });
  };

  const envPath = profileEnvPath(root, profile);
  const envName = isFile(envPath) ? relative(root, envPath).split(sep).join('/') : `${profile}-env.json`;
  if (isFile(envPath)) {
    compare(envName, formatJson(readProfileEnv(root, profile)), formatJson(await api.getEnv()));
  } else {
    ctx.log.warn(`Cannot locate profile file '${envName}'`);
  }

  const localPaths = new Set(local.map((f) => f.path));
  for (const path of remote.files.keys()) {
    // With a whitelist only listed files take part (sesam-py reported every other remote file as missing).
    if (whitelist && !whitelist.allowsFile(path)) continue;
    if (!localPaths.has(path)) files.push({ path, state: 'remote-only' });
  }
  for (const file of local) {
    const value = remote.files.get(file.path);
    if (value === undefined) files.push({ path: file.path, state: 'local-only' });
    else compare(file.path, file.text, formatJson(value));
  }
  return { inSync: files.every((f) => f.state === 'same'), files };
}
