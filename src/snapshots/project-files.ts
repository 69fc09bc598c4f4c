// Which files a snapshot holds, read from disk or from any git revision, always as POSIX paths relative to the
// project root.
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gitError, inputError } from '../errors.js';
import { readCommitFiles, type SnapshotStore } from './store.js';

export const MANAGED_DIRS = ['pipes', 'systems', 'expected', 'testdata'] as const;
export const NODE_METADATA = 'node-metadata.conf.json';

export function envFileName(profile: string): string {
  return `${profile}-env.json`;
}

/** Is this project-relative path one the tool manages? Hidden files (.DS_Store and the like) are not. */
export function isManagedPath(path: string, profile: string): boolean {
  if (path === NODE_METADATA || path === envFileName(profile)) return true;
  const parts = path.split('/');
  if (parts.some((p) => p.startsWith('.'))) return false;
  return parts.length > 1 && (MANAGED_DIRS as readonly string[]).includes(parts[0]!);
}

/** The managed files of the project as they are on disk now. */
export function readProjectFiles(projectDir: string, profile: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const readFile = (path: string, full: string) => {
    try {
      out.set(path, readFileSync(full));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw inputError(`Cannot read ${path}`, { reason: (err as Error).message });
    }
  };
  const addFile = (path: string) => {
    const full = join(projectDir, ...path.split('/'));
    if (statSync(full, { throwIfNoEntry: false })?.isFile()) readFile(path, full);
  };
  const walk = (dirPath: string) => {
    const dirFull = join(projectDir, ...dirPath.split('/'));
    let entries: Dirent[];
    try {
      entries = readdirSync(dirFull, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw inputError(`Cannot read ${dirPath}/`, { reason: (err as Error).message });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = `${dirPath}/${entry.name}`;
      const full = join(dirFull, entry.name);
      // The directory entry's type spares a stat per file; symlinks and unknown types are followed as before.
      if (entry.isFile()) readFile(path, full);
      else if (entry.isDirectory()) walk(path);
      else {
        const stat = statSync(full, { throwIfNoEntry: false });
        if (stat?.isDirectory()) walk(path);
        else if (stat?.isFile()) readFile(path, full);
      }
    }
  };
  for (const dir of MANAGED_DIRS) walk(dir);
  addFile(NODE_METADATA);
  addFile(envFileName(profile));
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Where the project sits inside the repository's work tree: '' at the top, else 'sub/dir/'. */
export function projectPrefix(store: SnapshotStore, projectDir: string): string {
  const top = store.repo.workTree;
  if (!top) return '';
  const rel = relative(realpathSync(top), realpathSync(projectDir));
  if (!rel) return '';
  if (rel.startsWith('..')) throw gitError(`The project ${projectDir} is outside the repository ${top}`);
  return `${rel.split(sep).join('/')}/`;
}

/** A revision resolved to a commit, or a git error naming it. */
export async function resolveRevision(store: SnapshotStore, rev: string): Promise<string> {
  const commit = await store.resolve(rev);
  if (!commit)
    throw gitError(`Unknown revision '${rev}'`, {
      hint: "'sesam log' lists the snapshots; any git revision works too",
    });
  return commit;
}

export async function isSnapshotCommit(store: SnapshotStore, commit: string): Promise<boolean> {
  return (await store.readCommit(commit)).trailers['Sesam-Snapshot'] !== undefined;
}

/**
 * The managed project files at a commit: a snapshot holds them at its root; an ordinary commit of the user's
 * repository holds them under the project's folder.
 */
export async function projectFilesAt(
  store: SnapshotStore,
  commit: string,
  projectDir: string,
  profile: string,
  filter: (path: string) => boolean = () => true,
): Promise<Map<string, Uint8Array>> {
  // A snapshot's tree is managed files only (whatever profile recorded it); a user commit holds everything.
  const snapshot = await isSnapshotCommit(store, commit);
  const prefix = snapshot ? '' : projectPrefix(store, projectDir);
  const files = await readCommitFiles(store, commit, (path) => {
    if (!path.startsWith(prefix)) return false;
    const rel = path.slice(prefix.length);
    return (snapshot || isManagedPath(rel, profile)) && filter(rel);
  });
  const out = new Map<string, Uint8Array>();
  for (const [path, data] of files) out.set(path.slice(prefix.length), data);
  return out;
}
