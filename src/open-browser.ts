// Open a URL in the user's browser where there is one: `$BROWSER` if set, else `open` on macOS, `start` on
// Windows, `xdg-open` under a Linux desktop session. Never fails the command: callers always print the URL too.
import { spawn } from 'node:child_process';
import { platform } from 'node:os';
import type { Env } from './commands/context.js';

export function browserCommand(env: Env, os: string = platform()): [string, string[]] | undefined {
  if (env.BROWSER) return [env.BROWSER, []];
  if (os === 'darwin') return ['open', []];
  if (os === 'win32') return ['cmd', ['/c', 'start', '""']];
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return ['xdg-open', []];
  return undefined;
}

/**
 * True when a browser was started. It may still fail on its own later: `onFailure` then hears the command that
 * failed to start (the spawn error arrives asynchronously).
 */
export function openInBrowser(url: string, env: Env, onFailure?: (command: string) => void): boolean {
  const command = browserCommand(env);
  if (!command) return false;
  try {
    const child = spawn(command[0], [...command[1], url], { stdio: 'ignore', detached: true });
    child.on('error', () => onFailure?.(command[0]));
    child.unref();
    return true;
  } catch {
    return false;
  }
}
