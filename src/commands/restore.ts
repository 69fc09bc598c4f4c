// `sesam restore <ref> [--yes] [--dry-run] [--write]`: upload the configuration of an earlier revision (a snapshot
// or any commit) and record that as a NEW snapshot with Sesam-Restored-From — the branch only moves forward.
// The work tree stays as it is unless --write; --write refuses to overwrite local edits that are in no commit and no
// snapshot unless --force.
import { isSesamError, usageError } from '../errors.js';
import type { NodeApi } from '../node/types.js';
import { showJson, toPlain } from '../format/json-diff.js';
import { hasConfig } from '../snapshots/node-config.js';
import { withStore } from '../snapshots/open.js';
import { diffToJson, isEmptyDiff, renderDiff, summaryLine } from '../snapshots/project-diff.js';
import {
  envFileName,
  isManagedPath,
  projectFilesAt,
  readProjectFiles,
  resolveRevision,
} from '../snapshots/project-files.js';
import { shortOid } from '../snapshots/refs.js';
import { planNodeChange, pushConfig, revisionConfig } from '../snapshots/restore.js';
import type { CommandContext } from './context.js';
import { recordSnapshotStep } from './snapshot-step.js';

export type ConnectedNode = NodeApi & { close(): Promise<void> | void };

export interface RestoreDeps {
  connect(ctx: CommandContext): Promise<ConnectedNode>;
}

export async function restore(ctx: CommandContext): Promise<number | undefined> {
  const { connectNode } = await import('./connect.js');
  return restoreWith(ctx, { connect: (c) => connectNode(c) });
}

export function metadataFlags(ctx: CommandContext) {
  const o = ctx.options;
  return {
    enableUserPipes: o.enableUserPipes,
    disableCppExtensions: o.disableCppExtensions,
    enableEagerMs: o.enableEagerMs,
  };
}

export async function jinjaVarsOf(projectDir: string): Promise<Record<string, string> | undefined> {
  const { readJinjaVars } = await import('../workspace/jinja.js');
  return readJinjaVars(projectDir);
}

