// A served embedded node for connector tests: `sesam serve --data DIR` (built CLI) on loopback, raw API calls, and
// a look into its store for what the API never returns (secret values).
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, DUMMY_JWT } from '../e2e/cli.js';
import { tempDir } from '../helpers/tmp.js';

export interface ServedNode {
  url: string;
  data: string;
  child: ChildProcess;
}

export async function startNode(): Promise<ServedNode> {
  const data = tempDir('sesam-served-node-');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', data], {
    env: { PATH: process.env.PATH ?? '', HOME: data, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) resolve(m[0]);
    });
    child.on('exit', (code) => reject(new Error(`sesam serve exited with ${code}: ${out}`)));
  });
  return { url, data, child };
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
