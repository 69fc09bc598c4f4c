// Opening the project's snapshot store for a command: outside a repository is a git error with a hint.
import { gitError } from '../errors.js';
import { NotARepositoryError, openStore, type Env, type SnapshotStore } from './store.js';

export async function openProjectStore(projectDir: string, env?: Env): Promise<SnapshotStore> {
  try {
    return await openStore(projectDir, { env });
  } catch (err) {
    if (err instanceof NotARepositoryError) {
      throw gitError(`Not a git repository: ${projectDir}`, {
        hint: "snapshots are stored in the project's git repository; run `git init` and `sesam download` to record one",
      });
    }
    throw err;
  }
}

/** Run `fn` with the store and always close it. */
export async function withStore<T>(
  projectDir: string,
  env: Env | undefined,
  fn: (store: SnapshotStore) => Promise<T>,
): Promise<T> {
  const store = await openProjectStore(projectDir, env);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
