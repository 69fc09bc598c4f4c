// A served embedded node for connector tests: `sesam serve --data DIR` (built CLI) on loopback, raw API calls, a
// look into its store for what the API never returns (secret values), and `sesam authenticate` with the test as
// the browser.
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BIN, DUMMY_JWT, startCli } from '../e2e/cli.js';
import { tempDir } from '../helpers/tmp.js';

export interface ServedNode {
  url: string;
  data: string;
  child: ChildProcess;
}

export async function startNode(): Promise<ServedNode> {
  const data = tempDir('sesam-served-node-');
  const env = { PATH: process.env.PATH ?? '', HOME: data, NO_COLOR: '1' };
  const args = ['serve', '--port', '0', '--data', data];
  const { match, child } = await startCli(args, process.cwd(), env, /http:\/\/127\.0\.0\.1:\d+/);
  return { url: match[0], data, child };
}

export async function nodeCall(node: ServedNode, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${node.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${DUMMY_JWT}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** The secrets the node holds for a system, values included (the API only lists names). */
export function systemSecrets(node: ServedNode, system: string): Record<string, string> {
  const db = new Database(join(node.data, 'node.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT name, value FROM system_secrets WHERE system = ?').all(system) as {
      name: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  } finally {
    db.close();
  }
}

export function connector(files: Record<string, unknown>): string {
  const dir = tempDir('sesam-connector-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

export function stopNode(node: ServedNode): Promise<void> {
  return new Promise((resolve) => {
    if (node.child.exitCode !== null) return resolve();
    node.child.once('exit', () => resolve());
    node.child.kill('SIGINT');
  });
}

export async function listenOn(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A loopback port that was free a moment ago (for --callback-port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOn(server);
  await new Promise((r) => server.close(r));
  return port;
}

export interface LoginOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What `onLink` threw; the login was then cut short with Ctrl-C. */
  browserError?: unknown;
}

/**
 * The built `sesam authenticate --jwt … ARGS` in `cwd`. Once it prints the login link, `onLink` plays the user's
 * browser (`kill` is Ctrl-C).
 */
export function authenticateCli(
  cwd: string,
  args: string[],
  onLink?: (link: string, kill: () => void) => Promise<void>,
): Promise<LoginOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'authenticate', '--jwt', DUMMY_JWT, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = () => child.kill('SIGINT');
    let stdout = '';
    let stderr = '';
    let browsed = false;
    let browserError: unknown;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const link = /Link: (\S+)/.exec(stderr)?.[1];
      if (link && onLink && !browsed) {
        browsed = true;
        onLink(link, kill).catch((err) => {
          browserError = err;
          kill();
        });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, browserError }));
  });
}
