// Build a snapshot branch from a list of project versions, one snapshot each, with increasing dates. Written
// through one store (recordSnapshot itself is tested in record.test.ts) to keep fixtures fast.
import { createLogger, Redactor } from '../../src/log.js';
import { SESAM_IDENTITY, blobOids } from '../../src/snapshots/git-objects.js';
import { snapshotMessage } from '../../src/snapshots/record.js';
import { branchLabel, legacyBranchLabel, snapshotRef } from '../../src/snapshots/refs.js';
import { openStore } from '../../src/snapshots/store.js';
import type { FixtureRepo } from '../helpers/git-fixture.js';

export const quietLog = () =>
  createLogger({ stream: { write: () => true }, verbosity: 0, color: false, redactor: new Redactor() });

export async function recordVersions(
  repo: FixtureRepo,
  versions: Record<string, string>[],
  options: {
    label?: string;
    command?: 'download' | 'update' | 'restore';
    start?: number;
    /** Write to the branch the first release named (the host's first label), not today's. */
    legacyBranch?: boolean;
    /** The node's URL; default `https://<label>.sesam.cloud/api`, or `local`. */
    nodeUrl?: string;
  } = {},
): Promise<string[]> {
  const label = options.label ?? 'local';
  const meta = {
    command: options.command ?? 'download',
    nodeLabel: label,
    nodeUrl: options.nodeUrl ?? (options.label ? `https://${label}.sesam.cloud/api` : 'local'),
    profile: 'test',
  } as const;
  const store = await openStore(repo.dir, { env: repo.env });
  try {
    const author = (await store.identity()) ?? SESAM_IDENTITY;
    const head = await store.head();
    const ref = snapshotRef((options.legacyBranch ? legacyBranchLabel : branchLabel)(meta.nodeUrl));
    let parent = (await store.readRef(ref)) ?? null;
    const commits: string[] = [];
    let i = options.start ?? 0;
    for (const version of versions) {
      const files = new Map(Object.entries(version).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'utf8'))]));
      const previous = parent ? await store.listTree(parent) : undefined;
      const message = snapshotMessage(meta, blobOids(files), previous, head);
      const result = await store.writeCommit({
        ref,
        files,
        message,
        parent,
        author,
        date: new Date(Date.UTC(2024, 0, 1, 0, 0, i++)),
      });
      if (result.status !== 'ok') throw new Error('fixture snapshot not written');
      commits.push(result.commit);
      parent = result.commit;
    }
    return commits;
  } finally {
    await store.close();
  }
}

export const pipe = (id: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ _id: id, type: 'pipe', ...extra }, null, 2)}\n`;
