// Fault injection at the command line: bad flags, unknown commands, a reader that goes away (EPIPE), Ctrl-C at
// prompts and prompts without a terminal. Prompts run in a real pseudo-terminal; pipes are real pipes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, hasBuild, sesam } from '../e2e/cli.js';
import type { FixtureRepo } from '../helpers/git-fixture.js';
import { CTRL_C, ENTER, hasPython, sesamInPty } from '../helpers/pty.js';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';
import { snapshotCount, twoSnapshots } from '../cli/pty-fixtures.js';

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJmYXVsdCJ9.ZmF1bHQtc2lnbmF0dXJl';

/** The built CLI with stdout on a pipe whose reading end is already closed (as after `| head -1`). */
function intoClosedPipe(args: string[], cwd: string, env: Record<string, string> = {}) {
  const script = [
    'import os, subprocess, sys',
    'r, w = os.pipe()',
    'os.close(r)',
    'p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)',
    'sys.stdout.write(str(p.returncode) + "\\n")',
    'sys.stdout.write(p.stderr.decode())',
  ].join('\n');
  const r = spawnSync('python3', ['-c', script, process.execPath, BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...env },
    encoding: 'utf8',
  });
  const [code, ...stderr] = r.stdout.split('\n');
  return { code: Number(code), stderr: stderr.join('\n') };
}

