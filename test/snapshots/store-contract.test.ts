// One contract, two backends: the git CLI store and the isomorphic-git store must behave the same, interoperate,
// and leave HEAD, the index, the work tree and `git status` exactly as they were.
import { describe, expect, it } from 'vitest';
import { blobOids, treeOidOf } from '../../src/snapshots/git-objects.js';
import { openStore, readCommitFiles, type SnapshotStore } from '../../src/snapshots/store.js';
import { addWorktree, createRepo, fingerprint, noGitEnv, type FixtureRepo } from '../helpers/git-fixture.js';

const backends = ['git-cli', 'isomorphic'] as const;
const REF = 'refs/heads/sesam-snapshots/test';
const author = { name: 'Snap Shot', email: 'snap@example.com' };
const date = new Date('2024-01-02T03:04:05Z');

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const files = (entries: Record<string, string | Uint8Array>) =>
  new Map(Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? enc(v) : v]));

/** A snapshot commit of `entries` on `ref`, by the fixed author at the fixed date. */
function writeFiles(
  store: SnapshotStore,
  ref: string,
  entries: Record<string, string | Uint8Array>,
  message: string,
  parent: string | null,
) {
  return store.writeCommit({ ref, files: files(entries), message, parent, author, date });
}

function open(repo: FixtureRepo, backend: (typeof backends)[number], dir = repo.dir): Promise<SnapshotStore> {
  return openStore(dir, { backend, env: backend === 'isomorphic' ? noGitEnv(repo.env) : repo.env });
}

