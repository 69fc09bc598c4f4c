// Helpers for the snapshot end-to-end tests: a project committed once in a temp git repository (fixed identity,
// isolated git config), the embedded node's HTTP API as a portal user reaches it, and reading snapshot commits.
import { cpSync } from 'node:fs';
import { createRepo, type FixtureRepo } from '../helpers/git-fixture.js';
import { type CliResult, DUMMY_JWT, sesam } from './cli.js';

/** A git repository whose work tree is a copy of `from` (when given), committed once as the user's own work. */
export function projectRepo(from?: string, files: Record<string, string | object> = {}): FixtureRepo {
  const repo = createRepo();
  if (from) cpSync(from, repo.dir, { recursive: true, filter: (src) => !src.includes('/.sesam') });
  repo.write({ 'README.md': 'my integration\n', ...files });
  repo.commit('my project');
  return repo;
}

/** The built CLI in the project of `repo`, against the node at `url` (the dummy JWT): `cli('verify', '--json')`. */
export function cliIn(repo: FixtureRepo, url: string): (...args: string[]) => Promise<CliResult> {
  return (...args) => sesam(['--node', url, '--jwt', DUMMY_JWT, ...args], { cwd: repo.dir, env: repo.env });
}

/** The node's HTTP API (`<url>/api/...`) with JSON bodies, as the portal or curl would use it. */
export function nodeHttp(url: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${DUMMY_JWT}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (path: string) => call('GET', path),
    put: (path: string, body: unknown) => call('PUT', path, body),
    /** GET /api/config as the zip `download` reads (entries sorted by path, fixed timestamps). */
    async configZip(): Promise<Buffer> {
      const response = await fetch(`${url}/api/config`, {
        headers: { authorization: `Bearer ${DUMMY_JWT}`, accept: 'application/zip' },
      });
      if (!response.ok) throw new Error(`GET /config (zip): HTTP ${response.status}: ${await response.text()}`);
      return Buffer.from(await response.arrayBuffer());
    },
    /** GET /api/config as { _id: component }: the node's configuration, whatever order it lists it in. */
    async components(): Promise<Record<string, unknown>> {
      const list = (await call('GET', '/config')) as { _id: string }[];
      return Object.fromEntries(list.map((c) => [c._id, c]));
    },
  };
}

/** `refs/heads/sesam-snapshots/*` as { ref: commit }. */
export function snapshotRefs(repo: FixtureRepo): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of repo
    .git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads/sesam-snapshots')
    .split('\n')) {
    if (!line.trim()) continue;
    const [ref, commit] = line.split(' ');
    out[ref!] = commit!;
  }
  return out;
}

/** A commit's trailers as git itself parses them, as { key: value }. */
export function trailersOf(repo: FixtureRepo, commit: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of repo.git('log', '-1', '--format=%(trailers:only,unfold)', commit).split('\n')) {
    const m = line.match(/^([A-Za-z0-9-]+): (.*)$/);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The parents of a commit. */
export function parentsOf(repo: FixtureRepo, commit: string): string[] {
  return repo.git('rev-list', '--parents', '-n', '1', commit).trim().split(' ').slice(1);
}

/** The blob at `path` in `commit`, as text. */
export function fileAt(repo: FixtureRepo, commit: string, path: string): string {
  return repo.git('show', `${commit}:${path}`);
}

/** stdout parsed as the one JSON document --json promises. */
export function parseJsonOutput(stdout: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`${what}: stdout is not one JSON document:\n${stdout}`);
  }
}
