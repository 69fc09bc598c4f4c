import { describe, expect, it } from 'vitest';
import { createRepo, fingerprint } from '../helpers/git-fixture.js';
import { runMain } from '../helpers/run-main.js';
import { pipe, recordVersions } from '../snapshots/history-fixture.js';

describe('sesam diff', () => {
  it('compares two snapshots per pipe, system and expected entity', async () => {
    const repo = createRepo({ 'README.md': 'x' });
    const [a, b] = await recordVersions(repo, [
      {
        'pipes/p.conf.json': pipe('p', { n: 1 }),
        'systems/s.conf.json': '{"_id": "s", "type": "system:url"}',
        'expected/p.json': '[{"_id": "1", "v": 1}]',
      },
      {
        'pipes/p.conf.json': '{"_id": "p", "type": "pipe", "n": 1.0}',
        'pipes/q.conf.json': pipe('q'),
        'expected/p.json': '[{"_id": "1", "v": 2}]',
      },
    ]);
    const { code, stdout } = await runMain(['diff', a!, b!], { cwd: repo.dir, env: repo.env });
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `${a!.slice(0, 7)} → ${b!.slice(0, 7)}: pipes +1 -0 ~1, systems +0 -1 ~0, 1 expected file`,
        'pipes:',
        '  ~ p (1 path)',
        '      $.n: 1 → 1.0',
        '  + q (added)',
        'systems:',
        '  - s (removed)',
        'expected:',
        '  ~ expected/p.json: 0 added, 0 removed, 1 changed entities',
        '      ~ 1: $.v',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await runMain(['diff', a!, b!, '--json'], { cwd: repo.dir, env: repo.env })).stdout);
    expect(json.from).toEqual({ rev: a, commit: a, subject: expect.stringContaining('download') });
    expect(json.pipes[0]).toEqual({
      id: 'p',
      file: 'pipes/p.conf.json',
      status: 'changed',
      changes: [{ path: '$.n', kind: 'changed', before: 1, after: 1 }],
    });
    expect(json.expected[0].changed).toEqual([
      { id: '1', changes: [{ path: '$.v', kind: 'changed', before: 1, after: 2 }] },
    ]);
  });

  it('compares a revision with the work tree, ignoring formatting and unmanaged files, without touching anything', async () => {
    const repo = createRepo({
      'pipes/p.conf.json': '{"_id": "p", "type": "pipe"}',
      'notes.txt': 'a',
      'test-env.json': '{"a": 1}',
    });
    repo.write({
      'pipes/p.conf.json': '{\n  "_id": "p",\n  "type": "pipe"\n}\n',
      'notes.txt': 'b',
      'test-env.json': '{"a": 2}',
    });
    const before = fingerprint(repo);
    const { code, stdout } = await runMain(['diff', 'HEAD'], { cwd: repo.dir, env: repo.env });
    expect(code).toBe(0);
    expect(stdout).toBe(
      'HEAD (' +
        repo.git('rev-parse', '--short=7', 'HEAD').trim() +
        ') → work tree: 1 other file\nfiles:\n  ~ test-env.json\n      $.a: 1 → 2\n',
    );
    expect(fingerprint(repo)).toEqual(before);
    const exit = await runMain(['diff', 'HEAD', '--exit-code'], { cwd: repo.dir, env: repo.env });
    expect(exit.code).toBe(1);
    repo.commit('same');
    const clean = await runMain(['diff', 'HEAD', '--exit-code'], { cwd: repo.dir, env: repo.env });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(': no changes\n');
  });

  it('needs a revision', async () => {
    const repo = createRepo({ a: 'b' });
    const result = await runMain(['diff'], { cwd: repo.dir, env: repo.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('diff needs a revision');
  });
});
