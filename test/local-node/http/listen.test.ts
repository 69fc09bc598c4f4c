// The handler over a real loopback socket (port 0), spoken to with plain fetch.
import { createServer } from 'node:net';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { isSesamError } from '../../../src/errors.js';
import { createNodeHandler } from '../../../src/local-node/http/handler.js';
import { listen, type RunningServer } from '../../../src/local-node/http/listen.js';
import { FakeEngine } from './fake-engine.js';

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(engine = new FakeEngine()) {
  running = await listen(createNodeHandler(engine), { port: 0, host: '127.0.0.1' });
  return { engine, url: running.url };
}

describe('listen', () => {
  it('serves the API on a loopback port', async () => {
    const { url } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await fetch(`${url}/api/`, { headers: { authorization: 'Bearer x.y.z' } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { status: { developer_mode: boolean } }).status.developer_mode).toBe(true);
    expect((await fetch(`${url}/api/nope`)).status).toBe(404);
  });

  it('streams a multipart zip upload in and a binary zip download out, byte for byte', async () => {
    const { engine, url } = await start();
    const pipe = { _id: 'p', type: 'pipe', source: { type: 'embedded', entities: [{ _id: 'æøå', n: 1 }] } };
    const zip = zipSync({ 'pipes/p.conf.json': strToU8(JSON.stringify(pipe)) });
    const fd = new FormData();
    fd.append('file', new Blob([zip], { type: 'application/zip' }), 'config');
    const put = await fetch(`${url}/api/config?force=false`, { method: 'PUT', body: fd });
    expect(put.status).toBe(200);
    expect(engine.config).toEqual([pipe]);

    const get = await fetch(`${url}/api/config`, { headers: { accept: 'application/zip' } });
    expect(get.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await get.arrayBuffer()));
    expect(JSON.parse(new TextDecoder().decode(files['pipes/p.conf.json']))).toEqual(pipe);
  });

  it('passes form posts and query strings through', async () => {
    const { engine, url } = await start();
    engine.putConfig([{ _id: 'p', type: 'pipe', source: { type: 'embedded' } }], { force: false });
    const r = await fetch(`${url}/api/pipes/p/pump`, {
      method: 'POST',
      body: new URLSearchParams({ operation: 'enable' }),
    });
    expect(((await r.json()) as { runtime: Record<string, unknown> }).runtime['is-disabled']).toBe(false);
    await fetch(`${url}/api/pipes/run-all-pipes?max_runs=3&request_mode=sync`, { method: 'POST' });
    expect(engine.runs[0]!.maxRuns).toBe(3);
  });

  it('closes even with an idle keep-alive connection open', async () => {
    const { url } = await start();
    await (await fetch(`${url}/api/ping`, { headers: { connection: 'keep-alive' } })).text();
    await running!.close();
    running = undefined;
    await expect(fetch(`${url}/api/ping`)).rejects.toThrow();
  });

  it('reports a port in use as one clear input error', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      let caught: unknown;
      try {
        await listen(createNodeHandler(new FakeEngine()), { port, host: '127.0.0.1' });
      } catch (err) {
        caught = err;
      }
      expect(isSesamError(caught) && caught.kind).toBe('input');
      expect((caught as Error).message).toBe(`Cannot start the node: 127.0.0.1:${port} is already in use.`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
