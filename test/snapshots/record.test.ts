// recordSnapshot: the tree, the message and trailers, dedup, identity, no-repo, concurrency, and that the user's
// HEAD, index, work tree and status are untouched — with both backends.
import { describe, expect, it } from 'vitest';
import { createLogger, Redactor } from '../../src/log.js';
import { FORMATTER_VERSION, recordSnapshot } from '../../src/snapshots/record.js';
import { openStore, readCommitFiles } from '../../src/snapshots/store.js';
import { CLIENT_NAME } from '../../src/version.js';
import { addWorktree, createRepo, fingerprint, gitEnv, noGitEnv, type FixtureRepo } from '../helpers/git-fixture.js';
import { tempProject } from '../helpers/tmp.js';

function capture() {
  let text = '';
  const log = createLogger({
    stream: {
      write: (s: string) => {
        text += s;
        return true;
      },
    },
    verbosity: 1,
    color: false,
    redactor: new Redactor(),
  });
  return { log, text: () => text };
}

const project = {
  'pipes/a.conf.json': '{\n  "_id": "a",\n  "type": "pipe"\n}\n',
  'pipes/b.conf.json': '{\n  "_id": "b",\n  "type": "pipe"\n}\n',
  'systems/s.conf.json': '{\n  "_id": "s",\n  "type": "system:url"\n}\n',
  'node-metadata.conf.json': '{\n  "_id": "node",\n  "type": "metadata"\n}\n',
  'test-env.json': '{}\n',
  'expected/a.json': '[]\n',
  'expected/a.test.json': '{\n}\n',
  'testdata/a.json': '[]\n',
  'README.md': 'not managed\n',
  'other-env.json': '{}\n',
  'pipes/.DS_Store': 'junk',
};

const backends = ['git-cli', 'isomorphic'] as const;

function opts(
  repo: FixtureRepo,
  backend: (typeof backends)[number],
  log: ReturnType<typeof capture>['log'],
  extra = {},
) {
  return {
    projectDir: repo.dir,
    command: 'download' as const,
    nodeLabel: 'datahub-1a2b3c',
    nodeUrl: 'https://datahub-1a2b3c.sesam.cloud/api',
    profile: 'test',
    log,
    env: backend === 'isomorphic' ? noGitEnv(repo.env) : repo.env,
    backend,
    now: () => new Date('2024-05-06T07:08:09Z'),
    ...extra,
  };
}

