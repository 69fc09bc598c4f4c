// Run the built CLI in a real pseudo-terminal (Python's pty module, via test/helpers/pty-run.py) and type at it.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BIN } from '../e2e/cli.js';

const SCRIPT = fileURLToPath(new URL('./pty-run.py', import.meta.url));

export const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

/** Wait until `expect` has been printed (escapes removed, after the previous step's text), then type `send`. */
export interface PtyStep {
  expect?: string;
  send?: string;
}

export interface PtyResult {
  code: number | null;
  signal: number | null;
  /** Everything the program wrote to the terminal, escapes included. */
  transcript: string;
  /** The transcript without ANSI escapes. */
  text: string;
  /** Why the script stopped early (an expected text never came), or null. */
  error: string | null;
}

export const ENTER = '\r';
export const CTRL_C = '\x03';

/** Run `sesam ...args` in a pty in `cwd`, typing the steps; resolves when it exits. */
export function sesamInPty(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; steps: PtyStep[] },
): Promise<PtyResult> {
  const spec = {
    cmd: [process.execPath, BIN, ...args],
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, TERM: 'xterm-256color', ...options.env },
    steps: options.steps,
    timeout: 90,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as PtyResult);
      } catch {
        reject(new Error(`pty-run.py printed no result: ${out}`));
      }
    });
    child.stdin.end(JSON.stringify(spec));
  });
}
