// Helpers for the web app's tests: headless Chromium from the system (Debian's `chromium`) driven by
// playwright-core, which downloads no browser; and `sesam ui` spawned from the built CLI.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, startCli } from '../e2e/cli.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const chromiumPath = process.env.CHROMIUM_PATH ?? CANDIDATES.find((path) => existsSync(path));

/**
 * Whether to skip the browser tests: only outside CI and only without a browser (with a message). Under CI=true a
 * missing browser fails the tests instead.
 */
export function skipBrowserTests(): boolean {
  if (chromiumPath) return false;
  if (process.env.CI === 'true') return false;
  console.warn('Skipping the browser tests: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH).');
  return true;
}

export const SCREENSHOTS = join(REPO, 'test-output', 'screenshots');

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${name}.png`);
}

export interface RunningUi {
  /** The printed URL, with the token. */
  url: string;
  /** scheme://host:port only. */
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Start `sesam ui --port 0 ...args` in `cwd` and wait for the URL it prints. */
export async function startUi(cwd: string, args: string[], env: Record<string, string>): Promise<RunningUi> {
  const pattern = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+/;
  const { match, child, stop } = await startCli(
    ['ui', '--port', '0', ...args],
    cwd,
    { NO_COLOR: '1', ...env },
    pattern,
  );
  const url = match[0];
  const parsed = new URL(url);
  return { url, origin: parsed.origin, token: parsed.searchParams.get('token')!, child, stop };
}
