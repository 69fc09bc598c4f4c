// watch under bad input and Ctrl-C: a broken file is one failed cycle, not the end of watching; the signal ends it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { outputPipe } from '../helpers/msw-verify.js';
import { tempProject } from '../helpers/tmp.js';

describe('sesam watch faults', () => {
  it('reports a broken pipe file as a failed cycle, keeps watching, and exits 130 on Ctrl-C', async () => {
    const dir = tempProject({
      'pipes/out.conf.json': `${JSON.stringify(outputPipe('out'), null, 2)}\n`,
      'expected/out.test.json': '{}',
      'expected/out.json': '[]',
      'test-env.json': '{}',
    });
    let stdout = '';
    let stderr = '';
    let seen: (() => void) | undefined;
    const controller = new AbortController();
    const lines = () => stdout.trim().split('\n').filter(Boolean);
    const untilLines = (n: number) =>
      new Promise<void>((resolve) => {
        seen = () => lines().length >= n && resolve();
        seen();
      });
    const done = main(['watch', '--node', 'local'], {
      cwd: dir,
      env: {},
      signal: controller.signal,
      stdout: {
        write(s: string) {
          stdout += s;
          seen?.();
          return true;
        },
      },
      stderr: {
        write(s: string) {
          stderr += s;
          return true;
        },
      },
    });
    await untilLines(1);
    expect(lines()[0]).toMatch(/start → uploaded, ran, verified: Verify passed: 1 test /);

    writeFileSync(join(dir, 'pipes', 'out.conf.json'), '{"_id": "out", ');
    await untilLines(2);
    expect(lines()[1]).toMatch(/pipes\/out\.conf\.json changed → failed: \S/);
    expect(stderr).toMatch(/\nReason: /);

    writeFileSync(join(dir, 'pipes', 'out.conf.json'), `${JSON.stringify(outputPipe('out'), null, 2)}\n`);
    await untilLines(3);
    expect(lines()[2]).toMatch(/pipes\/out\.conf\.json changed → uploaded config, ran, verified: Verify passed/);

    controller.abort(new Error('interrupted'));
    expect(await done).toBe(130);
    expect(lines()).toHaveLength(3);
  }, 60_000);
});