describe('bad command lines', () => {
  it('suggests the command meant by a typo', async () => {
    for (const [typo, meant] of [
      ['uplod', 'upload'],
      ['tset', 'test'],
      ['restor', 'restore'],
    ]) {
      const r = await runMain([typo!]);
      expect(r.code, typo).toBe(2);
      expect(r.stderr.split('\n')[0], typo).toBe(`Unknown command: '${typo}'. Did you mean ${meant}?`);
    }
  });

  it('suggests nothing for a word far from every command', async () => {
    const r = await runMain(['xyzzyplugh']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("Unknown command: 'xyzzyplugh'.");
  });

  it('refuses an option the command does not take, in one line naming both', async () => {
    for (const [argv, line] of [
      [['log', '--exit-code'], "'sesam log' does not take --exit-code."],
      [['diff', 'a', '--good', 'x'], "'sesam diff' does not take --good."],
      [['--limit', '3', 'status'], "'sesam status' does not take --limit."],
    ] as const) {
      const r = await runMain([...argv], { cwd: tempProject({}) });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(line);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("accepts sesam-py's flags with any command, as sesam-py does (CI scripts keep working)", async () => {
    const cwd = tempProject({
      'pipes/p1.conf.json': { _id: 'p1', type: 'pipe', source: { type: 'embedded', entities: [] } },
      'node-metadata.conf.json': { _id: 'node', type: 'metadata' },
      'whitelist.txt': 'pipes/p1.conf.json\n',
    });
    const r = await runMain(
      ['-vv', '-whitelist-file', 'whitelist.txt', '-single', 'p1', '-use-internal-scheduler', 'validate'],
      {
        cwd,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Note: -single has no effect on 'validate' (accepted as sesam-py does).");
    expect(r.stderr).toContain('Note: --use-internal-scheduler is accepted for sesam-py compatibility and ignored');
  });

  it('names an option whose value is missing or that takes none', async () => {
    const missing = await runMain(['status', '--node']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.split('\n')[0]).toBe("sesam: option '--node URL' argument missing");
    const extra = await runMain(['status', '--json=yes']);
    expect(extra.code).toBe(2);
    expect(extra.stderr.split('\n')[0]).toBe("sesam: option '--json' takes no value");
    const ambiguous = await runMain(['-scheduler', 'run']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.split('\n')[0]).toBe("sesam: unknown option '-scheduler'");
  });
});

describe.skipIf(!hasBuild || !hasPython)('a reader that goes away (EPIPE)', () => {
  it('sesam --help into a closed pipe exits quietly with SIGPIPE status, as git does', () => {
    const r = intoClosedPipe(['--help'], tempProject({}));
    expect(r).toEqual({ code: 141, stderr: '' });
  });

  it('sesam log into a closed pipe exits quietly', async () => {
    const repo = await twoSnapshots();
    const r = intoClosedPipe(['--node', 'local', 'log'], repo.dir, repo.env);
    expect(r).toEqual({ code: 141, stderr: '' });
  });
});

describe.skipIf(!hasBuild || !hasPython)('Ctrl-C and secrets at prompts (pseudo-terminal)', () => {
  it('Ctrl-C at the node URL prompt: exit 130, nothing written', async () => {
    const cwd = tempProject({ '.gitignore': 'node_modules\n' });
    const r = await sesamInPty(['login'], { cwd, steps: [{ expect: 'Node URL', send: `datahub-half${CTRL_C}` }] });
    expect(r.error).toBeNull();
    expect(r.code).toBe(130);
    expect(r.text).toContain('Interrupted.');
    expect(existsSync(join(cwd, '.syncconfig'))).toBe(false);
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe('node_modules\n');
  });

  it('Ctrl-C halfway through typing a JWT: exit 130, nothing written, nothing of it echoed', async () => {
    const cwd = tempProject({});
    const r = await sesamInPty(['login', '--node', 'datahub-pty.sesam.cloud'], {
      cwd,
      steps: [
        { expect: 'Email', send: ENTER },
        { expect: 'JWT', send: `${JWT.slice(0, 30)}${CTRL_C}` },
      ],
    });
    expect(r.code).toBe(130);
    expect(r.transcript).not.toContain(JWT.slice(0, 12));
    expect(existsSync(join(cwd, '.syncconfig'))).toBe(false);
  });

  it('Ctrl-T does not reveal a JWT being typed', async () => {
    const cwd = tempProject({});
    const r = await sesamInPty(['login', '--node', 'datahub-pty.sesam.cloud'], {
      cwd,
      steps: [{ expect: 'Email', send: ENTER }, { expect: 'JWT', send: `${JWT}\x14` }, { send: ENTER }],
    });
    expect(r.code).toBe(0);
    expect(r.transcript).not.toContain(JWT.slice(0, 12));
    expect(readFileSync(join(cwd, '.syncconfig'), 'utf8')).toContain(`JWT='${JWT}'`);
  });

  describe('restore', () => {
    let repo: FixtureRepo;
    beforeAll(async () => {
      repo = await twoSnapshots();
    });

    it('Ctrl-C at the confirmation: exit 130, nothing uploaded, no snapshot', async () => {
      const before = await snapshotCount(repo);
      const r = await sesamInPty(['--node', 'local', 'restore', 'sesam-snapshots/local~1'], {
        cwd: repo.dir,
        env: repo.env,
        steps: [{ expect: 'to local? (y/N)', send: CTRL_C }],
      });
      expect(r.error).toBeNull();
      expect(r.code).toBe(130);
      expect(r.text).not.toContain('Restored the configuration');
      expect(await snapshotCount(repo)).toBe(before);
      // The node still has the later configuration: restoring the latest snapshot changes nothing.
      const latest = await sesam(['--node', 'local', 'restore', 'sesam-snapshots/local', '--dry-run', '--json'], {
        cwd: repo.dir,
        env: repo.env,
      });
      const plan = JSON.parse(latest.stdout) as { config: { summary: { pipes: object } } };
      expect(plan.config.summary.pipes).toEqual({ added: 0, removed: 0, changed: 0 });
    });

    it('without a terminal it does not ask: a usage error naming --yes', async () => {
      const r = await sesam(['--node', 'local', 'restore', 'sesam-snapshots/local~1'], {
        cwd: repo.dir,
        env: repo.env,
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('pass --yes to confirm');
    });
  });

  it('login without a terminal names the flags to pass instead of asking', async () => {
    const r = await sesam(['login', '--node', 'datahub-pty.sesam.cloud'], { cwd: tempProject({}) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give --node URL and --jwt TOKEN');
  });
});
