import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { insecureFetch } from '../../src/node/client.js';

let server: Server;
let base = '';
const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/hang') return; // never answers
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Type': 'application/json', 'X-Test': 'yes' });
      res.end(JSON.stringify({ url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

describe('insecureFetch', () => {
  it('sends method, headers and a multipart body, and returns status, headers and body', async () => {
    const fd = new FormData();
    fd.append('file', new Blob(['{"a": 1}'], { type: 'application/json' }), 'config');
    const res = await insecureFetch(`${base}/config?force=true`, {
      method: 'PUT',
      headers: { Authorization: 'Bearer x' },
      body: fd,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-test')).toBe('yes');
    expect(await res.json()).toEqual({ url: '/config?force=true' });
    const req = seen.at(-1)!;
    expect(req.method).toBe('PUT');
    expect(req.headers.authorization).toBe('Bearer x');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.body).toContain('filename="config"');
    expect(req.body).toContain('{"a": 1}');
    expect((await insecureFetch(`${base}/missing`)).status).toBe(404);
  });

  it('aborts when the signal fires', async () => {
    await expect(insecureFetch(`${base}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toBeTruthy();
  });
});

/** A self-signed certificate made with the openssl CLI, or undefined when there is none. */
function selfSigned(): { key: string; cert: string } | undefined {
  const dir = tempDir('sesam-tls-');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
}

const tls = selfSigned();

describe.skipIf(!tls)('insecureFetch over TLS (skipped without the openssl CLI)', () => {
  it('reaches a node with a self-signed certificate, which the ordinary fetch refuses', async () => {
    const server = createHttpsServer(tls!, (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/api`;
    try {
      await expect(fetch(url)).rejects.toThrow();
      const res = await insecureFetch(url, { method: 'POST', body: 'x' });
      expect(await res.json()).toEqual({ method: 'POST' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
