// connectNode without the fake node: a real refused connection, and the embedded node in-process.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';
import { useFastTimings } from '../helpers/msw-node.js';

useFastTimings();

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('connectNode', () => {
  it('names the URL and ECONNREFUSED when nothing listens', async () => {
    const port = await closedPort();
    const r = await runMain(['stop'], {
      cwd: tempProject({}),
      env: { NODE: `http://127.0.0.1:${port}`, JWT: 'eyJa.b.c-0123456789' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`Cannot reach the node at http://127.0.0.1:${port}/api (GET /).`);
    expect(r.stderr).toContain(`Reason: connection refused by 127.0.0.1:${port} (ECONNREFUSED)`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('opens the embedded node in-process for --node local, with no JWT', async () => {
    const cwd = tempProject({
      'pipes/a.conf.json': '{"_id": "a", "type": "pipe", "source": {"type": "embedded", "entities": []}}\n',
      'test-env.json': '{}',
    });
    const r = await runMain(['upload', '--node', 'local'], { cwd, env: {} });
    expect(r.stderr).not.toContain('Error');
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, '.sesam', 'local-node'))).toBe(true);
    const status = await runMain(['status', '--json'], { cwd, env: { NODE: 'local' } });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).files).toContainEqual({ path: 'pipes/a.conf.json', state: 'differs' });
  });
});
