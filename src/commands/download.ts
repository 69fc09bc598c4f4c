// `sesam download` (sesam-py §5.2): replace the local config with the node's. <profile>-env.json (with a BOM, as
// sesam-py writes it), pipes/, systems/ and node-metadata.conf.json are written portal-formatted, local config
// files gone from the node are removed (whitelist permitting), and `.jinja_vars` values are put back as
// placeholders. Every change goes through one all-or-nothing applyFileChanges, so a failure leaves the old files.
// Local edits that are in no commit and no snapshot are never overwritten without --force (refuseToOverwriteEdits).
// Then a snapshot is recorded unless --no-snapshot.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inConnectorMode } from '../connectors/manifest.js';
import { describeError, inputError, isSesamError } from '../errors.js';
import { formatJson } from '../format/portal.js';
import { applyFileChanges } from '../workspace/files.js';
import { readJinjaVars, reverseJinja } from '../workspace/jinja.js';
import { listFiles } from '../workspace/project.js';
import { createZip } from '../workspace/zip.js';
import type { NodeApi } from '../node/types.js';
import { refuseToOverwriteEdits } from '../snapshots/local-edits.js';
import { isManagedPath } from '../snapshots/project-files.js';
import { withNode } from './connect.js';
import { withProgress } from '../progress.js';
import type { CommandContext } from './context.js';
import { recordSnapshotStep } from './snapshot-step.js';
import { readLocalMetadata, whitelistOf } from './node-files.js';
import { fetchRemoteConfig } from './remote-config.js';

export interface DownloadResult {
  added: string[];
  changed: string[];
  removed: string[];
  snapshot?: { commit?: string; reason?: string };
}

export async function download(ctx: CommandContext): Promise<void> {
  // In a connector folder: download into the expanded folder, then collapse it (src/connectors/mode.ts).
  const result = inConnectorMode(ctx.cwd, ctx.options)
    ? await (await import('../connectors/mode.js')).connectorDownload(ctx)
    : await withNode(ctx, { allowNonDeveloper: ctx.options.force }, async (api) => {
        const files = await downloadConfig(ctx, api);
        files.snapshot = await recordSnapshotStep(ctx, api, { command: 'download', done: 'Replaced local config' });
        return files;
      });
  const { added, changed, removed } = result;
  if (ctx.options.json) {
    ctx.out.json({ ok: true, added, changed, removed, snapshot: result.snapshot ?? null });
    return;
  }
  ctx.out.line(
    `Replaced local config successfully: ${added.length} added, ${changed.length} changed, ${removed.length} removed.`,
  );
  for (const [mark, list] of [
    ['A', added],
    ['M', changed],
    ['D', removed],
  ] as const)
    for (const p of list) ctx.out.line(`  ${mark} ${p}`);
}

/** Fetch env and config from the node and write them into the project; returns what changed. */
export async function downloadConfig(ctx: CommandContext, api: NodeApi): Promise<DownloadResult> {
  const root = ctx.cwd;
  const whitelist = whitelistOf(ctx);
  const changes = new Map<string, string | Uint8Array | null>();

  const envName = `${ctx.options.profile}-env.json`;
  changes.set(envName, `\uFEFF${formatJson(await api.getEnv())}`);

  const remote = await withProgress(ctx, 'Downloading config', undefined, () =>
    fetchRemoteConfig(api, readLocalMetadata(root)),
  );
  const formatted = new Map<string, string>();
  for (const [path, value] of remote.files) formatted.set(path, formatJson(value));
  if (ctx.options.dump) {
    changes.set('sesam-config.zip', createZip([...formatted].map(([path, data]) => ({ path, data }))));
    ctx.log.info("Dumped downloaded config to 'sesam-config.zip'");
  }

  // Local pipes and systems (top level, as sesam-py's glob) go unless the node still has them.
  for (const dir of ['pipes', 'systems']) {
    for (const path of listFiles(root, dir, { match: (name) => name.endsWith('.conf.json') })) {
      if (whitelist && !whitelist.allowsFile(path)) continue;
      ctx.log.debug(`Deleting ${dir === 'pipes' ? 'pipe' : 'system'} config file '${path}'`);
      changes.set(path, null);
    }
  }

  const vars = readJinjaVars(root);
  const hasVars = vars !== undefined && Object.keys(vars).length > 0;
  if (!hasVars) ctx.log.info('No jinja variables found. Not replacing any variables in config files');
  for (const [path, text] of formatted) {
    const topLevelConfig = /^(pipes|systems)\/[^/]+\.json$/.test(path);
    changes.set(path, hasVars && topLevelConfig ? reverseJinja(text, vars) : text);
  }

  // Only real changes are written; report them as git would.
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, data] of [...changes]) {
    const full = join(root, path);
    const exists = existsSync(full);
    if (data === null) {
      if (exists) removed.push(path);
      else changes.delete(path);
      continue;
    }
    if (!exists) added.push(path);
    else if (!sameContent(full, data)) changed.push(path);
    else changes.delete(path);
  }
  const managed = [...changed, ...removed].filter((p) => isManagedPath(p, ctx.options.profile));
  await refuseToOverwriteEdits('download', root, managed, { force: ctx.options.force, env: ctx.env });
  try {
    applyFileChanges(root, changes);
  } catch (err) {
    if (isSesamError(err)) throw err;
    throw inputError(`Failed to write the downloaded config into ${root}; no local file was changed.`, {
      reason: describeError(err),
      cause: err,
    });
  }
  ctx.log.info('Replaced local config successfully');
  const isConfig = (p: string) => p !== 'sesam-config.zip';
  return { added: added.filter(isConfig).sort(), changed: changed.filter(isConfig).sort(), removed: removed.sort() };
}

function sameContent(path: string, data: string | Uint8Array): boolean {
  try {
    const current = readFileSync(path);
    const next = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    return current.equals(next);
  } catch {
    return false;
  }
}