describe.each(backends)('recordSnapshot (%s)', (backend) => {
  it('records the managed files with subject and trailers, then nothing when unchanged', async () => {
    const repo = createRepo(project);
    const head = repo.git('rev-parse', 'HEAD').trim();
    const { log, text } = capture();
    const first = await recordSnapshot(opts(repo, backend, log));
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(repo.git('rev-parse', 'refs/heads/sesam-snapshots/datahub-1a2b3c.sesam.cloud').trim()).toBe(first.commit);
    const files = repo.git('ls-tree', '-r', '--name-only', first.commit!).trim().split('\n');
    expect(files).toEqual([
      'expected/a.json',
      'expected/a.test.json',
      'node-metadata.conf.json',
      'pipes/a.conf.json',
      'pipes/b.conf.json',
      'systems/s.conf.json',
      'test-env.json',
      'testdata/a.json',
    ]);
    const message = repo.git('log', '-1', '--format=%B', first.commit!);
    expect(message.split('\n')[0]).toBe('download: 2 pipes, 1 system from datahub-1a2b3c (first snapshot)');
    const trailers = repo.git('log', '-1', '--format=%(trailers:only,unfold)', first.commit!).trim().split('\n');
    expect(trailers).toEqual([
      'Sesam-Snapshot: 1',
      'Sesam-Command: download',
      'Sesam-Node: datahub-1a2b3c',
      'Sesam-Node-Url: https://datahub-1a2b3c.sesam.cloud/api',
      'Sesam-Profile: test',
      `Sesam-Format: ${FORMATTER_VERSION}`,
      `Sesam-Source-Head: ${head}`,
      `Sesam-Client: ${CLIENT_NAME}`,
    ]);
    expect(repo.git('log', '-1', '--format=%an <%ae> %at', first.commit!).trim()).toBe(
      `Test User <test@example.com> ${Date.parse('2024-05-06T07:08:09Z') / 1000}`,
    );
    expect(text()).toContain(`Recorded snapshot ${first.commit!.slice(0, 7)}`);

    const again = await recordSnapshot(opts(repo, backend, log));
    expect(again.commit).toBeUndefined();
    expect(again.reason).toMatch(/no changes since snapshot/);

    repo.write({
      'pipes/a.conf.json': '{"_id": "a", "type": "pipe", "x": 1}\n',
      'pipes/c.conf.json': '{"_id": "c"}\n',
    });
    repo.git('rm', '-q', 'pipes/b.conf.json');
    const third = await recordSnapshot(opts(repo, backend, log, { command: 'update' }));
    expect(repo.git('log', '-1', '--format=%s', third.commit!).trim()).toBe(
      'update: 2 pipes, 1 system from datahub-1a2b3c (3 changed)',
    );
    expect(repo.git('log', '-1', '--format=%P', third.commit!).trim()).toBe(first.commit);
    expect(repo.git('log', '-1', '--format=%b', third.commit!)).toContain(
      'M pipes/a.conf.json\nD pipes/b.conf.json\nA pipes/c.conf.json',
    );
  });

  it('records given files with Sesam-Restored-From, and falls back to sesam <sesam@localhost>', async () => {
    const repo = createRepo({ 'a.txt': 'x' });
    repo.git('config', '--unset', 'user.name');
    const { log } = capture();
    const files = new Map([['pipes/p.conf.json', new Uint8Array(Buffer.from('{"_id": "p"}'))]]);
    const result = await recordSnapshot(
      opts(repo, backend, log, {
        command: 'restore',
        files,
        restoredFrom: 'f'.repeat(40),
        nodeLabel: 'local',
        nodeUrl: 'local',
      }),
    );
    expect(repo.git('ls-tree', '-r', '--name-only', result.commit!).trim()).toBe('pipes/p.conf.json');
    expect(
      repo
        .git('log', '-1', '--format=%an <%ae>|%s|%(trailers:key=Sesam-Restored-From,valueonly)', result.commit!)
        .trim(),
    ).toBe(
      `sesam <sesam@localhost>|restore: 1 pipe, 0 systems to local from fffffff (first snapshot)|${'f'.repeat(40)}`,
    );
  });

  it('never touches HEAD, index, work tree or status: dirty tree, ignored and excluded paths, gpgsign', async () => {
    const repo = createRepo({ ...project, '.gitignore': 'testdata/\n*.json.bak\n' });
    repo.write({ '.git/info/exclude': 'expected/\n' });
    repo.git('config', 'commit.gpgsign', 'true');
    repo.git('config', 'gpg.program', '/nonexistent/gpg');
    repo.write({
      'pipes/a.conf.json': '{"dirty": 1}\n',
      'testdata/new.json': '[1]\n',
      'expected/new.json': '[2]\n',
      'untracked.txt': 'u',
    });
    repo.git('add', 'pipes/a.conf.json');
    repo.write({ 'pipes/a.conf.json': '{"dirty": 2}\n' }); // staged and unstaged changes differ
    const before = fingerprint(repo);
    const { log } = capture();
    const result = await recordSnapshot(opts(repo, backend, log));
    expect(fingerprint(repo)).toEqual(before);
    const tree = repo.git('ls-tree', '-r', '--name-only', result.commit!);
    expect(tree).toContain('testdata/new.json');
    expect(tree).toContain('expected/new.json');
    expect(repo.git('show', `${result.commit}:pipes/a.conf.json`)).toBe('{"dirty": 2}\n');
  });

  it('records into the shared repository from a linked worktree, leaving both work trees alone', async () => {
    const repo = createRepo(project);
    const wt = addWorktree(repo);
    wt.write({ 'pipes/a.conf.json': '{"wt": true}\n' });
    const before = [fingerprint(repo), fingerprint(wt)];
    const { log } = capture();
    const result = await recordSnapshot(opts(wt, backend, log));
    expect([fingerprint(repo), fingerprint(wt)]).toEqual(before);
    expect(repo.git('show', 'sesam-snapshots/datahub-1a2b3c.sesam.cloud:pipes/a.conf.json')).toBe('{"wt": true}\n');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Sesam-Source-Head,valueonly)', result.commit!).trim()).toBe(
      wt.git('rev-parse', 'HEAD').trim(),
    );
  });

  it('records from a project in a sub-folder with paths relative to the project', async () => {
    const repo = createRepo({ 'sub/project/pipes/a.conf.json': '{}', 'sub/project/test-env.json': '{}' });
    const { log } = capture();
    const result = await recordSnapshot(opts(repo, backend, log, { projectDir: `${repo.dir}/sub/project` }));
    expect(repo.git('ls-tree', '-r', '--name-only', result.commit!).trim().split('\n')).toEqual([
      'pipes/a.conf.json',
      'test-env.json',
    ]);
  });

  it('writes exactly the given tree whatever the branch held before: modes, symlinks, odd names, deletions', async () => {
    const repo = createRepo({ 'a.txt': 'x' });
    const { log } = capture();
    const ref = 'refs/heads/sesam-snapshots/datahub-1a2b3c.sesam.cloud';
    const bytes = (text: string) => new Uint8Array(Buffer.from(text));
    const record = (files: Map<string, Uint8Array>) => recordSnapshot(opts(repo, backend, log, { files }));
    const listing = (commit: string) => repo.git('ls-tree', '-r', '-z', commit).split('\0').filter(Boolean);
    const odd = 'pipes/new\nline.conf.json';
    const first = await record(
      new Map([
        ['pipes/a.conf.json', bytes('{"a": 1}')],
        [odd, bytes('{"n": 1}')],
        ['systems/s.conf.json', bytes('{}')],
      ]),
    );
    // Someone points the branch at a commit with an executable file, a symlink and an unmanaged file.
    repo.write({
      'pipes/a.conf.json': '{"a": 1}',
      'systems/s.conf.json': '{}',
      'README.md': 'x',
      'target.txt': 'pipes/a.conf.json',
    });
    repo.git('add', 'pipes', 'systems', 'README.md');
    repo.git('update-index', '--chmod=+x', 'pipes/a.conf.json');
    repo.git(
      'update-index',
      '--add',
      '--cacheinfo',
      `120000,${repo.git('hash-object', '-w', 'target.txt').trim()},pipes/link`,
    );
    repo.git('commit', '-q', '-m', 'by hand');
    repo.git('update-ref', ref, 'HEAD');
    const files = new Map([
      ['pipes/a.conf.json', bytes('{"a": 1}')],
      ['pipes/b.conf.json', bytes('{"b": 2}')],
      ['systems/s.conf.json', bytes('{}')],
    ]);
    const second = await record(files);
    expect(repo.git('log', '-1', '--format=%P', second.commit!).trim()).toBe(repo.git('rev-parse', 'HEAD').trim());
    expect(listing(second.commit!).map((line) => line.replace(/ [0-9a-f]{40}\t/, '\t'))).toEqual([
      '100644 blob\tpipes/a.conf.json',
      '100644 blob\tpipes/b.conf.json',
      '100644 blob\tsystems/s.conf.json',
    ]);
    expect(listing(first.commit!)).toHaveLength(3);
    // From our own snapshot: only the changes are sent, and the tree is the one computed in-process.
    const third = await record(new Map([...files, [odd, bytes('{"n": 2}')]]));
    const fourth = await record(files);
    expect(repo.git('rev-parse', `${fourth.commit!}^{tree}`)).toBe(repo.git('rev-parse', `${second.commit!}^{tree}`));
    expect(repo.git('log', '-1', '--format=%b', fourth.commit!)).toContain(`D ${odd}`);
    expect(listing(third.commit!)).toHaveLength(4);
    expect((await record(files)).reason).toMatch(/no changes since snapshot/);
    // A file becomes a folder and back.
    const folder = await record(
      new Map([
        ['pipes/a.conf.json/x.json', bytes('{}')],
        ['systems/s.conf.json', bytes('{}')],
      ]),
    );
    expect(repo.git('ls-tree', '-r', '--name-only', folder.commit!).trim().split('\n')).toEqual([
      'pipes/a.conf.json/x.json',
      'systems/s.conf.json',
    ]);
    const back = await record(files);
    expect(repo.git('rev-parse', `${back.commit!}^{tree}`)).toBe(repo.git('rev-parse', `${second.commit!}^{tree}`));
  });

  it('two concurrent writers never lose a snapshot', async () => {
    const repo = createRepo({ 'a.txt': 'x' });
    const { log } = capture();
    const writers = Array.from({ length: 6 }, (_, i) =>
      recordSnapshot(
        opts(repo, backend, log, {
          files: new Map([[`pipes/p${i}.conf.json`, new Uint8Array(Buffer.from(`{"n": ${i}}`))]]),
        }),
      ),
    );
    const results = await Promise.all(writers);
    const commits = results.map((r) => r.commit);
    expect(commits.every((c) => c && /^[0-9a-f]{40}$/.test(c))).toBe(true);
    const history = repo
      .git('rev-list', '--first-parent', 'sesam-snapshots/datahub-1a2b3c.sesam.cloud')
      .trim()
      .split('\n');
    expect(history).toHaveLength(6);
    expect(new Set(history)).toEqual(new Set(commits));
  });
});

