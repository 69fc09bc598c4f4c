// expected/ as stored at any git revision (a snapshot or an ordinary commit), read from git objects, for
// `verify --at <rev>` and `bisect`. The work tree is never read.
import { gitError } from '../errors.js';
import { projectFilesAt, resolveRevision } from './project-files.js';
import { shortOid } from './refs.js';
import { NotARepositoryError, openStore, type Env, type SnapshotStore } from './store.js';
import type { ExpectedFiles } from '../verify/specs.js';

export type { ExpectedFiles };

export async function expectedFilesAt(
  projectDir: string,
  rev: string,
  options: { env?: Env } = {},
): Promise<ExpectedFiles> {
  let store: SnapshotStore;
  try {
    store = await openStore(projectDir, { env: options.env });
  } catch (err) {
    if (err instanceof NotARepositoryError) {
      throw gitError(`Cannot read expected/ at '${rev}': ${projectDir} is not in a git repository`);
    }
    throw err;
  }
  try {
    const commit = await resolveRevision(store, rev);
    // The profile does not matter: only expected/ is read. A spec's `file` may name a sub-folder, so keep those too.
    const files = await projectFilesAt(store, commit, projectDir, '', (path) => path.startsWith('expected/'));
    const byName = new Map([...files].map(([path, data]) => [path.slice('expected/'.length), data]));
    const at = shortOid(commit);
    return {
      list: () => [...byName.keys()].filter((name) => !name.includes('/')).sort(),
      read: (name) => byName.get(name),
      describe: (name) => `expected/${name}@${at}`,
    };
  } finally {
    await store.close();
  }
}
