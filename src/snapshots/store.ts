// The SnapshotStore port: everything snapshots need from git, behind one interface with two backends —
// the git CLI (default: fast, honours worktrees, packs and ref locks) and isomorphic-git (when no git is on PATH).
// Nothing here touches HEAD, the index or the work tree.
import type { CommitInfo, Identity } from './git-objects.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface RepoLocation {
  /** The work tree's top folder (undefined for a bare repository). */
  workTree?: string;
  /** This work tree's git dir (`.git`, or `.git/worktrees/<name>` in a linked worktree): HEAD and bisect state. */
  gitDir: string;
  /** The shared git dir: objects and refs. */
  commonDir: string;
}

export interface WriteCommitRequest {
  /** Fully spelled ref, e.g. `refs/heads/sesam-snapshots/local`. */
  ref: string;
  /** The complete tree: POSIX path -> content. */
  files: Map<string, Uint8Array>;
  /** The blob ids of `files` when the caller already computed them (spares hashing every file twice). */
  oids?: Map<string, string>;
  message: string;
  /** The commit's parent, which must also be the ref's current value (null: the ref must not exist yet). */
  parent: string | null;
  /** The ref's current value when it is not `parent`: null for a new branch continuing another branch's history. */
  refBefore?: string | null;
  author: Identity;
  date: Date;
}

export type WriteCommitResult =
  | { status: 'ok'; commit: string; tree: string }
  /** Someone else moved the ref since `parent` was read: nothing was changed. */
  | { status: 'conflict' };

export interface SnapshotStore {
  readonly backend: 'git-cli' | 'isomorphic';
  readonly repo: RepoLocation;
  /** The commit HEAD points at, undefined on an unborn branch. */
  head(): Promise<string | undefined>;
  /** A revision (ref name, branch, full or abbreviated id, `~N`/`^` suffixes) to a commit id, or undefined. */
  resolve(rev: string): Promise<string | undefined>;
  /** The value of one fully spelled ref. */
  readRef(ref: string): Promise<string | undefined>;
  /** Refs under a prefix such as `refs/heads/sesam-snapshots/`, sorted by name. */
  listRefs(prefix: string): Promise<{ ref: string; commit: string }[]>;
  readCommit(commit: string): Promise<CommitInfo>;
  /** The blobs of a commit's tree: POSIX path -> blob id (sub-modules and symlinks left out). */
  listTree(commit: string): Promise<Map<string, string>>;
  readBlobs(oids: Iterable<string>): Promise<Map<string, Uint8Array>>;
  /** Write the tree and a commit, then move `ref` from `parent` to it atomically. */
  writeCommit(request: WriteCommitRequest): Promise<WriteCommitResult>;
  /** The user's configured git identity (user.name and user.email), if any. */
  identity(): Promise<Identity | undefined>;
  /** End helper processes. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The environment for git (PATH decides whether the CLI backend is available). Default: inherited. */
  env?: Env;
  /** Force a backend; default: git CLI when `git` is on PATH, else isomorphic-git. */
  backend?: 'git-cli' | 'isomorphic';
}

/** Thrown when the folder is not inside a git repository; callers decide whether that is an error. */
export class NotARepositoryError extends Error {
  constructor(readonly dir: string) {
    super(`not a git repository: ${dir}`);
    this.name = 'NotARepositoryError';
  }
}

export async function openStore(projectDir: string, options: OpenStoreOptions = {}): Promise<SnapshotStore> {
  const { findGitBinary } = await import('./git-cli.js');
  const backend = options.backend ?? (findGitBinary(options.env) ? 'git-cli' : 'isomorphic');
  if (backend === 'git-cli') {
    const { openGitCliStore } = await import('./git-cli.js');
    return openGitCliStore(projectDir, options.env);
  }
  const { openIsomorphicStore } = await import('./isomorphic.js');
  return openIsomorphicStore(projectDir, options.env);
}

/** Read whole files of a commit; `filter` picks paths before any blob is read. */
export async function readCommitFiles(
  store: SnapshotStore,
  commit: string,
  filter: (path: string) => boolean = () => true,
): Promise<Map<string, Uint8Array>> {
  const tree = await store.listTree(commit);
  const wanted = [...tree].filter(([path]) => filter(path));
  const blobs = await store.readBlobs(new Set(wanted.map(([, oid]) => oid)));
  const out = new Map<string, Uint8Array>();
  for (const [path, oid] of wanted) out.set(path, blobs.get(oid)!);
  return out;
}
