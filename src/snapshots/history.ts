// Walking snapshot branches: first-parent history (a snapshot's parent is the previous snapshot) and the
// per-snapshot counts `log` shows.
import type { CommitInfo } from './git-objects.js';
import { labelOfRef, SNAPSHOT_REF_PREFIX } from './refs.js';
import type { SnapshotStore } from './store.js';

export async function firstParentHistory(
  store: SnapshotStore,
  start: string,
  options: { limit?: number; stopAt?: string } = {},
): Promise<CommitInfo[]> {
  const out: CommitInfo[] = [];
  let current: string | undefined = start;
  const limit = options.limit ?? Infinity;
  while (current && out.length < limit && current !== options.stopAt) {
    const info = await store.readCommit(current);
    out.push(info);
    current = info.parents[0];
  }
  return out;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  changed: number;
}

/** Added/removed/changed `<dir>/**.conf.json` files between two trees, by blob id (no content read). */
export function countChanges(before: Map<string, string>, after: Map<string, string>, dir: string): ChangeCounts {
  const counts: ChangeCounts = { added: 0, removed: 0, changed: 0 };
  const inDir = (path: string) => path.startsWith(`${dir}/`) && path.endsWith('.conf.json');
  for (const [path, oid] of after) {
    if (!inDir(path)) continue;
    const old = before.get(path);
    if (old === undefined) counts.added++;
    else if (old !== oid) counts.changed++;
  }
  for (const path of before.keys()) if (inDir(path) && !after.has(path)) counts.removed++;
  return counts;
}

export interface SnapshotEntry {
  commit: string;
  parent?: string;
  /** The node label of the branch it was found on. */
  branch: string;
  date: Date;
  subject: string;
  trailers: Record<string, string>;
  pipes: ChangeCounts;
  systems: ChangeCounts;
}

/** Which branches `log` reads for one node: its own, and the one the first release named it by. */
export interface NodeBranches {
  labels: string[];
  /** The first release's branch, which several nodes may share: only snapshots with this Sesam-Node-Url count. */
  legacy?: { label: string; nodeUrl: string };
}

/** Snapshots on the given branches (all snapshot branches when none), newest first, each commit once. */
export async function listSnapshots(
  store: SnapshotStore,
  options: { branches?: NodeBranches; limit?: number } = {},
): Promise<SnapshotEntry[]> {
  const { branches } = options;
  const all = await store.listRefs(SNAPSHOT_REF_PREFIX);
  const refs = branches
    ? [...branches.labels, ...(branches.legacy ? [branches.legacy.label] : [])].flatMap((label) =>
        all.filter((r) => labelOfRef(r.ref) === label),
      )
    : all;
  const entries: SnapshotEntry[] = [];
  const seen = new Set<string>();
  for (const { ref, commit } of refs) {
    const legacy = branches?.legacy;
    const legacyUrl = legacy && legacy.label === labelOfRef(ref) ? legacy.nodeUrl : undefined;
    for (const info of await firstParentHistory(store, commit, { limit: options.limit })) {
      // A node's branch continues from its history on the first release's branch: list each commit once.
      if (seen.has(info.commit)) continue;
      seen.add(info.commit);
      if (legacyUrl && info.trailers['Sesam-Node-Url'] !== legacyUrl) continue;
      const parent = info.parents[0];
      const after = await store.listTree(info.commit);
      const before = parent ? await store.listTree(parent) : new Map<string, string>();
      entries.push({
        commit: info.commit,
        parent,
        branch: labelOfRef(ref)!,
        date: info.committer.date,
        subject: info.subject,
        trailers: info.trailers,
        pipes: countChanges(before, after, 'pipes'),
        systems: countChanges(before, after, 'systems'),
      });
    }
  }
  // Newest first across branches; ties keep branch order, then history order.
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.date.getTime() - a.e.date.getTime() || a.i - b.i);
  return ordered.map((x) => x.e).slice(0, options.limit ?? Infinity);
}
