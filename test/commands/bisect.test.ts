import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bisectWith, type BisectDeps } from '../../src/commands/bisect.js';
import type { CommandContext } from '../../src/commands/context.js';
import { commandContext, createRepo, type FixtureRepo } from '../helpers/git-fixture.js';
import { FakeNode } from '../snapshots/fake-node.js';
import { pipe, recordVersions } from '../snapshots/history-fixture.js';

const expectedFile = '[{"_id": "1", "v": "ok"}]';

/** `count` snapshots: 0 is good, the last is bad, the pipe breaks at `firstBad`; `reject` marks snapshots the node refuses. */
async function setup(firstBad: number, reject: number[] = [], count = 9) {
  const repo = createRepo({
    'README.md': 'x',
    'expected/p.json': expectedFile,
    'expected/p.test.json': '{"pipe": "p"}',
  });
  const versions = Array.from({ length: count }, (_, i) => ({
    'pipes/p.conf.json': pipe('p', {
      version: i,
      ...(i >= firstBad ? { broken: true } : {}),
      ...(reject.includes(i) ? { reject: true } : {}),
    }),
    'expected/p.json': expectedFile,
    'test-env.json': JSON.stringify({ version: String(i) }),
  }));
  const snaps = await recordVersions(repo, versions, { label: 'dev' });
  return { repo, snaps };
}

function originalNode() {
  const node = new FakeNode('dev', { 'pipes/original.conf.json': pipe('original') }, { original: true });
  node.rejectConfig = (entries) =>
    Buffer.from(entries.get('pipes/p.conf.json') ?? [])
      .toString()
      .includes('"reject"')
      ? 'invalid pipe p'
      : undefined;
  return node;
}

function fakeDeps(node: FakeNode, hooks: { onRun?: (n: number) => void } = {}) {
  const seen = { runs: 0, verifies: 0, expectedNames: [] as string[] };
  const deps: BisectDeps = {
    connect: async () => node,
    runPipes: async () => {
      seen.runs++;
      hooks.onRun?.(seen.runs);
      return {};
    },
    verifyProject: async (_ctx: CommandContext, _api, files) => {
      seen.verifies++;
      seen.expectedNames = files.list();
      return { failed: node.pipe('p')?.broken === true ? 1 : 0, missing: [] };
    },
  };
  return { deps, seen };
}

function ctxFor(repo: FixtureRepo, good: string, bad: string, extra: { signal?: AbortSignal; json?: boolean } = {}) {
  return commandContext(repo.dir, repo.env, { good, bad, json: extra.json ?? false }, { signal: extra.signal });
}

const statePath = (repo: FixtureRepo) => join(repo.dir, '.git', 'sesam-bisect.json');

