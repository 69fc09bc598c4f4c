// Run the CLI in-process and capture what it prints.
import { main } from '../../src/cli/main.js';

export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  signal?: AbortSignal;
}

export async function runMain(argv: string[], options: RunOptions = {}): Promise<MainResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: {
      write: (s: string) => {
        stdout += s;
        return true;
      },
      isTTY: options.stdoutIsTTY ?? false,
    },
    stderr: {
      write: (s: string) => {
        stderr += s;
        return true;
      },
      isTTY: options.stderrIsTTY ?? false,
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal,
  });
  return { code, stdout, stderr };
}
