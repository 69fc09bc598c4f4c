// Git notes written through the store (so both backends can), in git's own layout: a commit on refs/notes/<name>
// whose tree maps the annotated commit's id to a text blob. `git notes --ref=<name> show <commit>` reads them.
import { gitError } from '../errors.js';
import { SESAM_IDENTITY } from './git-objects.js';
import { readCommitFiles, type SnapshotStore } from './store.js';

const notePath = (tree: Map<string, string>, target: string): string | undefined => {
  // git fans notes out into ab/cdef... folders once there are many; accept any split.
  for (const path of tree.keys()) if (path.replace(/\//g, '') === target) return path;
  return undefined;
};

export async function readNote(store: SnapshotStore, notesRef: string, target: string): Promise<string | undefined> {
  const head = await store.readRef(notesRef);
  if (!head) return undefined;
  const tree = await store.listTree(head);
  const path = notePath(tree, target);
  if (!path) return undefined;
  const blobs = await store.readBlobs([tree.get(path)!]);
  return Buffer.from(blobs.get(tree.get(path)!)!).toString('utf8');
}

export async function writeNote(
  store: SnapshotStore,
  notesRef: string,
  target: string,
  text: string,
  date = new Date(),
): Promise<void> {
  const author = (await store.identity()) ?? SESAM_IDENTITY;
  for (let attempt = 0; attempt < 20; attempt++) {
    const head = (await store.readRef(notesRef)) ?? null;
    const files = head ? await readCommitFiles(store, head) : new Map<string, Uint8Array>();
    const existing = head ? notePath(await store.listTree(head), target) : undefined;
    if (existing) files.delete(existing);
    files.set(target, new Uint8Array(Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8')));
    const result = await store.writeCommit({
      ref: notesRef,
      files,
      message: `Notes added by 'sesam bisect'\n`,
      parent: head,
      author,
      date,
    });
    if (result.status === 'ok') return;
  }
  throw gitError(`Could not write a note on ${notesRef}`, { reason: 'the notes ref kept moving' });
}
