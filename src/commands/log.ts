// `sesam log [--node N] [--limit N] [--json]`: snapshots newest first, with pipes/systems added, removed, changed.
import { isSesamError } from '../errors.js';
import { listSnapshots, type ChangeCounts, type NodeBranches, type SnapshotEntry } from '../snapshots/history.js';
import { withStore } from '../snapshots/open.js';
import { labelOfRef, nodeBranches, shortOid, SNAPSHOT_REF_PREFIX } from '../snapshots/refs.js';
import type { CommandContext } from './context.js';

export async function log(ctx: CommandContext): Promise<void> {
  const branches = await nodeLabels(ctx);
  const labels = branches?.labels;
  await withStore(ctx.cwd, ctx.env, async (store) => {
    const entries = await listSnapshots(store, { branches, limit: ctx.options.limit });
    if (ctx.options.json) {
      ctx.out.json({ snapshots: entries.map(entryJson) });
      return;
    }
    if (!entries.length) {
      const branches = (await store.listRefs(SNAPSHOT_REF_PREFIX)).map((r) => labelOfRef(r.ref)!);
      ctx.log.info(labels ? `No snapshots for ${labels.join(', ')}.` : 'No snapshots yet.');
      if (labels && branches.length)
        ctx.log.info(`Hint: snapshots exist for ${branches.join(', ')} (sesam log --node NAME).`);
      return;
    }
    const c = ctx.out.colors;
    for (const e of entries) {
      const when = e.date.toISOString().replace('T', ' ').slice(0, 16);
      ctx.out.line(`${c.yellow(shortOid(e.commit))} ${when} ${c.cyan(e.branch)}  ${e.subject}`);
      const counts = [countText('pipes', e.pipes), countText('systems', e.systems)].filter(Boolean).join(', ');
      const restored = e.trailers['Sesam-Restored-From'];
      const extra = [counts, restored ? `restored from ${shortOid(restored)}` : ''].filter(Boolean).join('; ');
      if (extra) ctx.out.line(`        ${c.dim(extra)}`);
    }
  });
}

/** --node names a branch label or a URL; default is the configured node; none configured means every node. */
async function nodeLabels(ctx: CommandContext): Promise<NodeBranches | undefined> {
  const { normalizeNodeUrl, resolveSettings } = await import('../config/index.js');
  const given = ctx.options.node;
  if (given) {
    // A branch label as `log` prints it, or the node's URL (with or without scheme).
    const byUrl = nodeBranches(normalizeNodeUrl(given));
    return { labels: [...new Set([given, ...byUrl.labels])], legacy: byUrl.legacy };
  }
  try {
    return nodeBranches(resolveSettings(ctx).nodeUrl);
  } catch (err) {
    if (isSesamError(err) && (err.kind === 'usage' || err.kind === 'input')) return undefined;
    throw err;
  }
}

function countText(label: string, c: ChangeCounts): string {
  return c.added + c.removed + c.changed ? `${label} +${c.added} -${c.removed} ~${c.changed}` : '';
}

function entryJson(e: SnapshotEntry): Record<string, unknown> {
  return {
    commit: e.commit,
    parent: e.parent ?? null,
    date: e.date.toISOString(),
    command: e.trailers['Sesam-Command'] ?? null,
    node: e.trailers['Sesam-Node'] ?? e.branch,
    branch: `sesam-snapshots/${e.branch}`,
    subject: e.subject,
    trailers: e.trailers,
    restoredFrom: e.trailers['Sesam-Restored-From'] ?? null,
    pipes: e.pipes,
    systems: e.systems,
  };
}
