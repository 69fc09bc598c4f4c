// Recording a snapshot after download/update/restore: the managed project files become a commit on
// refs/heads/sesam-snapshots/<node>, parent = the previous snapshot, unless nothing changed. A node whose branch
// does not exist yet continues from its newest snapshot on the branch the first release named it by.
import type { Logger } from '../log.js';
import { CLIENT_NAME } from '../version.js';
import { blobOids, SESAM_IDENTITY, treeOidOf } from './git-objects.js';
import { readProjectFiles } from './project-files.js';
import { branchLabel, legacyBranchLabel, shortOid, snapshotRef } from './refs.js';
import { NotARepositoryError, openStore, type Env, type SnapshotStore } from './store.js';
import { gitError } from '../errors.js';

/** The formatter generation written into every snapshot (Sesam-Format), so a formatter change is explainable. */
export const FORMATTER_VERSION = 'sesam-portal-json/1';

export type SnapshotCommand = 'download' | 'update' | 'restore';

export interface RecordOptions {
  projectDir: string;
  command: SnapshotCommand;
  nodeLabel: string;
  nodeUrl: string;
  profile: string;
  log: Logger;
  /** The commit whose configuration `restore` uploaded. */
  restoredFrom?: string;
  /** The tree to record instead of the files on disk. */
  files?: Map<string, Uint8Array>;
  /** For git: PATH decides the backend. Default: inherited. */
  env?: Env;
  /** Commit time; default now. */
  now?: () => Date;
  backend?: 'git-cli' | 'isomorphic';
}

const MAX_ATTEMPTS = 20;

export interface RecordResult {
  commit?: string;
  reason?: string;
  /** The branch written (or that would have been), e.g. `sesam-snapshots/127.0.0.1-9042`. */
  branch: string;
}

export async function recordSnapshot(opts: RecordOptions): Promise<RecordResult> {
  let store: SnapshotStore;
  try {
    store = await openStore(opts.projectDir, { env: opts.env, backend: opts.backend });
  } catch (err) {
    if (err instanceof NotARepositoryError) {
      const reason = 'not a git repository: no snapshot recorded';
      opts.log.info(reason);
      return { reason, branch: branchName(opts.nodeUrl) };
    }
    throw err;
  }
  try {
    return await recordWith(store, opts);
  } finally {
    await store.close();
  }
}

function branchName(nodeUrl: string): string {
  return snapshotRef(branchLabel(nodeUrl)).replace('refs/heads/', '');
}

async function recordWith(store: SnapshotStore, opts: RecordOptions): Promise<RecordResult> {
  const ref = snapshotRef(branchLabel(opts.nodeUrl));
  const branch = branchName(opts.nodeUrl);
  // Ask git first: its processes run on another core while this one reads and hashes the files.
  const identity = settled(store.identity());
  const head = settled(store.head());
  const firstParent = settled(store.readRef(ref));
  const files = opts.files ?? readProjectFiles(opts.projectDir, opts.profile);
  const oids = blobOids(files);
  const tree = treeOidOf(oids);
  const author = (await identity()) ?? SESAM_IDENTITY;
  const sourceHead = await head();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let parent = (attempt === 1 ? await firstParent() : await store.readRef(ref)) ?? null;
    let refBefore: string | null | undefined;
    if (!parent) {
      parent = (await legacyParent(store, ref, opts.nodeUrl)) ?? null;
      if (parent) refBefore = null;
    }
    if (parent && (await store.readCommit(parent)).tree === tree) {
      const reason = `no changes since snapshot ${shortOid(parent)}: no snapshot recorded`;
      opts.log.debug(reason);
      return { reason, branch };
    }
    const previous = parent ? await store.listTree(parent) : new Map<string, string>();
    const message = snapshotMessage(opts, oids, parent ? previous : undefined, sourceHead);
    const result = await store.writeCommit({
      ref,
      files,
      oids,
      message,
      parent,
      refBefore,
      author,
      date: opts.now?.() ?? new Date(),
    });
    if (result.status === 'ok') {
      // Callers report the commit; this line is for -v.
      opts.log.debug(`Recorded snapshot ${shortOid(result.commit)} on ${ref.replace('refs/heads/', '')}`);
      return { commit: result.commit, branch };
    }
    opts.log.debug(`${ref} moved while recording; retrying on top of it (attempt ${attempt})`);
  }
  throw gitError(`Could not record a snapshot on ${ref}`, {
    reason: `the branch kept moving (${MAX_ATTEMPTS} attempts)`,
  });
}