export async function restoreWith(ctx: CommandContext, deps: RestoreDeps): Promise<number | undefined> {
  const [rev, ...extra] = ctx.args;
  if (!rev) throw usageError('restore needs a snapshot or revision: sesam restore REF');
  if (extra.length) throw usageError(`restore takes one revision; unexpected '${extra[0]}'`);
  const profile = ctx.options.profile;
  const { commit, subject, files } = await withStore(ctx.cwd, ctx.env, async (store) => {
    const commit = await resolveRevision(store, rev);
    return {
      commit,
      subject: (await store.readCommit(commit)).subject,
      files: await projectFilesAt(store, commit, ctx.cwd, profile),
    };
  });
  const at = (path: string) => `${path}@${shortOid(commit)}`;
  if (!hasConfig(files)) {
    throw usageError(`Revision '${rev}' (${shortOid(commit)}) holds no Sesam configuration`, {
      reason:
        'no pipes/*.conf.json, systems/*.conf.json or node-metadata.conf.json in the project folder at that revision',
    });
  }
  const target = revisionConfig(files, {
    profile,
    flags: metadataFlags(ctx),
    jinjaVars: await jinjaVarsOf(ctx.cwd),
    describe: at,
  });

  const api = await deps.connect(ctx);
  let uploading = false;
  try {
    const plan = await planNodeChange(api, target);
    const unchanged = isEmptyDiff(plan.config) && !plan.env?.length;
    const writes = ctx.options.write ? workTreeChanges(ctx.cwd, profile, files) : new Map<string, Uint8Array | null>();
    if (!ctx.options.json) {
      ctx.out.line(`Restore ${shortOid(commit)} "${subject}" to ${api.label}:`);
      ctx.out.line(`  config: ${summaryLine(plan.config)}`);
      for (const line of renderDiff(plan.config, ctx.log.verbosity >= 1 ? Infinity : 10)) ctx.out.line(`  ${line}`);
      if (!plan.env) ctx.out.line(`  env: left as it is (no ${envFileName(profile)} at that revision)`);
      else if (!plan.env.length) ctx.out.line('  env: no changes');
      else {
        ctx.out.line(`  env: ${plan.env.length} variable${plan.env.length === 1 ? '' : 's'} changed`);
        for (const c of plan.env) ctx.out.line(`      ${c.path}: ${showJson(c.before)} → ${showJson(c.after)}`);
      }
      if (ctx.options.write)
        ctx.out.line(
          `  work tree: ${writes.size ? `${writes.size} file${writes.size === 1 ? '' : 's'} to write or remove` : 'already matches'}`,
        );
    }
    const report = (extraFields: Record<string, unknown>) => {
      if (!ctx.options.json) return;
      ctx.out.json({
        commit,
        node: api.label,
        config: diffToJson(plan.config),
        env: plan.env
          ? plan.env.map((c) => ({ path: c.path, kind: c.kind, before: toPlain(c.before), after: toPlain(c.after) }))
          : null,
        workTree: [...writes].map(([path, data]) => ({ path, action: data === null ? 'remove' : 'write' })),
        ...extraFields,
      });
    };
    if (ctx.options.dryRun) {
      report({ dryRun: true, uploaded: false, snapshot: null });
      return;
    }
    // Before anything changes on the node: the work tree must not lose edits that exist nowhere else.
    const { refuseToOverwriteEdits } = await import('../snapshots/local-edits.js');
    await refuseToOverwriteEdits('restore --write', ctx.cwd, writes.keys(), { force: ctx.options.force, env: ctx.env });
    if (!ctx.options.yes && !unchanged) {
      if (!ctx.prompt.interactive) {
        throw usageError(`restore would change the configuration of ${api.label}; pass --yes to confirm`, {
          hint: 'use --dry-run to see the changes only',
        });
      }
      if (!(await ctx.prompt.confirm(`Upload ${shortOid(commit)} to ${api.label}?`, false))) {
        ctx.log.info('Restore cancelled; nothing was changed.');
        report({ dryRun: false, uploaded: false, cancelled: true, snapshot: null });
        return;
      }
    }
    if (unchanged) ctx.log.info(`${api.label} already has this configuration; nothing to upload.`);
    else {
      uploading = true;
      await pushConfig(api, target, { force: ctx.options.force });
      uploading = false;
      ctx.log.success(`Restored the configuration of ${shortOid(commit)} to ${api.label}.`);
    }
    if (writes.size) {
      const { applyFileChanges } = await import('../workspace/files.js');
      applyFileChanges(ctx.cwd, writes);
      ctx.log.info(`Wrote ${writes.size} file${writes.size === 1 ? '' : 's'} of ${shortOid(commit)} to the work tree.`);
    }
    const snapshot = await recordSnapshotStep(ctx, api, {
      command: 'restore',
      done: `Restored ${shortOid(commit)}`,
      restoredFrom: commit,
      files,
    });
    report({ dryRun: false, uploaded: !unchanged, snapshot: snapshot?.commit ?? null });
  } catch (err) {
    if (uploading && isSesamError(err) && err.kind === 'node')
      ctx.log.error(`Restore of ${shortOid(commit)} failed; ${api.label} may hold part of it.`);
    throw err;
  } finally {
    await api.close();
  }
}

/** The file writes/removals that make the work tree's managed files equal the revision's (the env file is never removed). */
function workTreeChanges(
  projectDir: string,
  profile: string,
  files: Map<string, Uint8Array>,
): Map<string, Uint8Array | null> {
  const current = readProjectFiles(projectDir, profile);
  const out = new Map<string, Uint8Array | null>();
  for (const [path, data] of files) {
    if (!isManagedPath(path, profile)) continue;
    const now = current.get(path);
    if (!now || !Buffer.from(now).equals(Buffer.from(data))) out.set(path, data);
  }
  for (const path of current.keys()) if (!files.has(path) && path !== envFileName(profile)) out.set(path, null);
  return out;
}
