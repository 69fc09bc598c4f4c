import { describe, expect, it } from 'vitest';
import { expectedFilesAt } from '../../src/snapshots/expected-at.js';
import { readNote, writeNote } from '../../src/snapshots/notes.js';
import { openStore } from '../../src/snapshots/store.js';
import { createRepo, noGitEnv } from '../helpers/git-fixture.js';
import { recordVersions } from './history-fixture.js';

describe('expectedFilesAt', () => {
  it('reads expected/ of an ordinary commit under the project folder, ignoring the work tree', async () => {
    const repo = createRepo({
      'proj/expected/a.json': '[1]\n',
      'proj/expected/a.test.json': '{}\n',
      'proj/expected/sub/x.json': '[]',
      'proj/pipes/p.conf.json': '{}',
    });
    const first = repo.git('rev-parse', 'HEAD').trim();
    repo.write({ 'proj/expected/a.json': '[2]\n', 'proj/expected/b.json': '[]' });
    repo.commit('second');
    repo.write({ 'proj/expected/a.json': '[3] dirty\n' });
    const files = await expectedFilesAt(`${repo.dir}/proj`, 'HEAD~1', { env: repo.env });
    expect(files.list()).toEqual(['a.json', 'a.test.json']);
    expect(Buffer.from(files.read('a.json')!).toString()).toBe('[1]\n');
    expect(Buffer.from(files.read('sub/x.json')!).toString()).toBe('[]');
    expect(files.read('b.json')).toBeUndefined();
    expect(files.describe('a.json')).toBe(`expected/a.json@${first.slice(0, 7)}`);
  });

  it('reads expected/ of a snapshot at its root, also without git on PATH', async () => {
    const repo = createRepo({ 'proj/readme': 'x' });
    const [snap] = await recordVersions(repo, [{ 'expected/e.json': '["snap"]', 'pipes/p.conf.json': '{}' }]);
    for (const env of [repo.env, noGitEnv(repo.env)]) {
      const files = await expectedFilesAt(`${repo.dir}/proj`, 'sesam-snapshots/local', { env });
      expect(files.list()).toEqual(['e.json']);
      expect(Buffer.from(files.read('e.json')!).toString()).toBe('["snap"]');
      expect(files.describe('e.json')).toBe(`expected/e.json@${snap!.slice(0, 7)}`);
    }
  });

  it('names an unknown revision', async () => {
    const repo = createRepo({ a: 'b' });
    await expect(expectedFilesAt(repo.dir, 'nope', { env: repo.env })).rejects.toMatchObject({
      kind: 'git',
      message: "Unknown revision 'nope'",
    });
  });
});

describe('notes', () => {
  it('writes notes git can read, and reads them back (both backends)', async () => {
    const repo = createRepo({ a: 'b' });
    const head = repo.git('rev-parse', 'HEAD').trim();
    for (const env of [repo.env, noGitEnv(repo.env)]) {
      const store = await openStore(repo.dir, { env });
      await writeNote(store, 'refs/notes/sesam-bisect', head, `{"verdict": "${store.backend}"}`);
      expect(await readNote(store, 'refs/notes/sesam-bisect', head)).toBe(`{"verdict": "${store.backend}"}\n`);
      await store.close();
      expect(repo.git('notes', '--ref=sesam-bisect', 'show', head)).toBe(`{"verdict": "${store.backend}"}\n`);
    }
    expect(repo.git('rev-list', '--count', 'refs/notes/sesam-bisect').trim()).toBe('2');
  });
});
