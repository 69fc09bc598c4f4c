// `sesam ui` and `sesam graph` against bad input: component ids with markup, a damaged last-results file, garbage
// bisect notes, oversized or non-JSON request bodies, and a project outside any git repository.
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../e2e/cli.js';
import { createRepo, type FixtureRepo } from '../helpers/git-fixture.js';
import { captureLogger } from '../helpers/logger.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir, writeTree } from '../helpers/tmp.js';
import { startUiServer, type UiServer } from '../../src/ui/server.js';

const built = existsSync(join(REPO, 'dist', 'ui', 'assets', 'app.js'));
const HOSTILE = 'x"><script>alert(1)</script>';
const PROJECT = {
  'test-env.json': {},
  'pipes/bad.conf.json': { _id: HOSTILE, type: 'pipe', source: { type: 'dataset', dataset: 'a&b' } },
  'systems/s.conf.json': { _id: 's</text><x>', type: 'system:url' },
};

async function serve(dir: string, env: Record<string, string>): Promise<{ server: UiServer; token: string }> {
  const server = await startUiServer({
    project: { dir, profile: 'test' },
    env,
    port: 0,
    log: captureLogger().log,
    restore: async () => ({}),
  });
  return { server, token: new URL(server.openUrl).searchParams.get('token')! };
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('sesam graph with markup in ids', () => {
  it('escapes them in SVG and Mermaid, and quotes them in DOT', async () => {
    const dir = writeTree(tempDir(), PROJECT);
    for (const format of ['svg', 'mermaid']) {
      const r = await runMain(['graph', '--format', format], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, format).not.toContain('<script>');
      expect(r.stdout, format).not.toContain('</text><x>');
    }
    // In DOT, markup is plain text inside a quoted string; only the quote needs escaping.
    const dot = await runMain(['graph', '--format', 'dot'], { cwd: dir });
    expect(dot.stdout).toContain('"pipe:x\\"><script>alert(1)</script>" [label=');
    if (spawnSync('dot', ['-V']).status === 0) {
      const rendered = spawnSync('dot', ['-Tsvg'], { input: dot.stdout, encoding: 'utf8' });
      expect(rendered.status, rendered.stderr).toBe(0);
      expect(rendered.stdout).not.toContain('<script>');
    }
  });
});

describe.skipIf(!built)('sesam ui server with bad input', () => {
  let repo: FixtureRepo;
  let ui: Awaited<ReturnType<typeof serve>>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    repo = createRepo(PROJECT);
    repo.git('notes', '--ref=sesam-bisect', 'add', '-m', 'not json {', 'HEAD');
    mkdirSync(join(repo.dir, '.sesam'));
    writeFileSync(join(repo.dir, '.sesam', 'last-results.json'), '{"schemaVersion": 1, "specs": [');
    ui = await serve(repo.dir, repo.env);
    auth = { host: `127.0.0.1:${ui.server.port}`, 'x-sesam-token': ui.token };
  });
  afterAll(() => ui?.server.close());

  it('treats a damaged last-results file as no results and skips a note that is not a verdict', async () => {
    const r = await send(ui.server.port, 'GET', '/api/results', auth);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ results: null, bisect: [] });
  });

  it('serves hostile ids as JSON data only', async () => {
    const r = await send(ui.server.port, 'GET', '/api/graph', auth);
    expect(r.status).toBe(200);
    const ids = (JSON.parse(r.body).layout.nodes as { label: string }[]).map((n) => n.label);
    expect(ids).toContain(HOSTILE);
  });

  it('refuses a restore body that is not JSON or too large, and a restore without a revision', async () => {
    const post = (body: string) =>
      send(ui.server.port, 'POST', '/api/restore', { ...auth, 'content-type': 'application/json' }, body);
    expect((await post('rev=main')).status).toBe(400);
    expect((await post(JSON.stringify({ rev: 'x'.repeat(100_000) }))).status).toBe(413);
    const missing = await post('{}');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error).toContain('rev');
  });
});

describe.skipIf(!built)('sesam ui outside a git repository', () => {
  it('says so on the history API and still draws the graph', async () => {
    const dir = writeTree(tempDir(), PROJECT);
    const ui = await serve(dir, { PATH: process.env.PATH ?? '', GIT_CEILING_DIRECTORIES: join(dir, '..') });
    try {
      const auth = { host: `127.0.0.1:${ui.server.port}`, 'x-sesam-token': ui.token };
      const history = await send(ui.server.port, 'GET', '/api/snapshots', auth);
      expect(history.status).toBe(400);
      expect(JSON.parse(history.body).error).toContain('Not a git repository');
      expect((await send(ui.server.port, 'GET', '/api/graph', auth)).status).toBe(200);
    } finally {
      await ui.server.close();
    }
  });
});