describe('sesam bisect', () => {
  it('checks --good and --bad, finds the first bad of 16 snapshots in at most 5 more steps and puts the node back', async () => {
    const { repo, snaps } = await setup(11, [], 17);
    const node = originalNode();
    const originalZip = node.configZip;
    const { deps, seen } = fakeDeps(node);
    const ctx = ctxFor(repo, snaps[0]!, 'sesam-snapshots/dev.sesam.cloud');
    await bisectWith(ctx, deps);
    expect(seen.verifies).toBeLessThanOrEqual(2 + 5);
    expect(seen.expectedNames).toEqual(['p.json']); // expected/ of --good, not of the work tree
    expect(ctx.stdout()).toContain(
      `First bad snapshot: ${snaps[11]!.slice(0, 7)} "download: 1 pipe, 0 systems from dev (2 changed)"`,
    );
    expect(ctx.stdout()).toContain(`Changes against ${snaps[10]!.slice(0, 7)}: pipes +0 -0 ~1, 1 other file`);
    expect(ctx.stdout()).toContain('      $.broken: added true');
    // The node is exactly as before, and no snapshot was recorded by the bisect.
    expect(node.configZip).toBe(originalZip);
    expect(node.env).toEqual({ original: true });
    expect(repo.git('rev-parse', 'sesam-snapshots/dev.sesam.cloud').trim()).toBe(snaps[16]);
    expect(existsSync(statePath(repo))).toBe(false);
    // Verdicts are git notes on the tested snapshots.
    const note = JSON.parse(repo.git('notes', '--ref=sesam-bisect', 'show', snaps[11]!));
    expect(note).toMatchObject({ verdict: 'bad', failed: 1, expectedAt: snaps[0], node: 'dev.sesam.cloud' });
    expect(repo.git('notes', '--ref=sesam-bisect', 'list').trim().split('\n')).toHaveLength(seen.verifies);
  });

  it('skips a snapshot the node rejects instead of judging it, and reports --json', async () => {
    const { repo, snaps } = await setup(6, [4]);
    const node = originalNode();
    const { deps } = fakeDeps(node);
    const ctx = ctxFor(repo, snaps[0]!, snaps.at(-1)!, { json: true });
    await bisectWith(ctx, deps);
    const doc = JSON.parse(ctx.stdout());
    expect(doc.firstBad.commit).toBe(snaps[6]);
    expect(doc.steps.find((s: { commit: string }) => s.commit === snaps[4])).toMatchObject({
      verdict: 'skip',
      reason: expect.stringContaining('invalid pipe p'),
    });
    expect(JSON.parse(repo.git('notes', '--ref=sesam-bisect', 'show', snaps[4]!)).verdict).toBe('skip');
    expect(node.env).toEqual({ original: true });
  });

  it('on Ctrl-C puts the node back and keeps its state; the same command then resumes', async () => {
    const { repo, snaps } = await setup(5);
    const node = originalNode();
    const originalZip = node.configZip;
    const controller = new AbortController();
    // Ctrl-C during the third run (after --good and --bad): the runner gives up with an error, as a real run would.
    const first = fakeDeps(node, {
      onRun: (n) => {
        if (n !== 3) return;
        controller.abort();
        throw new Error('run aborted');
      },
    });
    await expect(
      bisectWith(ctxFor(repo, snaps[0]!, snaps.at(-1)!, { signal: controller.signal }), first.deps),
    ).rejects.toMatchObject({ kind: 'interrupted' });
    expect(node.configZip).toBe(originalZip);
    expect(node.calls).toContain('stopRunner');
    const state = JSON.parse(readFileSync(statePath(repo), 'utf8'));
    expect(Object.keys(state.verdicts)).toHaveLength(2); // --good and --bad
    expect(state.nodeRestored).toBe(true);

    const second = fakeDeps(node);
    const ctx = ctxFor(repo, snaps[0]!, snaps.at(-1)!);
    await bisectWith(ctx, second.deps);
    expect(ctx.stderr()).toContain('Resuming the bisect: 1 of 8 snapshots already judged.');
    expect(first.seen.verifies + second.seen.verifies).toBeLessThanOrEqual(2 + 4);
    expect(ctx.stdout()).toContain(`First bad snapshot: ${snaps[5]!.slice(0, 7)}`);
    expect(existsSync(statePath(repo))).toBe(false);
    expect(node.configZip).toBe(originalZip);
  });

  it('when the node cannot be put back, keeps the original in the state file and puts it back on the next run', async () => {
    const { repo, snaps } = await setup(3);
    const node = originalNode();
    const originalZip = node.configZip;
    const deps = fakeDeps(node).deps;
    // The node fails while the first candidate runs, and refuses the original when the bisect tries to put it back.
    deps.runPipes = async () => {
      node.rejectConfig = () => 'node is down';
      throw new Error('runner crashed');
    };
    await expect(bisectWith(ctxFor(repo, snaps[0]!, snaps.at(-1)!), deps)).rejects.toMatchObject({
      kind: 'node',
      message: 'Could not put the original configuration back on dev',
    });
    expect(node.configZip).not.toBe(originalZip);
    expect(JSON.parse(readFileSync(statePath(repo), 'utf8')).nodeRestored).toBe(false);

    const healthy = originalNode();
    healthy.configZip = node.configZip; // still holding a candidate
    const ctx = ctxFor(repo, snaps[0]!, snaps.at(-1)!);
    await bisectWith(ctx, fakeDeps(healthy).deps);
    expect(Buffer.from(healthy.configZip).equals(Buffer.from(originalZip))).toBe(true);
    expect(healthy.env).toEqual({ original: true });
    expect(ctx.stdout()).toContain(`First bad snapshot: ${snaps[3]!.slice(0, 7)}`);
  });

  it('verifies against expected/ of --expected-at, any revision', async () => {
    const { repo, snaps } = await setup(2);
    repo.write({ 'expected/p.json': '[]', 'expected/q.json': '[]' });
    const main = repo.commit('new expected');
    const node = originalNode();
    const { deps, seen } = fakeDeps(node);
    await bisectWith(
      commandContext(repo.dir, repo.env, { good: snaps[0]!, bad: snaps.at(-1)!, expectedAt: main }),
      deps,
    );
    expect(seen.expectedNames).toEqual(['p.json', 'p.test.json', 'q.json']);
  });

  it('refuses bad input before touching the node', async () => {
    const { repo, snaps } = await setup(2);
    const node = originalNode();
    const { deps } = fakeDeps(node);
    await expect(bisectWith(commandContext(repo.dir, repo.env, { good: snaps[0]! }), deps)).rejects.toMatchObject({
      kind: 'usage',
    });
    await expect(bisectWith(ctxFor(repo, snaps.at(-1)!, snaps[0]!), deps)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('is not an earlier snapshot'),
    });
    await expect(bisectWith(ctxFor(repo, snaps[3]!, snaps[3]!), deps)).rejects.toMatchObject({ kind: 'usage' });
    await expect(bisectWith(ctxFor(repo, 'nope', snaps[3]!), deps)).rejects.toMatchObject({ kind: 'git' });
    expect(node.calls).toEqual([]);
  });

  it('refuses to start a different bisect while one is in progress', async () => {
    const { repo, snaps } = await setup(5);
    const node = originalNode();
    const controller = new AbortController();
    const { deps } = fakeDeps(node, { onRun: () => controller.abort() });
    await expect(
      bisectWith(ctxFor(repo, snaps[0]!, snaps.at(-1)!, { signal: controller.signal }), deps),
    ).rejects.toMatchObject({ kind: 'interrupted' });
    await expect(bisectWith(ctxFor(repo, snaps[1]!, snaps.at(-1)!), fakeDeps(node).deps)).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('Another bisect is in progress'),
    });
  });
});
