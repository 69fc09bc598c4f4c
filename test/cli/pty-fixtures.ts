// Projects for the pseudo-terminal tests: a git repository with two snapshots of the embedded node, so that
// `restore` has something to ask about, and a tiny login endpoint for `sesam login` with email and password.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { FixtureRepo } from '../helpers/git-fixture.js';
import { projectRepo } from '../e2e/fixtures-snapshots.js';
import { sesam } from '../e2e/cli.js';

const pipe = (id: string) => ({ _id: 'p1', type: 'pipe', source: { type: 'embedded', entities: [{ _id: id }] } });

/** A project on the embedded node with snapshots `sesam-snapshots/local~1` (entity a) and `local` (entity b). */
export async function twoSnapshots(): Promise<FixtureRepo> {
  const repo = projectRepo(undefined, {
    'pipes/p1.conf.json': pipe('a'),
    'node-metadata.conf.json': { _id: 'node', type: 'metadata' },
    'test-env.json': {},
  });
  const cli = async (...args: string[]) => {
    const r = await sesam(['--node', 'local', ...args], { cwd: repo.dir, env: repo.env });
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  };
  await cli('upload');
  await cli('download');
  repo.write({ 'pipes/p1.conf.json': pipe('b') });
  await cli('upload');
  // The edit is in no commit: download would refuse to overwrite it with the node's (portal-formatted) copy.
  await cli('download', '--force');
  return repo;
}

/** The number of snapshots `sesam log` lists. */
export async function snapshotCount(repo: FixtureRepo): Promise<number> {
  const r = await sesam(['--node', 'local', 'log', '--json'], { cwd: repo.dir, env: repo.env });
  return (JSON.parse(r.stdout) as { snapshots: unknown[] }).snapshots.length;
}

/** A loopback server that answers POST /api/jwt with `token` for the right password and 401 otherwise. */
export async function loginEndpoint(password: string, token: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const ok = req.method === 'POST' && req.url === '/api/jwt' && form.get('password') === password;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'text/plain' }).end(ok ? token : 'Unauthorized');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