/** How far back the first release's shared branch is searched for this node's newest snapshot. */
const LEGACY_SEARCH_LIMIT = 1000;

/**
 * The newest snapshot of this node (by its Sesam-Node-Url trailer) on the branch the first release named it by,
 * when that is another branch: new snapshots continue from it. Another node's snapshots there are never a parent.
 */
export async function legacyParent(store: SnapshotStore, ref: string, nodeUrl: string): Promise<string | undefined> {
  const legacy = snapshotRef(legacyBranchLabel(nodeUrl));
  if (legacy === ref) return undefined;
  let current = await store.readRef(legacy);
  for (let n = 0; current && n < LEGACY_SEARCH_LIMIT; n++) {
    const info = await store.readCommit(current);
    if (info.trailers['Sesam-Node-Url'] === nodeUrl) return current;
    current = info.parents[0];
  }
  return undefined;
}

/** Start a promise now, await it later: a rejection meanwhile is not "unhandled" (it is rethrown when awaited). */
function settled<T>(promise: Promise<T>): () => Promise<T> {
  promise.catch(() => {});
  return () => promise;
}

function countUnder(oids: Map<string, string>, dir: string): number {
  let n = 0;
  for (const path of oids.keys()) if (path.startsWith(`${dir}/`) && path.endsWith('.conf.json')) n++;
  return n;
}

/** Subject, a short list of changed files, and the trailers. */
export function snapshotMessage(
  opts: Pick<RecordOptions, 'command' | 'nodeLabel' | 'nodeUrl' | 'profile' | 'restoredFrom'>,
  oids: Map<string, string>,
  previous: Map<string, string> | undefined,
  sourceHead: string | undefined,
): string {
  const changes: string[] = [];
  if (previous) {
    for (const [path, oid] of oids) {
      const before = previous.get(path);
      if (before === undefined) changes.push(`A ${path}`);
      else if (before !== oid) changes.push(`M ${path}`);
    }
    for (const path of previous.keys()) if (!oids.has(path)) changes.push(`D ${path}`);
    changes.sort((a, b) => (a.slice(2) < b.slice(2) ? -1 : 1));
  }
  const pipes = countUnder(oids, 'pipes');
  const systems = countUnder(oids, 'systems');
  const counts = `${pipes} pipe${pipes === 1 ? '' : 's'}, ${systems} system${systems === 1 ? '' : 's'}`;
  const where =
    opts.command === 'restore'
      ? `to ${opts.nodeLabel}${opts.restoredFrom ? ` from ${shortOid(opts.restoredFrom)}` : ''}`
      : `from ${opts.nodeLabel}`;
  const changed = previous ? `${changes.length} changed` : 'first snapshot';
  const subject = `${opts.command}: ${counts} ${where} (${changed})`;
  const shown = changes.slice(0, 20);
  if (changes.length > shown.length) shown.push(`... and ${changes.length - shown.length} more`);
  const trailers = [
    'Sesam-Snapshot: 1',
    `Sesam-Command: ${opts.command}`,
    `Sesam-Node: ${opts.nodeLabel}`,
    `Sesam-Node-Url: ${opts.nodeUrl}`,
    `Sesam-Profile: ${opts.profile}`,
    `Sesam-Format: ${FORMATTER_VERSION}`,
    ...(sourceHead ? [`Sesam-Source-Head: ${sourceHead}`] : []),
    `Sesam-Client: ${CLIENT_NAME}`,
    ...(opts.restoredFrom ? [`Sesam-Restored-From: ${opts.restoredFrom}`] : []),
  ];
  return [subject, ...(shown.length ? ['', ...shown] : []), '', ...trailers, ''].join('\n');
}
