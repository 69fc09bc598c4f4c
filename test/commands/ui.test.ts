// `sesam ui` as a command: argument checks, the printed URL (with its token) serving the app, and Ctrl-C.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { REPO } from '../e2e/cli.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

const built = existsSync(join(REPO, 'dist', 'ui', 'assets', 'app.js'));

describe('sesam ui', () => {
  it('takes no arguments and a port in range', async () => {
    const extra = await runMain(['ui', 'now'], { cwd: tempDir() });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("'sesam ui' takes no arguments");
    const port = await runMain(['ui', '--port', '70000'], { cwd: tempDir() });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be between 0 and 65535');
  });

  it.skipIf(!built)('prints a loopback URL with a token that serves the app, and stops on Ctrl-C', async () => {
    const dir = writeTree(tempDir(), { 'pipes/a.conf.json': { _id: 'a', type: 'pipe' } });
    const abort = new AbortController();
    let stdout = '';
    let stderr = '';
    let exited: Promise<number> | undefined;
    const url = new Promise<string>((resolve) => {
      exited = main(['ui', '--json'], {
        stdout: {
          write: (s: string) => {
            stdout += s;
            if (stdout.includes('}')) resolve(JSON.parse(stdout).url);
            return true;
          },
          isTTY: false,
        },
        stderr: {
          write: (s: string) => {
            stderr += s;
            return true;
          },
          isTTY: false,
        },
        env: {},
        cwd: dir,
        signal: abort.signal,
      });
    });
    const printed = await url;
    // Without --port the UI takes a free port (9042 is `sesam serve`'s default).
    expect(printed).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
    expect(printed).not.toContain(':9042/');
    const page = await fetch(printed);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js"></script>');
    expect((await fetch(printed.replace(/\?token=.*/, ''))).status).toBe(403);
    abort.abort();
    // Through main, Ctrl-C is exit 130 (interrupted), as for `sesam serve`.
    expect(await exited).toBe(130);
    expect(stderr).toContain('sesam ui stopped.');
  });
});