describe('recordSnapshot outside a repository', () => {
  it('returns a reason and logs one line', async () => {
    const dir = tempProject({ 'pipes/a.conf.json': '{}' });
    const { log, text } = capture();
    const env = gitEnv({ GIT_CEILING_DIRECTORIES: dir.replace(/\/[^/]+$/, '') });
    const result = await recordSnapshot({
      projectDir: dir,
      command: 'download',
      nodeLabel: 'x',
      nodeUrl: 'x',
      profile: 'test',
      log,
      env,
    });
    expect(result).toEqual({ reason: 'not a git repository: no snapshot recorded', branch: 'sesam-snapshots/x' });
    expect(text().trim().split('\n')).toEqual(['not a git repository: no snapshot recorded']);
    const noGit = await recordSnapshot({
      projectDir: dir,
      command: 'download',
      nodeLabel: 'x',
      nodeUrl: 'x',
      profile: 'test',
      log,
      env: noGitEnv(env),
    });
    expect(noGit.reason).toBe('not a git repository: no snapshot recorded');
  });

  it('reads back what it recorded', async () => {
    const repo = createRepo(project);
    const { log } = capture();
    const { commit } = await recordSnapshot(opts(repo, 'git-cli', log));
    const store = await openStore(repo.dir, { env: repo.env });
    const files = await readCommitFiles(store, commit!);
    await store.close();
    expect(Buffer.from(files.get('pipes/a.conf.json')!).toString()).toBe(project['pipes/a.conf.json']);
  });
});
