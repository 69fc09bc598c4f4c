import { describe, expect, it } from 'vitest';
import { restoreWith } from '../../src/commands/restore.js';
import { readZip } from '../../src/workspace/zip.js';
import { commandContext, createRepo, fingerprint } from '../helpers/git-fixture.js';
import { readTree } from '../helpers/tmp.js';
import { FakeNode } from '../snapshots/fake-node.js';
import { pipe, recordVersions } from '../snapshots/history-fixture.js';

const meta = '{"_id": "node", "type": "metadata"}';
// What the node holds after an upload of `meta`: upload's injected settings included.
const uploadedMeta =
  '{"_id": "node", "type": "metadata", "task_manager": {"disable_user_pipes": true}, "global_defaults": {"eager_load_microservices": false}}';

async function setup() {
  const repo = createRepo({
    'pipes/p.conf.json': pipe('p', { v: 3 }),
    'test-env.json': '{"a": "3"}',
    'README.md': 'x',
  });
  const snaps = await recordVersions(
    repo,
    [
      {
        'pipes/p.conf.json': pipe('p', { v: 1 }),
        'pipes/old.conf.json': pipe('old'),
        'node-metadata.conf.json': meta,
        'test-env.json': '{"a": "1"}',
        'expected/p.json': '[]',
      },
      { 'pipes/p.conf.json': pipe('p', { v: 2 }), 'node-metadata.conf.json': meta, 'test-env.json': '{"a": "2"}' },
    ],
    { label: 'dev' },
  );
  const node = new FakeNode(
    'dev',
    { 'pipes/p.conf.json': pipe('p', { v: 2 }), 'node-metadata.conf.json': uploadedMeta },
    { a: '2' },
  );
  return { repo, snaps, node };
}

const text = (data: Uint8Array | undefined) => (data ? Buffer.from(data).toString('utf8') : undefined);

