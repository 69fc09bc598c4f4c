import { describe, expect, it } from 'vitest';
import { createRepo } from '../helpers/git-fixture.js';
import { runMain } from '../helpers/run-main.js';
import { pipe, recordVersions } from '../snapshots/history-fixture.js';

describe('sesam show', () => {
  it("prints a snapshot's metadata, trailers and changes against its parent", async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const head = repo.git('rev-parse', 'HEAD').trim();
    const [first, second] = await recordVersions(repo, [
      { 'pipes/a.conf.json': pipe('a', { source: { dataset: 'x' } }), 'expected/a.json': '[{"_id": "1"}]' },
      {
        'pipes/a.conf.json': pipe('a', { source: { dataset: 'y' } }),
        'expected/a.json': '[{"_id": "1"}, {"_id": "2"}]',
      },
    ]);
    const { code, stdout, stderr } = await runMain(['show', 'sesam-snapshots/local'], { cwd: repo.dir, env: repo.env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      `snapshot ${second}\nAuthor: Test User <test@example.com>\nDate:   2024-01-01T00:00:01.000Z\n\n    download: 1 pipe, 0 systems from local (2 changed)\n`,
    );
    expect(stdout).toContain(`    Sesam-Command: download\n    Sesam-Node: local\n`);
    expect(stdout).toContain(`    Sesam-Source-Head: ${head}\n`);
    expect(stdout).toContain(`Changes against parent ${first!.slice(0, 7)}: pipes +0 -0 ~1, 1 expected file\n`);
    expect(stdout).toContain('  ~ a (1 path)\n      $.source.dataset: "x" → "y"\n');
    expect(stdout).toContain('  ~ expected/a.json: 1 added, 0 removed, 0 changed entities\n      + 2\n');

    const json = await runMain(['show', first!.slice(0, 8), '--json'], { cwd: repo.dir, env: repo.env });
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      commit: first,
      parents: [],
      snapshot: true,
      command: 'download',
      node: 'local',
      files: 2,
    });
    expect(doc.changes.summary.pipes).toEqual({ added: 1, removed: 0, changed: 0 });
  });

  it('shows an ordinary commit of the project relative to the project folder', async () => {
    const repo = createRepo({ 'proj/pipes/a.conf.json': pipe('a'), 'other/file.txt': 'x' });
    repo.write({ 'proj/pipes/b.conf.json': pipe('b'), 'other/file.txt': 'y' });
    const commit = repo.commit('add b');
    const { code, stdout } = await runMain(['show', 'HEAD'], { cwd: `${repo.dir}/proj`, env: repo.env });
    expect(code).toBe(0);
    expect(stdout).toContain(`commit ${commit}\n`);
    expect(stdout).toContain('Changes against parent');
    expect(stdout).toContain(': pipes +1 -0 ~0\npipes:\n  + b (added)\n');
  });

  it('rejects a missing or unknown revision', async () => {
    const repo = createRepo({ a: 'b' });
    expect((await runMain(['show'], { cwd: repo.dir, env: repo.env })).code).toBe(2);
    const unknown = await runMain(['show', 'nope'], { cwd: repo.dir, env: repo.env });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain("Unknown revision 'nope'");
  });
});
