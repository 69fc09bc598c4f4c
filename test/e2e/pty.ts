// Run the built CLI under a real pseudo-terminal (Python's pty module), the way a person at a terminal runs it.
import { spawn, spawnSync } from 'node:child_process';
import { BIN } from './cli.js';

export const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

// Forks a pty, runs argv in it, copies everything the terminal shows to stdout and exits with the child's code.
// A line "SIGINT" on stdin sends Ctrl-C's signal to the child.
const PTY_RUNNER = `
import os, pty, sys, select, signal
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = sys.stdout.buffer
stdin_open = True
while True:
    fds = [fd] + ([sys.stdin] if stdin_open else [])
    ready, _, _ = select.select(fds, [], [], 0.1)
    if sys.stdin in ready:
        line = sys.stdin.readline()
        if not line:
            stdin_open = False
        elif line.strip() == 'SIGINT':
            os.kill(pid, signal.SIGINT)
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out.write(data)
        out.flush()
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) % 256)
`;

export interface PtyRun {
  /** Everything the terminal showed so far (stdout and stderr of the CLI together, with escape sequences). */
  output(): string;
  /** Resolves when the text appears in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  interrupt(): void;
  exit: Promise<number>;
}

export function sesamInPty(args: string[], options: { cwd: string; env?: Record<string, string> }): PtyRun {
  const child = spawn('python3', ['-c', PTY_RUNNER, process.execPath, BIN, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: options.cwd, TERM: 'xterm', NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let text = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of waiters.splice(0)) {
      if (w.pattern.test(text)) w.resolve();
      else waiters.push(w);
    }
  });
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return {
    output: () => text,
    waitFor(pattern, timeoutMs = 60_000) {
      if (pattern.test(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${JSON.stringify(text)}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
        void exit.then(() =>
          setTimeout(() => reject(new Error(`exited without ${pattern}: ${JSON.stringify(text)}`)), 0),
        );
      });
    },
    interrupt: () => child.stdin.write('SIGINT\n'),
    exit,
  };
}
