// Local work a command is about to overwrite. download and restore --write replace project files; like
// `git checkout`, they must not destroy an edit that exists nowhere else. A file's current content is saved when it
// equals that file in the user's HEAD or in the newest snapshot of any node; otherwise it is unsaved work.
// Outside a git repository nothing can be compared, and the files are replaced as sesam-py does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { blobOid } from './git-objects.js';
import { projectPrefix } from './project-files.js';
import { SNAPSHOT_REF_PREFIX } from './refs.js';
import { NotARepositoryError, openStore, type Env } from './store.js';

/**
 * The paths among `paths` (project-relative, POSIX) whose file exists and holds content that is neither in HEAD
 * nor in the tip of a snapshot branch, sorted.
 */
export async function unsavedEdits(projectDir: string, paths: Iterable<string>, env?: Env): Promise<string[]> {
  const local = new Map<string, string>();
  for (const path of paths) {
    let data: Buffer;
    try {
      data = readFileSync(join(projectDir, ...path.split('/')));
    } catch {
      continue; // nothing there to lose
    }
    local.set(path, blobOid(data));
  }
  if (!local.size) return [];
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(projectDir, { env });
  } catch (err) {
    if (err instanceof NotARepositoryError) return [];
    throw err;
  }
  try {
    const saved = new Set<string>();
    const keep = (path: string, oid: string | undefined) => {
      if (oid !== undefined && local.get(path) === oid) saved.add(path);
    };
    const head = await store.head();
    if (head) {
      const prefix = projectPrefix(store, projectDir);
      const tree = await store.listTree(head);
      for (const path of local.keys()) keep(path, tree.get(prefix + path));
    }
    for (const { commit } of await store.listRefs(SNAPSHOT_REF_PREFIX)) {
      const tree = await store.listTree(commit);
      for (const path of local.keys()) keep(path, tree.get(path));
    }
    return [...local.keys()].filter((path) => !saved.has(path)).sort();
  } finally {
    await store.close();
  }
}

/** One line naming the files (the first ten, then a count). */
export function listPaths(paths: string[]): string {
  const shown = paths.slice(0, 10).join(', ');
  return paths.length > 10 ? `${shown} and ${paths.length - 10} more` : shown;
}

/** Refuse (input error, nothing changed) when `paths` hold unsaved edits, unless forced. */
export async function refuseToOverwriteEdits(
  command: string,
  projectDir: string,
  paths: Iterable<string>,
  options: { force: boolean; env?: Env },
): Promise<void> {
  if (options.force) return;
  const unsaved = await unsavedEdits(projectDir, paths, options.env);
  if (!unsaved.length) return;
  throw inputError(
    `${command} would overwrite local edits that are in no commit and no snapshot: ${listPaths(unsaved)}; nothing was changed.`,
    { hint: `commit them (git commit) or copy them away first, or run ${command} with --force to overwrite them` },
  );
}