describe.each(backends)('SnapshotStore contract: %s', (backend) => {
  it('writes a tree and a commit onto a ref and reads them back byte for byte', async () => {
    const repo = createRepo({ 'README.md': 'hello\n' });
    const store = await open(repo, backend);
    try {
      const content = files({
        'pipes/a.conf.json': '{\n  "_id": "a"\n}\n',
        'pipes/sub dir/b c.conf.json': '{"_id": "b c"}',
        '"quoted".json': 'q',
        'expected/ünïcode.json': '\uFEFF[]\r\n',
        'testdata/bin.json': new Uint8Array([0, 1, 2, 255, 10]),
        'node-metadata.conf.json': '{}',
      });
      const result = await store.writeCommit({
        ref: REF,
        files: content,
        message: 'first\n\nSesam-Snapshot: 1\nSesam-Node: test\n',
        parent: null,
        author,
        date,
      });
      expect(result.status).toBe('ok');
      if (result.status !== 'ok') return;
      expect(await store.readRef(REF)).toBe(result.commit);
      expect(result.tree).toBe(treeOidOf(blobOids(content)));
      expect(repo.git('rev-parse', `${result.commit}^{tree}`).trim()).toBe(result.tree);
      const info = await store.readCommit(result.commit);
      expect(info.parents).toEqual([]);
      expect(info.subject).toBe('first');
      expect(info.trailers).toEqual({ 'Sesam-Snapshot': '1', 'Sesam-Node': 'test' });
      expect(info.author).toEqual({ ...author, date });
      const back = await readCommitFiles(store, result.commit);
      expect([...back.keys()].sort()).toEqual([...content.keys()].sort());
      for (const [path, data] of content) expect(Buffer.from(back.get(path)!).equals(Buffer.from(data))).toBe(true);
      repo.git('fsck', '--no-progress', '--strict');
    } finally {
      await store.close();
    }
  });

  it('replaces the whole tree on the next commit and chains parents', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const store = await open(repo, backend);
    try {
      const one = await writeFiles(store, REF, { 'pipes/a.conf.json': '1', 'pipes/b.conf.json': 'b' }, 'one\n', null);
      if (one.status !== 'ok') throw new Error('first write failed');
      const two = await writeFiles(
        store,
        REF,
        { 'pipes/a.conf.json': '2', 'systems/s.conf.json': 's' },
        'two\n',
        one.commit,
      );
      if (two.status !== 'ok') throw new Error('second write failed');
      expect((await store.readCommit(two.commit)).parents).toEqual([one.commit]);
      expect([...(await store.listTree(two.commit)).keys()].sort()).toEqual([
        'pipes/a.conf.json',
        'systems/s.conf.json',
      ]);
      expect(repo.git('log', '--format=%s', REF).trim().split('\n')).toEqual(['two', 'one']);
    } finally {
      await store.close();
    }
  });

  it('refuses to move the ref from a stale parent (compare-and-swap)', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const store = await open(repo, backend);
    try {
      const one = await writeFiles(store, REF, { a: '1' }, 'one\n', null);
      if (one.status !== 'ok') throw new Error('write failed');
      const two = await writeFiles(store, REF, { a: '2' }, 'two\n', one.commit);
      if (two.status !== 'ok') throw new Error('write failed');
      const stale = await writeFiles(store, REF, { a: '3' }, 'stale\n', one.commit);
      expect(stale.status).toBe('conflict');
      const again = await writeFiles(store, REF, { a: '4' }, 'new branch?\n', null);
      expect(again.status).toBe('conflict');
      expect(await store.readRef(REF)).toBe(two.commit);
    } finally {
      await store.close();
    }
  });

  it('resolves revisions, lists refs and reads HEAD without changing it', async () => {
    const repo = createRepo({ 'a.txt': '1' });
    const first = repo.git('rev-parse', 'HEAD').trim();
    repo.write({ 'a.txt': '2' });
    const second = repo.commit('second');
    repo.git('tag', '-a', 'v1', '-m', 'tag', first);
    const store = await open(repo, backend);
    try {
      expect(await store.head()).toBe(second);
      expect(await store.resolve('HEAD')).toBe(second);
      expect(await store.resolve('main')).toBe(second);
      expect(await store.resolve('refs/heads/main')).toBe(second);
      expect(await store.resolve('main~1')).toBe(first);
      expect(await store.resolve('HEAD^')).toBe(first);
      expect(await store.resolve(second.slice(0, 10))).toBe(second);
      expect(await store.resolve('v1')).toBe(first);
      expect(await store.resolve('no-such-branch')).toBeUndefined();
      expect(await store.resolve('--output=x')).toBeUndefined();
      const w = await writeFiles(store, REF, { a: '1' }, 'm\n', null);
      await writeFiles(store, 'refs/heads/sesam-snapshots/other', { b: '1' }, 'm\n', null);
      expect((await store.listRefs('refs/heads/sesam-snapshots/')).map((r) => r.ref)).toEqual([
        'refs/heads/sesam-snapshots/other',
        REF,
      ]);
      expect(await store.resolve('sesam-snapshots/test')).toBe(w.status === 'ok' ? w.commit : '');
      expect(await store.listRefs('refs/heads/nothing-here/')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("starts a new branch on top of another branch's commit, refusing when the new branch appeared meanwhile", async () => {
    const repo = createRepo({ 'README.md': 'hello\n' });
    const store = await open(repo, backend);
    try {
      const old = await writeFiles(store, REF, { a: '1' }, 'm\n', null);
      if (old.status !== 'ok') throw new Error('not written');
      const NEW = 'refs/heads/sesam-snapshots/test.example.com';
      const request = {
        ref: NEW,
        files: files({ a: '2' }),
        message: 'n\n',
        parent: old.commit,
        refBefore: null,
        author,
        date,
      };
      const moved = await store.writeCommit(request);
      expect(moved.status).toBe('ok');
      if (moved.status !== 'ok') return;
      expect(await store.readRef(NEW)).toBe(moved.commit);
      expect((await store.readCommit(moved.commit)).parents).toEqual([old.commit]);
      expect(await store.readRef(REF)).toBe(old.commit);
      // A second writer that also expected NEW not to exist loses.
      expect((await store.writeCommit({ ...request, files: files({ a: '3' }) })).status).toBe('conflict');
      expect(await store.readRef(NEW)).toBe(moved.commit);
    } finally {
      await store.close();
    }
  });

  it('reports the configured identity, and none when there is none', async () => {
    const repo = createRepo();
    const store = await open(repo, backend);
    expect(await store.identity()).toEqual({ name: 'Test User', email: 'test@example.com' });
    await store.close();
    repo.git('config', '--unset', 'user.name');
    repo.git('config', '--unset', 'user.email');
    const bare = await open(repo, backend);
    expect(await bare.identity()).toBeUndefined();
    expect(await bare.head()).toBeUndefined(); // unborn main
    await bare.close();
  });

  it('leaves HEAD, index, work tree and status alone: dirty tree, ignored paths, gpgsign with a bogus gpg', async () => {
    const repo = createRepo({ 'pipes/a.conf.json': '{}', '.gitignore': 'testdata/\n' });
    repo.write({ '.git/info/exclude': 'expected/\n' });
    repo.git('config', 'commit.gpgsign', 'true');
    repo.git('config', 'gpg.program', '/bin/false');
    repo.write({
      'pipes/a.conf.json': '{"dirty": true}',
      'untracked.txt': 'u',
      'testdata/t.json': '[]',
      'expected/e.json': '[]',
    });
    repo.git('add', 'untracked.txt');
    const before = fingerprint(repo);
    const store = await open(repo, backend);
    try {
      const content = files({
        'testdata/t.json': '[]',
        'expected/e.json': '[]',
        'pipes/a.conf.json': '{"dirty": true}',
      });
      const result = await store.writeCommit({ ref: REF, files: content, message: 'm\n', parent: null, author, date });
      expect(result.status).toBe('ok');
      if (result.status === 'ok') {
        expect([...(await store.listTree(result.commit)).keys()].sort()).toEqual([
          'expected/e.json',
          'pipes/a.conf.json',
          'testdata/t.json',
        ]);
        expect(repo.git('cat-file', '-p', result.commit)).not.toContain('gpgsig');
      }
    } finally {
      await store.close();
    }
    expect(fingerprint(repo)).toEqual(before);
  });

  it('writes into the shared repository from a linked worktree', async () => {
    const repo = createRepo({ 'a.txt': '1' });
    const wt = addWorktree(repo);
    wt.write({ 'b.txt': 'dirty' });
    const before = fingerprint(wt);
    const mainBefore = fingerprint(repo);
    const store = await open(wt, backend);
    try {
      expect(store.repo.commonDir).toBe(repo.git('rev-parse', '--path-format=absolute', '--git-common-dir').trim());
      expect(await store.head()).toBe(wt.git('rev-parse', 'HEAD').trim());
      const result = await writeFiles(store, REF, { 'pipes/x.conf.json': 'x' }, 'wt\n', null);
      if (result.status !== 'ok') throw new Error('write failed');
      // Visible from the main work tree: same refs, same objects.
      expect(repo.git('rev-parse', REF).trim()).toBe(result.commit);
      expect(repo.git('cat-file', '-p', `${REF}:pipes/x.conf.json`)).toBe('x');
    } finally {
      await store.close();
    }
    expect(fingerprint(wt)).toEqual(before);
    expect(fingerprint(repo)).toEqual(mainBefore);
  });

  it('reads what the other backend wrote', async () => {
    const repo = createRepo({ 'a.txt': '1' });
    const other = backend === 'git-cli' ? 'isomorphic' : 'git-cli';
    const writer = await open(repo, other);
    const content = files({ 'pipes/p.conf.json': '{"_id": "p"}', 'systems/s.conf.json': '{}' });
    const result = await writer.writeCommit({
      ref: REF,
      files: content,
      message: 'x\n\nSesam-Snapshot: 1\n',
      parent: null,
      author,
      date,
    });
    await writer.close();
    if (result.status !== 'ok') throw new Error('write failed');
    const reader = await open(repo, backend);
    try {
      const back = await readCommitFiles(reader, (await reader.resolve('sesam-snapshots/test'))!);
      expect(Buffer.from(back.get('pipes/p.conf.json')!).toString()).toBe('{"_id": "p"}');
      const next = await reader.writeCommit({
        ref: REF,
        files: files({ 'pipes/p.conf.json': '{"_id": "p"}' }),
        message: 'y\n',
        parent: result.commit,
        author,
        date,
      });
      expect(next.status).toBe('ok');
    } finally {
      await reader.close();
    }
    repo.git('fsck', '--no-progress');
  });
});

describe('backend choice', () => {
  it('uses isomorphic-git when no git is on PATH, and git otherwise', async () => {
    const repo = createRepo({ 'a.txt': '1' });
    const withGit = await openStore(repo.dir, { env: repo.env });
    expect(withGit.backend).toBe('git-cli');
    await withGit.close();
    const without = await openStore(repo.dir, { env: noGitEnv(repo.env) });
    expect(without.backend).toBe('isomorphic');
    await without.close();
  });
});
