// The `sesam ui` server over plain HTTP: who may talk to it (loopback Host, no foreign Origin, the token of the
// printed URL) and what its API answers, with the real git store of a temp repository holding the example.
import { request as httpRequest } from 'node:http';
import { cpSync, existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../e2e/cli.js';
import { createRepo, type FixtureRepo } from '../helpers/git-fixture.js';
import { captureLogger } from '../helpers/logger.js';
import { startUiServer, type UiServer } from '../../src/ui/server.js';

const built = existsSync(join(REPO, 'dist', 'ui', 'assets', 'app.js'));

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(!built)('sesam ui server (skipped until `npm run build` bundled the web app)', () => {
  let repo: FixtureRepo;
  let server: UiServer;
  let port: number;
  let token: string;
  const restores: { rev: string; dryRun: boolean }[] = [];

  beforeAll(async () => {
    repo = createRepo();
    // Without the example's local node state (`npm run example` leaves .sesam/ with results behind).
    cpSync(join(REPO, 'templates', 'example'), repo.dir, {
      recursive: true,
      filter: (src) => !src.includes(`${sep}.sesam`),
    });
    repo.commit('the example');
    server = await startUiServer({
      project: { dir: repo.dir, profile: 'test' },
      env: repo.env,
      port: 0,
      log: captureLogger().log,
      restore: async (rev, dryRun) => {
        restores.push({ rev, dryRun });
        return { commit: rev, dryRun };
      },
    });
    port = server.port;
    token = new URL(server.openUrl).searchParams.get('token')!;
  });
  afterAll(() => server?.close());

  it('listens on loopback and prints a URL with a long random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
    expect(token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses requests without the token, or with a wrong one, with 403', async () => {
    for (const path of ['/', '/app.js', '/api/graph', '/api/snapshots']) {
      expect((await send(port, 'GET', path)).status, path).toBe(403);
      expect((await send(port, 'GET', `${path}?token=${'0'.repeat(48)}`)).status, path).toBe(403);
    }
    const page = await send(port, 'GET', `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="sesam-token" content="${token}">`);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('the first page sets a same-site cookie that later GETs may use instead of the query', async () => {
    const page = await send(port, 'GET', `/?token=${token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(String(page.headers['set-cookie'])).toContain('SameSite=Strict');
    expect(String(page.headers['set-cookie'])).toContain('HttpOnly');
    expect((await send(port, 'GET', '/app.js', { cookie })).status).toBe(200);
    expect((await send(port, 'GET', '/api/graph', { 'x-sesam-token': token })).status).toBe(200);
  });

  it('refuses a foreign Origin and a Host that is not this loopback server, even with the token', async () => {
    const withToken = { 'x-sesam-token': token };
    expect((await send(port, 'GET', '/api/graph', { ...withToken, origin: 'http://evil.example' })).status).toBe(403);
    expect(
      (await send(port, 'GET', '/api/graph', { ...withToken, origin: `http://127.0.0.1:${port + 1}` })).status,
    ).toBe(403);
    expect((await send(port, 'GET', '/api/graph', { ...withToken, origin: `http://localhost:${port}` })).status).toBe(
      200,
    );
    // DNS rebinding: a name that resolves to 127.0.0.1 still arrives with the attacker's Host.
    expect((await send(port, 'GET', '/api/graph', { ...withToken, host: `evil.example:${port}` })).status).toBe(403);
    expect((await send(port, 'GET', '/api/graph', { ...withToken, host: `localhost:${port}` })).status).toBe(200);
  });

  it('a restore needs the token in its header: the cookie alone (a cross-site form) is refused', async () => {
    const page = await send(port, 'GET', `/?token=${token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const body = JSON.stringify({ rev: 'main', dryRun: true });
    const json = { 'content-type': 'application/json' };
    expect((await send(port, 'POST', '/api/restore', { ...json, cookie }, body)).status).toBe(403);
    expect((await send(port, 'POST', `/api/restore?token=${token}`, json, body)).status).toBe(403);
    const foreign = { ...json, 'x-sesam-token': token, origin: 'http://evil.example' };
    expect((await send(port, 'POST', '/api/restore', foreign, body)).status).toBe(403);
    expect(restores).toEqual([]);

    const reply = await send(port, 'POST', '/api/restore', { ...json, 'x-sesam-token': token }, body);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ commit: 'main', dryRun: true });
    expect(restores).toEqual([{ rev: 'main', dryRun: true }]);
    const bad = await send(port, 'POST', '/api/restore', { ...json, 'x-sesam-token': token }, '{"rev": 1}');
    expect(bad.status).toBe(400);
  });

  it('answers the graph of the work tree and the diff of any revision, and names a bad revision', async () => {
    const auth = { 'x-sesam-token': token };
    const graph = JSON.parse((await send(port, 'GET', '/api/graph', auth)).body);
    expect(graph.layout.nodes.filter((n: { kind: string }) => n.kind === 'pipe')).toHaveLength(12);
    expect(graph.configs['pipe:person']).toContain('"_id": "person"');
    const diff = JSON.parse((await send(port, 'GET', '/api/diff?from=main', auth)).body);
    expect(diff.from.rev).toBe('main');
    expect(diff.pipes).toEqual([]);
    const unknown = await send(port, 'GET', '/api/diff?from=no-such-rev', auth);
    expect(unknown.status).toBe(400);
    expect(JSON.parse(unknown.body).error).toContain('no-such-rev');
    expect((await send(port, 'GET', '/api/nothing', auth)).status).toBe(404);
    const results = JSON.parse((await send(port, 'GET', '/api/results', auth)).body);
    expect(results).toEqual({ results: null, bisect: [] });
  });
});