describe('sesam restore', () => {
  it('uploads an earlier snapshot, records a new snapshot that points back to it, and leaves the work tree alone', async () => {
    const { repo, snaps, node } = await setup();
    const before = fingerprint(repo);
    const ctx = commandContext(repo.dir, repo.env, { yes: true }, { args: [snaps[0]!.slice(0, 10)] });
    await restoreWith(ctx, { connect: async () => node });
    const zip = readZip(node.configZip);
    expect([...zip.keys()]).toEqual(['pipes/old.conf.json', 'pipes/p.conf.json', 'node-metadata.conf.json']);
    expect(text(zip.get('pipes/p.conf.json'))).toBe(pipe('p', { v: 1 }));
    expect(text(zip.get('node-metadata.conf.json'))).toBe(uploadedMeta);
    expect(node.env).toEqual({ a: '1' });
    expect(node.closed).toBe(1);
    expect(fingerprint(repo)).toEqual(before);
    // Forward-only: a third snapshot whose parent is the second and whose tree is the first's.
    const head = repo.git('rev-parse', 'sesam-snapshots/dev.sesam.cloud').trim();
    expect(repo.git('rev-parse', `${head}^`).trim()).toBe(snaps[1]);
    expect(repo.git('rev-parse', `${head}^{tree}`).trim()).toBe(repo.git('rev-parse', `${snaps[0]}^{tree}`).trim());
    expect(repo.git('log', '-1', '--format=%(trailers:key=Sesam-Restored-From,valueonly)', head).trim()).toBe(snaps[0]);
    expect(repo.git('log', '-1', '--format=%(trailers:key=Sesam-Command,valueonly)', head).trim()).toBe('restore');
    expect(ctx.stdout()).toContain(
      `Restore ${snaps[0]!.slice(0, 7)} "download: 2 pipes, 0 systems from dev (first snapshot)" to dev:`,
    );
    expect(ctx.stdout()).toContain('  config: pipes +1 -0 ~1\n');
    expect(ctx.stdout()).toContain('      $.v: 2 → 1');
    expect(ctx.stdout()).toContain('      $.a: "2" → "1"');
  });

  it('--dry-run shows the plan and changes nothing; --json reports it', async () => {
    const { repo, snaps, node } = await setup();
    const ctx = commandContext(repo.dir, repo.env, { dryRun: true, json: true }, { args: [snaps[0]!] });
    await restoreWith(ctx, { connect: async () => node });
    expect(node.calls).not.toContain('putConfig');
    expect(node.calls).not.toContain('putEnv');
    expect(repo.git('rev-parse', 'sesam-snapshots/dev.sesam.cloud').trim()).toBe(snaps[1]);
    const doc = JSON.parse(ctx.stdout());
    expect(doc).toMatchObject({
      schemaVersion: 1,
      commit: snaps[0],
      node: 'dev',
      dryRun: true,
      uploaded: false,
      snapshot: null,
    });
    expect(doc.config.pipes.map((p: { id: string; status: string }) => `${p.status} ${p.id}`)).toEqual([
      'added old',
      'changed p',
    ]);
    expect(doc.env).toEqual([{ path: '$.a', kind: 'changed', before: '2', after: '1' }]);
  });

  it('asks when interactive, refuses without --yes when not, and does nothing when declined', async () => {
    const { repo, snaps, node } = await setup();
    const batch = commandContext(repo.dir, repo.env, {}, { args: [snaps[0]!] });
    await expect(restoreWith(batch, { connect: async () => node })).rejects.toMatchObject({
      kind: 'usage',
      message: 'restore would change the configuration of dev; pass --yes to confirm',
    });
    const declined = commandContext(repo.dir, repo.env, {}, { args: [snaps[0]!], interactive: true, confirm: false });
    await restoreWith(declined, { connect: async () => node });
    expect(declined.stderr()).toContain('Restore cancelled');
    expect(node.calls).not.toContain('putConfig');
    const accepted = commandContext(repo.dir, repo.env, {}, { args: [snaps[0]!], interactive: true, confirm: true });
    await restoreWith(accepted, { connect: async () => node });
    expect(node.calls).toContain('putConfig');
  });

  it('--write makes the managed files of the work tree match the revision (keeping the env file), in one step', async () => {
    const { repo, node } = await setup();
    repo.write({ 'pipes/extra.conf.json': pipe('extra'), 'expected/x.json': '[]' });
    // Those two files are in no commit and no snapshot: --force says they may go (test/faults covers the refusal).
    const ctx = commandContext(
      repo.dir,
      repo.env,
      { yes: true, write: true, noSnapshot: true, force: true },
      { args: ['sesam-snapshots/dev.sesam.cloud'] },
    );
    const head = repo.git('rev-parse', 'sesam-snapshots/dev.sesam.cloud').trim();
    await restoreWith(ctx, { connect: async () => node });
    const tree = readTree(repo.dir);
    expect(tree['pipes/p.conf.json']).toBe(pipe('p', { v: 2 }));
    expect(tree['pipes/extra.conf.json']).toBeUndefined();
    expect(tree['expected/x.json']).toBeUndefined();
    expect(tree['test-env.json']).toBe('{"a": "2"}');
    expect(tree['node-metadata.conf.json']).toBe(meta);
    expect(tree['README.md']).toBe('x');
    expect(repo.git('rev-parse', 'sesam-snapshots/dev.sesam.cloud').trim()).toBe(head); // --no-snapshot
    expect(ctx.stderr()).toContain('already has this configuration');
  });

  it('restores any git revision of the project, substituting .jinja_vars as upload does', async () => {
    const repo = createRepo({
      'proj/pipes/p.conf.json': '{"_id": "p", "url": "{{@ host @}}"}',
      'proj/.jinja_vars': '{"host": "example.org"}',
    });
    const commit = repo.git('rev-parse', 'HEAD').trim();
    const node = new FakeNode('dev');
    const ctx = commandContext(`${repo.dir}/proj`, repo.env, { yes: true }, { args: ['HEAD'] });
    await restoreWith(ctx, { connect: async () => node });
    expect(text(readZip(node.configZip).get('pipes/p.conf.json'))).toBe('{"_id": "p", "url": "example.org"}');
    expect(node.calls).not.toContain('putEnv'); // no test-env.json at that revision
    expect(ctx.stdout()).toContain('env: left as it is (no test-env.json at that revision)');
    expect(
      repo
        .git('log', '-1', '--format=%(trailers:key=Sesam-Restored-From,valueonly)', 'sesam-snapshots/dev.sesam.cloud')
        .trim(),
    ).toBe(commit);
    expect(repo.git('show', 'sesam-snapshots/dev.sesam.cloud:pipes/p.conf.json')).toBe(
      '{"_id": "p", "url": "{{@ host @}}"}',
    );
  });

  it('fails clearly: no revision, no config at the revision, the node rejecting it', async () => {
    const { repo, snaps, node } = await setup();
    await expect(
      restoreWith(commandContext(repo.dir, repo.env, { yes: true }), { connect: async () => node }),
    ).rejects.toMatchObject({ kind: 'usage' });
    const plain = repo
      .git('commit-tree', '-m', 'empty', repo.git('mktree').trim() || '4b825dc642cb6eb9a060e54bf8d69288fbee4904')
      .trim();
    await expect(
      restoreWith(commandContext(repo.dir, repo.env, { yes: true }, { args: [plain] }), { connect: async () => node }),
    ).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('holds no Sesam configuration'),
    });
    node.rejectConfig = () => 'pipe p: bad config';
    const ctx = commandContext(repo.dir, repo.env, { yes: true }, { args: [snaps[0]!] });
    await expect(restoreWith(ctx, { connect: async () => node })).rejects.toMatchObject({ kind: 'node' });
    expect(ctx.stderr()).toContain('may hold part of it');
    expect(repo.git('rev-parse', 'sesam-snapshots/dev.sesam.cloud').trim()).toBe(snaps[1]); // nothing recorded
    expect(node.closed).toBe(1);
  });
});
