// Faults of "Trust" (issue 10), as a user meets them: project files that are not what they seem (bytes that are
// not UTF-8, repeated keys, broken JSON), and the embedded node as a server facing hostile requests.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, hasBuild, sesam } from '../e2e/cli.js';
import { useFakeNode, useFastTimings } from '../helpers/msw-node.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

const PIPE =
  '{\n  "_id": "a",\n  "type": "pipe",\n  "source": {\n    "type": "embedded",\n    "entities": []\n  }\n}\n';
// "ø" in Latin-1 (0xf8) on line 3, column 14: what an editor set to Windows-1252 saves.
const LATIN1_PIPE = Buffer.concat([
  Buffer.from('{\n  "_id": "a",\n  "name": "bl'),
  Buffer.from([0xf8]),
  Buffer.from('",\n  "type": "pipe"\n}\n'),
]);
const DUPLICATE_PIPE = '{\n  "_id": "a",\n  "type": "pipe",\n  "_id": "b"\n}\n';

function project(files: Record<string, string | Buffer>): string {
  const root = tempDir('sesam-faults-');
  writeTree(root, { 'test-env.json': '{}\n', 'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}\n' });
  for (const [path, content] of Object.entries(files)) {
    writeTree(root, { [path]: '' });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const node = useFakeNode();
useFastTimings();

describe('project files that are not UTF-8', () => {
  it('format refuses a Latin-1 pipe at file:line:col and leaves it untouched', async () => {
    const root = project({ 'pipes/a.conf.json': LATIN1_PIPE });
    const r = await runMain(['format'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Not UTF-8 text: pipes/a.conf.json:3:14');
    expect(r.stderr).toContain('0xf8');
    expect(readFileSync(join(root, 'pipes/a.conf.json'))).toEqual(LATIN1_PIPE);
  });

  it('validate reports the file and position', async () => {
    const root = project({ 'pipes/a.conf.json': LATIN1_PIPE });
    const r = await runMain(['validate'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/pipes\/a\.conf\.json:3:14/);
    expect(r.stdout + r.stderr).toContain('Not UTF-8');
  });

  it('upload stops before anything reaches the node', async () => {
    const root = project({ 'pipes/a.conf.json': LATIN1_PIPE });
    const r = await runMain(['upload'], { cwd: root, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pipes/a.conf.json:3:14');
    expect(node.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('test refuses an expected file that is not UTF-8', async () => {
    const root = project({
      'pipes/a.conf.json': PIPE,
      'expected/a.test.json': '{}\n',
      'expected/a.json': Buffer.concat([
        Buffer.from('[{"_id": "x", "v": "'),
        Buffer.from([0xe6]),
        Buffer.from('"}]\n'),
      ]),
    });
    node.setConfig([{ _id: 'a', type: 'pipe', source: { type: 'dataset', dataset: 'x' }, sink: { type: 'null' } }]);
    node.pipeEntities.set('a', [{ _id: 'x', v: 'æ' }]);
    const r = await runMain(['verify'], { cwd: root, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Not UTF-8 text: expected/a.json:1:21');
  });
});

describe('broken and ambiguous JSON', () => {
  it('upload catches invalid JSON in a pipe locally, before the env or the config is sent', async () => {
    const root = project({ 'pipes/a.conf.json': '{\n  "_id": "a",\n  "type": "pipe"\n  "x": 1\n}\n' });
    const r = await runMain(['upload'], { cwd: root, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid JSON in pipes/a.conf.json:4:3');
    expect(node.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('validate warns about a repeated key with file, line and key', async () => {
    const root = project({ 'pipes/a.conf.json': DUPLICATE_PIPE });
    const r = await runMain(['validate'], { cwd: root });
    expect(r.stdout + r.stderr).toMatch(/pipes\/a\.conf\.json:4:3.*Duplicate key '_id'/);
  });

  it('format and upload warn about a repeated key', async () => {
    const root = project({ 'pipes/a.conf.json': DUPLICATE_PIPE });
    const formatted = await runMain(['format'], { cwd: root });
    expect(formatted.code).toBe(0);
    expect(formatted.stderr).toContain("Duplicate key '_id' in pipes/a.conf.json:4:3; the last value is used.");

    const again = project({ 'pipes/a.conf.json': DUPLICATE_PIPE });
    const uploaded = await runMain(['upload'], { cwd: again, env: node.env() });
    expect(uploaded.stderr).toContain("Duplicate key '_id' in pipes/a.conf.json:4:3");
  });

  it('format keeps integer-like keys where sesam-py puts them', async () => {
    const root = project({ 'pipes/a.conf.json': '{"_id":"a","type":"pipe","2":"b","15":"a","x":1}' });
    const r = await runMain(['format', 'pipes/a.conf.json'], { cwd: root });
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'pipes/a.conf.json'), 'utf8')).toBe(
      '{\n  "_id": "a",\n  "type": "pipe",\n  "15": "a",\n  "2": "b",\n  "x": 1\n}\n',
    );
  });
});

// ---- the embedded node as a server: the built `sesam serve` on loopback, spoken to over real HTTP ----------------

interface Served {
  url: string;
  port: number;
  child: ChildProcess;
  stdout: string;
  stderr: string;
}

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
  }
});

/** `sesam serve --port 0 ARGS` in cwd, resolved once it prints where it listens. */
function serve(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  return new Promise((resolve, reject) => {
    const served: Served = { child, stdout: '', stderr: '', url: '', port: 0 };
    child.stderr!.on('data', (d: Buffer) => (served.stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      served.stdout += d.toString();
      const m = /use --node (http:\/\/127\.0\.0\.1:(\d+))/.exec(served.stdout);
      if (m && !served.url) resolve(Object.assign(served, { url: m[1]!, port: Number(m[2]) }));
    });
    child.on('exit', (code) => reject(new Error(`sesam serve exited with ${code}: ${served.stdout}${served.stderr}`)));
  });
}

interface Answer {
  status: number;
  text: string;
}

/**
 * A request over a fresh connection, headers exactly as given (Host included), whose body the caller writes.
 * `onAnswer` hears the answer once it is complete, or once the server closed the connection after it (a server
 * that refuses a body may end its answer with a reset rather than an 'end').
 */
function openRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  onAnswer: (answer: Answer) => void,
): ClientRequest {
  return httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
    let text = '';
    const done = () => onAnswer({ status: res.statusCode ?? 0, text });
    res.on('data', (d: Buffer) => (text += d.toString()));
    res.on('end', done);
    res.on('close', done);
  });
}

/** One request with its whole body. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = openRequest(port, method, path, headers, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

// sesam-py speaks HTTP through the Python `requests` library: when it is installed, drive the node with it.
const REQUESTS_CLIENT = join(import.meta.dirname, '..', 'local-node', 'http', 'fixtures', 'requests-client.py');
const hasPythonRequests = spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasBuild)('sesam serve facing hostile requests (needs npm run build)', () => {
  it('refuses a Host name a web page could rebind to us, and answers IP addresses and localhost', async () => {
    const { port } = await serve(['--memory'], tempDir());
    const evil = await send(port, 'GET', '/api/pipes', { host: `rebind.attacker.example:${port}` });
    expect(evil.status).toBe(403);
    expect(evil.text).toContain("Host 'rebind.attacker.example");
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await send(port, 'GET', '/api/pipes', { host })).status).toBe(200);
    }
  });

  it('refuses a cross-site page: its form POST to /admin does not reset the node', async () => {
    const { port } = await serve(['--memory'], tempDir());
    expect((await send(port, 'PUT', '/api/env', JSON_TYPE, '{"kept": "yes"}')).status).toBe(200);
    const attack = await send(
      port,
      'POST',
      '/api/admin',
      { origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      'operation=reset',
    );
    expect(attack.status).toBe(403);
    expect(attack.text).toContain('Cross-origin request refused');
    expect(JSON.parse((await send(port, 'GET', '/api/env')).text)).toEqual({ kept: 'yes' });
  });

  it('answers a same-origin request (a page served by the node itself)', async () => {
    const { port } = await serve(['--memory'], tempDir());
    const same = await send(port, 'GET', '/api/pipes', { origin: `http://127.0.0.1:${port}` });
    expect(same.status).toBe(200);
    const sandboxed = await send(port, 'GET', '/api/pipes', { origin: 'null' });
    expect(sandboxed.status).toBe(403);
  });

  it('refuses text/plain bodies (a simple cross-site request) on JSON, form and config routes', async () => {
    const { port } = await serve(['--memory'], tempDir());
    const plain = { 'content-type': 'text/plain;charset=UTF-8' };
    const env = await send(port, 'PUT', '/api/env', plain, '{"x": "1"}');
    expect(env.status).toBe(415);
    expect(env.text).toContain('send application/json');
    expect((await send(port, 'POST', '/api/admin', plain, 'operation=reset')).status).toBe(415);
    expect((await send(port, 'PUT', '/api/config', plain, '[]')).status).toBe(415);
    expect((await send(port, 'PUT', '/api/env', {}, '{"x": "1"}')).status).toBe(415);
    expect(JSON.parse((await send(port, 'GET', '/api/env')).text)).toEqual({});
    // What sesam-py sends still works: a JSON body, a form, and a POST with no body at all.
    expect((await send(port, 'PUT', '/api/env', JSON_TYPE, '{"x": "1"}')).status).toBe(200);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await send(port, 'POST', '/api/admin', form, 'operation=restart')).status).toBe(200);
    expect((await send(port, 'POST', '/api/pipes/stop-run-all-pipes?terminate_timeout=30')).status).toBeLessThan(300);
  });

  it('with --token, refuses requests without it and serves the CLI given it as --jwt', async () => {
    const root = project({ 'pipes/a.conf.json': PIPE });
    const token = 'eyJhbGciOiJub25lIn0.e30.c2VjcmV0LXRva2Vu';
    const { port, url } = await serve(['--memory', '--token', token], root);
    const none = await send(port, 'GET', '/api/pipes');
    expect(none.status).toBe(401);
    expect((await send(port, 'GET', '/api/pipes', { authorization: 'Bearer eyJ.e30.wrong' })).status).toBe(401);
    // With a token, a host name is fine: a page cannot know the token.
    const named = await send(port, 'GET', '/api/pipes', {
      host: `devbox.example:${port}`,
      authorization: `Bearer ${token}`,
    });
    expect(named.status).toBe(200);

    const refused = await sesam(['upload', '--node', url, '--jwt', 'eyJhbGciOiJub25lIn0.e30.b3RoZXI'], { cwd: root });
    expect(refused.code).toBe(3);
    const uploaded = await sesam(['upload', '--node', url, '--jwt', token], { cwd: root });
    expect(uploaded.stderr).toBe(uploaded.stderr.replaceAll(token, '')); // never printed
    expect(uploaded.code).toBe(0);
  });

  it('takes the token from SESAM_SERVE_TOKEN', async () => {
    const { port } = await serve(['--memory'], tempDir(), { SESAM_SERVE_TOKEN: 'from-env' });
    expect((await send(port, 'GET', '/api/pipes')).status).toBe(401);
    expect((await send(port, 'GET', '/api/pipes', { authorization: 'Bearer from-env' })).status).toBe(200);
  });

  it('answers 413 to a declared oversize body without reading it (default limit 64 MiB)', async () => {
    const { port } = await serve(['--memory'], tempDir());
    const answer = await new Promise<Answer>((resolve, reject) => {
      const headers = { ...JSON_TYPE, 'content-length': String(200 * 1024 * 1024) };
      const req = openRequest(port, 'POST', '/api/receivers/a/entities', headers, resolve);
      req.on('error', reject);
      req.write('['); // headers and a first byte; the rest never comes
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("larger than the node's limit of 64 MiB");
  });

  it('stops reading a streamed oversize body at the limit, with bounded memory', async () => {
    const { port, child } = await serve(['--memory', '--max-body-mb', '4'], tempDir());
    const config = '[{"_id": "a", "type": "pipe", "source": {"type": "http_endpoint"}}]';
    expect((await send(port, 'PUT', '/api/config', JSON_TYPE, config)).status).toBe(200);
    const status = `/proc/${child.pid}/status`;
    const peakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(status, 'utf8'))?.[1]);
    const before = existsSync(status) ? peakKb() : undefined;
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    let answered = false;
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = openRequest(port, 'POST', '/api/receivers/a/entities', JSON_TYPE, resolve);
      req.on('response', () => (answered = true));
      // Once the server has answered and closed, writes fail: that is the point.
      req.on('error', (err) => (sent < total ? undefined : reject(err)));
      // A connection closed before any answer must fail the test, not hang it.
      req.on('close', () => {
        if (!answered) resolve({ status: 0, text: 'connection closed without an answer' });
      });
      const pump = () => {
        while (sent < total && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!req.destroyed) req.end();
      };
      pump();
    });
    expect(answer.status).toBe(413);
    expect(sent).toBeLessThan(total);
    if (before !== undefined) expect(peakKb() - before).toBeLessThan(64 * 1024); // far below the 200 MB sent at it
  });

  it('a second process on the same data folder is refused, naming the pid that holds it', async () => {
    const root = tempDir();
    const first = await serve(['--data', 'state'], root);
    const second = await sesam(['serve', '--port', '0', '--data', 'state'], { cwd: root });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is in use by pid ${first.child.pid}`);
  });

  it('--node local shares the lock with sesam serve', async () => {
    const root = project({ 'pipes/a.conf.json': PIPE });
    const server = await serve([], root); // default data folder: <project>/.sesam/local-node
    const local = await sesam(['upload', '--node', 'local'], { cwd: root });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain(`is in use by pid ${server.child.pid}`);
  });

  it('takes over the stale lock of a process that is gone', async () => {
    const root = tempDir();
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeTree(root, { 'state/node.lock': `${gone.pid} ${hostname()}\n` });
    const { port } = await serve(['--data', 'state'], root);
    expect((await send(port, 'GET', '/api/pipes')).status).toBe(200);
  });

  it('an unusable --data is a usage error, not an internal one', async () => {
    const root = tempDir();
    writeTree(root, { 'a-file': 'x' });
    const r = await sesam(['serve', '--port', '0', '--data', 'a-file'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('as the node data folder');
    expect(r.stderr).not.toContain('Internal error');
  });

  it('--host 0.0.0.0 prints the real address and warns that it is unauthenticated', async () => {
    const server = await serve(['--memory', '--host', '0.0.0.0'], tempDir());
    expect(server.stdout).toContain(`listening on http://0.0.0.0:${server.port} (from this machine: ${server.url})`);
    await new Promise<void>((resolve) => {
      const check = () => (server.stderr.includes('Press Ctrl-C') ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(server.stderr).toContain(`The node listens on http://0.0.0.0:${server.port} without authentication`);
  });

  it.skipIf(!hasPythonRequests)(
    "sesam-py's requests calls (JSON, multipart zip, forms, bare POSTs) pass the guard with a token",
    async () => {
      const token = 'eyJhbGciOiJub25lIn0.e30.cHl0aG9uLXRva2Vu';
      const { url } = await serve(['--memory', '--token', token], tempDir());
      const output = await new Promise<string>((resolve, reject) =>
        execFile('python3', [REQUESTS_CLIENT, `${url}/api`, token], (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      const lines = output.trim().split('\n');
      expect(lines).toHaveLength(8);
      for (const line of lines) expect(line).toMatch(/ 200$/);
    },
  );

  it('returns received entities with sorted keys, integer-like keys in code-point order as a node does', async () => {
    const { port } = await serve(['--memory'], tempDir());
    const config = '[{"_id": "a", "type": "pipe", "source": {"type": "http_endpoint"}}]';
    expect((await send(port, 'PUT', '/api/config', JSON_TYPE, config)).status).toBe(200);
    const entities = '[{"_id": "x", "b": 1, "15": 2, "2": 3}]';
    expect((await send(port, 'POST', '/api/receivers/a/entities', JSON_TYPE, entities)).status).toBe(200);
    const text = (await send(port, 'GET', '/api/datasets/a/entities')).text;
    // A node answers with sorted keys; Python's order puts "15" before "2" (JS objects would put 2 first).
    expect(text).toMatch(/^\[\{"15": 2, "2": 3, "_deleted": false, .*"_id": "x", .*"b": 1\}\]$/);
  });
});
