// End to end: Git-native snapshots with the built `sesam` against the embedded node over real loopback HTTP
// (`sesam serve`), in a temp git repository holding the user's project. The tests in each describe build on each
// other in order (one node, one repository), as a user's session would.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, type FixtureRepo, type RepoFingerprint } from '../helpers/git-fixture.js';
import { hasBuild, REPO, startServe, type CliResult } from './cli.js';
import {
  cliIn,
  fileAt,
  nodeHttp,
  parentsOf,
  parseJsonOutput,
  projectRepo,
  snapshotRefs,
  trailersOf,
} from './fixtures-snapshots.js';

const EXAMPLE = join(REPO, 'templates', 'example');

function ok(r: CliResult, what: string): CliResult {
  expect(r.code, `${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

describe.skipIf(!hasBuild)('snapshots of the example project over HTTP', () => {
  let server: Awaited<ReturnType<typeof startServe>>;
  let repo: FixtureRepo;
  let node: ReturnType<typeof nodeHttp>;
  let cli: (...args: string[]) => Promise<CliResult>;
  let branch: string;
  let first: string;
  let second: string;
  const PIPE = 'person-crm-export';

  beforeAll(async () => {
    repo = projectRepo(EXAMPLE);
    server = await startServe(repo.dir);
    node = nodeHttp(server.url);
    cli = cliIn(repo, server.url);
  });
  afterAll(async () => server?.stop());

  it('download records a snapshot on its own branch and leaves HEAD, the index and the work tree alone', async () => {
    ok(await cli('upload'), 'upload');
    const before = fingerprint(repo);
    const d = ok(await cli('download', '--json'), 'download');
    const after = fingerprint(repo);

    // The example is portal-formatted, so the only file download rewrites is the env file: sesam-py writes it
    // with a UTF-8 BOM.
    const doc = parseJsonOutput(d.stdout, 'download --json');
    expect({ added: doc.added, changed: doc.changed, removed: doc.removed }).toEqual({
      added: [],
      changed: ['test-env.json'],
      removed: [],
    });
    expect(after.status).toBe(' M test-env.json\n');
    const env = 'test-env.json';
    expect(after.workTree[env]).toBe(`\uFEFF${before.workTree[env]}`);
    const unchanged = (f: RepoFingerprint) => ({
      ...f,
      status: undefined,
      workTree: { ...f.workTree, [env]: undefined },
    });
    expect(unchanged(after)).toEqual(unchanged(before));
    expect(before.status).toBe('');
    expect(repo.git('symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');

    const refs = snapshotRefs(repo);
    expect(Object.keys(refs)).toEqual([`refs/heads/sesam-snapshots/127.0.0.1-${new URL(server.url).port}`]);
    branch = Object.keys(refs)[0]!;
    first = refs[branch]!;
    expect(doc.snapshot).toMatchObject({ commit: first });
    expect(parentsOf(repo, first)).toEqual([]);
    // Its tree is the managed files exactly as on disk after the command.
    const tree = repo.git('ls-tree', '-r', '--name-only', first).trim().split('\n');
    const managed = Object.keys(after.workTree).filter(
      (p) => /^(pipes|systems|expected)\//.test(p) || p === env || p === 'node-metadata.conf.json',
    );
    expect(tree).toEqual(managed.sort());
    for (const path of tree) expect(fileAt(repo, first, path), path).toBe(after.workTree[path]);
    expect(trailersOf(repo, first)).toMatchObject({
      'Sesam-Snapshot': '1',
      'Sesam-Command': 'download',
      'Sesam-Node': '127.0.0.1',
      'Sesam-Profile': 'test',
      'Sesam-Source-Head': before.head,
    });
    expect(repo.git('log', '-1', '--format=%s', first).trim()).toBe(
      'download: 12 pipes, 2 systems from 127.0.0.1 (first snapshot)',
    );
  });

  it('a portal edit on the node shows up as a second snapshot in log, and diff names the pipe and the JSON path', async () => {
    const config = (await node.get(`/pipes/${PIPE}/config`)) as { transform: { rules: { default: unknown[][] } } };
    expect(config.transform.rules.default[2]).toEqual(['add', 'full_name', '_S.name']);
    config.transform.rules.default[2] = ['add', 'full_name', ['upper', '_S.name']];
    await node.put(`/pipes/${PIPE}/config`, config);

    const d = parseJsonOutput(ok(await cli('download', '--json'), 'download').stdout, 'download --json');
    expect(d.changed).toEqual([`pipes/${PIPE}.conf.json`]);
    second = snapshotRefs(repo)[branch]!;
    expect(second).not.toBe(first);
    expect(parentsOf(repo, second)).toEqual([first]);

    const log = parseJsonOutput(ok(await cli('log', '--json'), 'log').stdout, 'log --json') as {
      schemaVersion: number;
      snapshots: {
        commit: string;
        command: string;
        node: string;
        pipes: { added: number; removed: number; changed: number };
      }[];
    };
    expect(log.schemaVersion).toBe(1);
    expect(log.snapshots.map((s) => s.commit)).toEqual([second, first]);
    expect(log.snapshots[0]).toMatchObject({
      command: 'download',
      node: '127.0.0.1',
      pipes: { added: 0, removed: 0, changed: 1 },
    });
    expect(log.snapshots[1]!.pipes).toEqual({ added: 12, removed: 0, changed: 0 });

    const diff = parseJsonOutput(ok(await cli('diff', first, second, '--json'), 'diff').stdout, 'diff --json') as {
      pipes: { id: string; status: string; changes: { path: string; before: unknown; after: unknown }[] }[];
      systems: unknown[];
    };
    expect(diff.systems).toEqual([]);
    expect(diff.pipes).toEqual([
      {
        id: PIPE,
        file: `pipes/${PIPE}.conf.json`,
        status: 'changed',
        changes: [
          { path: '$.transform.rules.default[2][2]', kind: 'changed', before: '_S.name', after: ['upper', '_S.name'] },
        ],
      },
    ]);
    const human = ok(await cli('diff', first, second), 'diff');
    expect(human.stdout).toContain(PIPE);
    expect(human.stdout).toContain('$.transform.rules.default[2][2]');
    // --exit-code: differences are exit 1, like git diff --exit-code.
    expect((await cli('diff', first, second, '--exit-code')).code).toBe(1);
  });

  it('restore puts the old config back on the node and records a new snapshot; the branch only moves forward', async () => {
    const r = parseJsonOutput(ok(await cli('restore', first, '--yes', '--json'), 'restore').stdout, 'restore --json');
    expect(r).toMatchObject({ commit: first, uploaded: true });
    const original = JSON.parse(readFileSync(join(EXAMPLE, 'pipes', `${PIPE}.conf.json`), 'utf8'));
    expect(await node.get(`/pipes/${PIPE}/config`)).toEqual(original);

    const third = snapshotRefs(repo)[branch]!;
    expect(r.snapshot).toBe(third);
    expect(parentsOf(repo, third)).toEqual([second]);
    expect(trailersOf(repo, third)).toMatchObject({ 'Sesam-Command': 'restore', 'Sesam-Restored-From': first });
    // Same configuration as the first snapshot, a new commit on top of the second.
    expect(repo.git('rev-parse', `${third}^{tree}`)).toBe(repo.git('rev-parse', `${first}^{tree}`));
    // The work tree keeps the downloaded (edited) file: restore without --write changes only the node.
    expect(readFileSync(join(repo.dir, 'pipes', `${PIPE}.conf.json`), 'utf8')).toBe(
      fileAt(repo, second, `pipes/${PIPE}.conf.json`),
    );
    // The node holds the old config: status against the work tree (which has the edit) differs in that pipe only.
    const status = parseJsonOutput((await cli('status', '--json')).stdout, 'status --json') as {
      inSync: boolean;
      files: { path: string; state: string }[];
    };
    expect(status.inSync).toBe(false);
    expect(status.files.filter((f) => f.state !== 'same')).toEqual([
      { path: `pipes/${PIPE}.conf.json`, state: 'differs' },
    ]);
  });

  it('verify --at compares with expected/ as stored at a revision, not on disk', async () => {
    ok(await cli('run'), 'run');
    ok(await cli('verify'), 'verify');
    const file = join(repo.dir, 'expected', `${PIPE}.json`);
    const right = readFileSync(file, 'utf8');
    const wrong = right.replace('"Edsger Dijkstra"', '"Edsger W. Dijkstra"');
    expect(wrong).not.toBe(right);

    // A revision whose expected file is wrong while the work tree is right.
    writeFileSync(file, wrong);
    const bad = repo.commit('expect the middle initial');
    writeFileSync(file, right);
    const atBad = await cli('verify', '--at', bad);
    expect(atBad.code, atBad.stderr).toBe(1);
    expect(atBad.stdout + atBad.stderr).toContain('Edsger W. Dijkstra');
    ok(await cli('verify', '--at', `${bad}~1`), 'verify --at the commit before');
    ok(await cli('verify'), 'verify of the work tree');

    // And the other way round: the work tree is wrong, the snapshot is right.
    writeFileSync(file, wrong);
    expect((await cli('verify')).code).toBe(1);
    ok(await cli('verify', '--at', first), 'verify --at the first snapshot');
    writeFileSync(file, right);

    const unknown = await cli('verify', '--at', 'no-such-revision');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('no-such-revision');
  });
});

describe.skipIf(!hasBuild)('bisect over 16 snapshots over HTTP', () => {
  let server: Awaited<ReturnType<typeof startServe>>;
  let repo: FixtureRepo;
  let node: ReturnType<typeof nodeHttp>;
  let cli: (...args: string[]) => Promise<CliResult>;
  const snapshots: string[] = [];
  /** The 1-based number of the first snapshot whose `out` pipe writes v = 2 instead of 1. */
  const FIRST_BAD = 11;

  const source = (step: number) => ({
    _id: 'src',
    type: 'pipe',
    description: `edit ${step}`,
    source: {
      type: 'embedded',
      entities: [
        { _id: 'a', n: 1 },
        { _id: 'b', n: 2 },
      ],
    },
  });
  const output = (v: number) => ({
    _id: 'out',
    type: 'pipe',
    source: { type: 'dataset', dataset: 'src' },
    sink: { type: 'http_endpoint' },
    transform: {
      type: 'dtl',
      rules: {
        default: [
          ['copy', '*'],
          ['add', 'v', v],
        ],
      },
    },
  });

  beforeAll(async () => {
    repo = projectRepo();
    server = await startServe(repo.dir);
    node = nodeHttp(server.url);
    cli = cliIn(repo, server.url);
  });
  afterAll(async () => server?.stop());

  it('builds 16 snapshots from portal edits, one of which changes an output value', async () => {
    await node.put('/env', {});
    await node.put('/config', [source(1), output(1)]);
    ok(await cli('run'), 'run');
    // The expected output of the good configuration, written by update (no snapshot yet: download records it).
    ok(await cli('update', '--no-snapshot'), 'update');
    expect(JSON.parse(readFileSync(join(repo.dir, 'expected', 'out.json'), 'utf8'))).toEqual([
      { _id: 'a', n: 1, v: 1 },
      { _id: 'b', n: 2, v: 1 },
    ]);
    for (let step = 1; step <= 16; step++) {
      if (step > 1) await node.put('/pipes/src/config', source(step));
      if (step === FIRST_BAD) await node.put('/pipes/out/config', output(2));
      ok(await cli('download', '--json'), `download ${step}`);
      const tip = snapshotRefs(repo)[`refs/heads/sesam-snapshots/127.0.0.1-${new URL(server.url).port}`];
      expect(tip, `snapshot ${step}`).toBeDefined();
      if (snapshots.length) expect(parentsOf(repo, tip!)).toEqual([snapshots[snapshots.length - 1]]);
      snapshots.push(tip!);
    }
    expect(new Set(snapshots).size).toBe(16);
    expect(fileAt(repo, snapshots[0]!, 'expected/out.json')).toContain('"v": 1');
  }, 120_000); // 18 CLI spawns: generous for a loaded CI machine

  it('finds the first bad snapshot in at most 5 steps, prints its config diff and puts the node back', async () => {
    expect(snapshots).toHaveLength(16);
    const configBefore = await node.components();
    const zipBefore = await node.configZip();
    const envBefore = await node.get('/env');

    const r = await cli('bisect', '--good', snapshots[0]!, '--bad', snapshots[15]!, '--json');
    ok(r, 'bisect');
    const doc = parseJsonOutput(r.stdout, 'bisect --json') as {
      firstBad: { commit: string };
      previous: string;
      steps: { commit: string; verdict: string; failed?: number }[];
      diff: { pipes: { id: string; status: string; changes: { path: string; before: unknown; after: unknown }[] }[] };
    };
    expect(doc.firstBad.commit).toBe(snapshots[FIRST_BAD - 1]);
    expect(doc.previous).toBe(snapshots[FIRST_BAD - 2]);
    expect(doc.steps.length).toBeGreaterThan(0);
    expect(doc.steps.length).toBeLessThanOrEqual(1 + 5); // --bad is checked first, then at most 5 steps
    // Every verdict is the truth: snapshots before FIRST_BAD produce v = 1, the others v = 2.
    for (const step of doc.steps) {
      const index = snapshots.indexOf(step.commit);
      expect(index, step.commit).toBeGreaterThan(0);
      expect(step.verdict, `snapshot ${index + 1}`).toBe(index + 1 >= FIRST_BAD ? 'bad' : 'good');
    }
    const out = doc.diff.pipes.find((p) => p.id === 'out');
    expect(out).toMatchObject({
      status: 'changed',
      changes: [{ path: '$.transform.rules.default[1][2]', before: 1, after: 2 }],
    });

    // The same components (a zip upload lists them by file name, so compare by _id) and the same zip bytes.
    expect(await node.components()).toEqual(configBefore);
    expect((await node.configZip()).equals(zipBefore)).toBe(true);
    expect(await node.get('/env')).toEqual(envBefore);
    // The state file is gone and the verdicts are git notes.
    // (plus --good, checked first and not a candidate)
    expect(repo.git('notes', '--ref=sesam-bisect', 'list').trim().split('\n')).toHaveLength(doc.steps.length + 1);

    // The human report names the snapshot and the changed pipe and path.
    const again = ok(await cli('bisect', '--good', snapshots[0]!, '--bad', snapshots[15]!), 'bisect (text)');
    expect(again.stdout).toContain(`First bad snapshot: ${snapshots[FIRST_BAD - 1]!.slice(0, 7)}`);
    expect(again.stdout).toContain('$.transform.rules.default[1][2]');
    expect(await node.components()).toEqual(configBefore);
  }, 60_000);
});
