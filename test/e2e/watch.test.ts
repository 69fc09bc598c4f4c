// `sesam watch` as a developer runs it: the built CLI on a copy of the example project with the embedded node,
// files edited while it runs, its summary lines read from stdout, stopped with Ctrl-C's signal.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, copyProject, hasBuild, REPO } from './cli.js';

describe.skipIf(!hasBuild)('sesam watch --node local', () => {
  it('uploads, runs and verifies again after each edit, one line per run, and stops on SIGINT', async () => {
    const dir = copyProject(join(REPO, 'templates', 'example'));
    const child = spawn(process.execPath, [BIN, 'watch', '--node', 'local'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const w of waiters.splice(0)) {
        if (w.pattern.test(stdout)) w.resolve();
        else waiters.push(w);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    const lineMatching = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        if (pattern.test(stdout)) return resolve();
        waiters.push({ pattern, resolve });
        void exit.then(() => reject(new Error(`exited without ${pattern}:\n${stdout}\n${stderr}`)));
      });

    try {
      await lineMatching(/start → uploaded, ran, verified: Verify passed: 4 tests/);

      const expectedFile = join(dir, 'expected', 'person-endpoint.json');
      writeFileSync(expectedFile, readFileSync(expectedFile, 'utf8').replace('"Ada Lovelace"', '"Ada King"'));
      await lineMatching(
        /expected\/person-endpoint\.json changed → verified: Verify failed: 4 tests \(3 passed, 1 failed, 0 ignored\)\. Failing: person-endpoint/,
      );

      const pipeFile = join(dir, 'pipes', 'person-endpoint.conf.json');
      const pipe = JSON.parse(readFileSync(pipeFile, 'utf8'));
      pipe.transform = {
        type: 'dtl',
        rules: {
          default: [
            ['copy', '*'],
            ['add', 'name', 'Ada King'],
          ],
        },
      };
      writeFileSync(pipeFile, JSON.stringify(pipe, null, 2));
      await lineMatching(/pipes\/person-endpoint\.conf\.json changed → uploaded config, ran, verified: Verify failed/);

      const results = JSON.parse(readFileSync(join(dir, '.sesam', 'last-results.json'), 'utf8'));
      expect(results).toMatchObject({ command: 'watch', node: 'local', ok: false });
      const changes = results.specs.find((s: { pipe: string }) => s.pipe === 'person-endpoint').diff.changed;
      // Every person is now named "Ada King"; Ada herself now matches the edited expected file.
      expect(changes.map((c: { id: string }) => c.id)).not.toContain('1');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exit).toBe(130);
    expect(stderr).toContain('Stopped watching.');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] .+ \(\d+\.\d s\)$/);
  }, 120_000);
});
