import { describe, expect, it } from 'vitest';
import { createRepo, fingerprint } from '../helpers/git-fixture.js';
import { runMain } from '../helpers/run-main.js';
import { pipe, recordVersions } from '../snapshots/history-fixture.js';

async function setup() {
  const repo = createRepo({ 'README.md': 'x' });
  const local = await recordVersions(repo, [
    { 'pipes/a.conf.json': pipe('a') },
    { 'pipes/a.conf.json': pipe('a', { x: 1 }), 'pipes/b.conf.json': pipe('b'), 'systems/s.conf.json': '{"_id": "s"}' },
    { 'pipes/b.conf.json': pipe('b'), 'systems/s.conf.json': '{"_id": "s"}' },
  ]);
  const remote = await recordVersions(repo, [{ 'pipes/r.conf.json': pipe('r') }], {
    label: 'datahub-1a2b3c',
    start: 10,
  });
  return { repo, local, remote };
}

describe('sesam log', () => {
  it("lists every node's snapshots newest first when no node is configured, with counts", async () => {
    const { repo, local, remote } = await setup();
    const before = fingerprint(repo);
    const { code, stdout, stderr } = await runMain(['log'], { cwd: repo.dir, env: repo.env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `${remote[0]!.slice(0, 7)} 2024-01-01 00:00 datahub-1a2b3c.sesam.cloud  download: 1 pipe, 0 systems from datahub-1a2b3c (first snapshot)`,
        '        pipes +1 -0 ~0',
        `${local[2]!.slice(0, 7)} 2024-01-01 00:00 local  download: 1 pipe, 1 system from local (1 changed)`,
        '        pipes +0 -1 ~0',
        `${local[1]!.slice(0, 7)} 2024-01-01 00:00 local  download: 2 pipes, 1 system from local (3 changed)`,
        '        pipes +1 -0 ~1, systems +1 -0 ~0',
        `${local[0]!.slice(0, 7)} 2024-01-01 00:00 local  download: 1 pipe, 0 systems from local (first snapshot)`,
        '        pipes +1 -0 ~0',
        '',
      ].join('\n'),
    );
    expect(fingerprint(repo)).toEqual(before);
  });

  it('filters by --node (label or URL), limits, and prints JSON', async () => {
    const { repo, local } = await setup();
    const byLabel = await runMain(['log', '--node', 'local', '--limit', '2', '--json'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(byLabel.code).toBe(0);
    const doc = JSON.parse(byLabel.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.snapshots.map((s: { commit: string }) => s.commit)).toEqual([local[2], local[1]]);
    expect(doc.snapshots[0]).toMatchObject({
      parent: local[1],
      command: 'download',
      node: 'local',
      branch: 'sesam-snapshots/local',
      subject: 'download: 1 pipe, 1 system from local (1 changed)',
      date: '2024-01-01T00:00:02.000Z',
      pipes: { added: 0, removed: 1, changed: 0 },
      systems: { added: 0, removed: 0, changed: 0 },
      restoredFrom: null,
    });
    expect(doc.snapshots[0].trailers['Sesam-Snapshot']).toBe('1');
    const byUrl = await runMain(['log', '--node', 'https://datahub-1a2b3c.sesam.cloud', '--json'], {
      cwd: repo.dir,
      env: repo.env,
    });
    expect(JSON.parse(byUrl.stdout).snapshots).toHaveLength(1);
  });

  it('defaults to the configured node, and says when it has none', async () => {
    const { repo } = await setup();
    const configured = await runMain(['log', '--json'], {
      cwd: repo.dir,
      env: { ...repo.env, NODE: 'datahub-1a2b3c.sesam.cloud', JWT: 'x.y.z' },
    });
    expect(JSON.parse(configured.stdout).snapshots.map((s: { node: string }) => s.node)).toEqual(['datahub-1a2b3c']);
    const none = await runMain(['log'], {
      cwd: repo.dir,
      env: { ...repo.env, NODE: 'other-node.sesam.cloud', JWT: 'x.y.z' },
    });
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No snapshots for other-node.');
    expect(none.stderr).toContain('snapshots exist for datahub-1a2b3c.sesam.cloud, local');
  });

  it('fails with exit 4 outside a git repository', async () => {
    const { tempDir } = await import('../helpers/tmp.js');
    const dir = tempDir();
    const result = await runMain(['log'], {
      cwd: dir,
      env: { PATH: process.env.PATH!, GIT_CEILING_DIRECTORIES: dir.replace(/\/[^/]+$/, '') },
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`Not a git repository: ${dir}`);
  });
});
