import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { insecureFetch } from '../../src/node/insecure-fetch.js';

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
