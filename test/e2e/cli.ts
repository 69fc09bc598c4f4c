// Spawn the built `sesam` (dist/, built by `npm test` before vitest runs) the way a user or CI would.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { tempDir } from '../helpers/tmp.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'sesam.js');
export const SHARED_FIXTURES = join(REPO, '..', 'shared', 'fixtures', 'sesam-py');
export const hasSharedFixtures = existsSync(SHARED_FIXTURES);
export const hasBuild = existsSync(join(REPO, 'dist', 'cli', 'main.js'));

/** A dummy JWT: the embedded node accepts any token, the client only needs three dot-separated parts. */
export const DUMMY_JWT = 'eyJhbGciOiJub25lIn0.e30.c2lnbmF0dXJl';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function sesam(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: options.cwd, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface RunningCli {
  /** What `pattern` matched on stdout. */
  match: RegExpMatchArray;
  child: ChildProcess;
  /** Ctrl-C, and wait for the exit. */
  stop(): Promise<void>;
}

/** Start the built CLI with `args` (exactly `env`) and wait until its stdout shows `pattern`, 20 s at most. */
export async function startCli(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  pattern: RegExp,
): Promise<RunningCli> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const what = `sesam ${args[0]}`;
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${what} printed nothing matching ${pattern}: ${out}${err}`)),
      20_000,
    );
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${out}${err}`)));
  });
  return {
    match,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/** Start `sesam serve --port 0 --memory` and return its URL and a stopper. */
export async function startServe(cwd: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const env = { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' };
  const { match, child, stop } = await startCli(
    ['serve', '--port', '0', '--memory'],
    cwd,
    env,
    /http:\/\/127\.0\.0\.1:\d+/,
  );
  return { url: match[0], child, stop };
}

/** A fresh copy of a project folder in a temp dir. */
export function copyProject(from: string): string {
  const dir = tempDir('sesam-e2e-');
  cpSync(from, dir, { recursive: true, filter: (src) => !src.includes(`${'/'}.sesam`) });
  return dir;
}
