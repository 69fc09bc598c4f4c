// `sesam serve`: the embedded node on a real loopback port, stopped by the command's abort signal.
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOptions, type Options } from '../../src/cli/options.js';
import type { CommandContext } from '../../src/commands/context.js';
import { serve } from '../../src/commands/serve.js';
import { createLogger, createOutput, Redactor } from '../../src/log.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir } from '../helpers/tmp.js';

/** Start `serve` with the given options; resolves once it printed its URL. */
async function startServe(cwd: string, options: Partial<Options>) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  let announced!: (url: string) => void;
  const url = new Promise<string>((resolve) => (announced = resolve));
  const out = createOutput(
    {
      write: (s: string) => {
        stdout += s;
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) announced(match[1]!);
        return true;
      },
    },
    new Redactor(),
    false,
  );
  const log = createLogger({
    stream: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
    },
    verbosity: 1,
    color: false,
  });
  const ctx: CommandContext = {
    command: 'serve',
    args: [],
    options: defaultOptions({ port: 0, ...options }),
    cwd,
    env: {},
    out,
    log,
    signal: controller.signal,
    prompt: { interactive: false, ask: async () => '', confirm: async () => false },
  };
  const done = serve(ctx);
  // serve only settles early when it fails to start.
  const first = await Promise.race([url, done.then(() => undefined)]);
  if (first === undefined) throw new Error(`serve stopped early: ${stderr}`);
  return { url: first, done, stop: () => controller.abort(), output: () => ({ stdout, stderr }) };
}

describe('sesam serve', () => {
  it('serves the node API until aborted, then closes and returns 0', async () => {
    const cwd = tempDir();
    const server = await startServe(cwd, { memory: true });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.output().stdout).toContain(`(data: in memory); use --node ${server.url} or NODE=${server.url}`);
    const info = (await (await fetch(`${server.url}/api/`, { headers: { authorization: 'Bearer any' } })).json()) as {
      status: { developer_mode: boolean };
    };
    expect(info.status.developer_mode).toBe(true);
    // Requests are logged at -v.
    expect(server.output().stderr).toMatch(/GET \/api\/ -> 200/);

    server.stop();
    expect(await server.done).toBe(0);
    expect(server.output().stderr).toContain('Sesam node stopped.');
    await expect(fetch(`${server.url}/api/`)).rejects.toThrow();
  });

  it('keeps its state in <cwd>/.sesam/local-node by default, and in --data DIR when given', async () => {
    const cwd = tempDir();
    const server = await startServe(cwd, {});
    const dir = join(cwd, '.sesam', 'local-node');
    expect(server.output().stdout).toContain(`(data: ${dir})`);
    server.stop();
    await server.done;
    expect(existsSync(dir) && readdirSync(dir).length > 0).toBe(true);

    const custom = await startServe(cwd, { data: 'state' });
    expect(custom.output().stdout).toContain(`(data: ${join(cwd, 'state')})`);
    custom.stop();
    await custom.done;
  });

  it('keeps the state between runs with a data directory', async () => {
    const cwd = tempDir();
    const first = await startServe(cwd, {});
    const put = await fetch(`${first.url}/api/env`, {
      method: 'PUT',
      body: '{"node-env": "test"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(put.status).toBe(200);
    first.stop();
    await first.done;
    const second = await startServe(cwd, {});
    expect(await (await fetch(`${second.url}/api/env`)).json()).toEqual({ 'node-env': 'test' });
    second.stop();
    await second.done;
  });

  it('reports a port in use as one clear error (exit 2)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runMain(['serve', '--port', String(port), '--memory'], { cwd: tempDir() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Cannot start the node: 127.0.0.1:${port} is already in use.`);
      expect(r.stderr).toContain('--port 0 picks a free one');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rejects arguments, --memory with --data, and a port out of range', async () => {
    const cwd = tempDir();
    expect((await runMain(['serve', 'extra'], { cwd })).stderr).toContain("'sesam serve' takes no arguments");
    const both = await runMain(['serve', '--memory', '--data', 'x'], { cwd });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--memory and --data exclude each other');
    expect((await runMain(['serve', '--port', '70000'], { cwd })).stderr).toContain(
      '--port must be between 0 and 65535',
    );
  });
});
