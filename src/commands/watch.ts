// `sesam watch`: upload, run and verify once, then again whenever a project file changes, doing only what the
// change needs: expected/ alone → verify; pipes/, systems/ or the node metadata → upload the config, run, verify;
// the env file or testdata/ → the whole upload (env, config, test data), run, verify. Changes are debounced and
// collected while a cycle runs. One summary line per cycle on stdout; the results go to .sesam/last-results.json
// like any verify. Ctrl-C (the context's signal) stops it; a failing cycle is reported and watching goes on.
import chokidar from 'chokidar';
import { describeError, isSesamError } from '../errors.js';
import { summaryLine } from '../verify/report.js';
import { verifyPassed, type VerifyResult } from '../verify/result.js';
import { expectedFilesOnDisk } from '../verify/specs.js';
import { NODE_METADATA_FILE } from '../workspace/project.js';
import type { ConnectedNode } from './connect.js';
import type { CommandContext } from './context.js';
import { runRecordingFailure } from './test.js';
import { recordVerifyResult, verifyProject } from './verify.js';

/** What a batch of changes makes watch do, least work first. */
export type WatchStep = 'verify' | 'config' | 'full';

const DEBOUNCE_MS = 300;
const WATCHED_DIRS = ['pipes', 'systems', 'expected', 'testdata'];

/** The least work that brings the node and the results up to date after these files (project paths) changed. */
export function stepFor(paths: readonly string[]): WatchStep {
  const under = (dir: string) => (p: string) => p.startsWith(`${dir}/`);
  // Every cycle ends with a verify, so expected/ files never call for more work themselves.
  const rest = paths.filter((p) => !under('expected')(p));
  if (rest.length === 0) return 'verify';
  if (rest.every((p) => under('pipes')(p) || under('systems')(p) || p === NODE_METADATA_FILE)) return 'config';
  return 'full';
}

export async function watch(ctx: CommandContext): Promise<void> {
  const { connectNode } = await import('./connect.js');
  const api = await connectNode(ctx);
  const changes = new ChangeQueue(ctx.signal);
  const envFile = `${ctx.options.profile}-env.json`;
  const watcher = chokidar.watch([...WATCHED_DIRS, envFile, NODE_METADATA_FILE], {
    cwd: ctx.cwd,
    ignoreInitial: true,
    // Editors' swap and backup files are not project files.
    ignored: (path: string) => /(^|[/\\])\.[^/\\.]|~$/.test(path),
  });
  watcher.on('all', (_event, path) => changes.add(path.split('\\').join('/')));
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once('ready', resolve);
      watcher.once('error', reject);
    });
    ctx.log.info(`Watching ${[...WATCHED_DIRS.map((d) => `${d}/`), envFile].join(', ')}; Ctrl-C stops.`);
    await cycle(ctx, api, 'full', []);
    for (;;) {
      const paths = await changes.next();
      if (paths === undefined) break;
      await cycle(ctx, api, stepFor(paths), paths);
    }
    ctx.log.info('Stopped watching.');
  } finally {
    changes.close();
    await watcher.close();
    await api.close();
  }
}

/** Bring the node and the results up to date; print one line saying what was done and how it came out. */
async function cycle(ctx: CommandContext, api: ConnectedNode, step: WatchStep, paths: string[]): Promise<void> {
  const started = Date.now();
  const cause =
    paths.length === 0 ? 'start' : `${paths[0]}${paths.length > 1 ? ` and ${paths.length - 1} more` : ''} changed`;
  const done =
    step === 'verify' ? 'verified' : step === 'config' ? 'uploaded config, ran, verified' : 'uploaded, ran, verified';
  let line: string;
  try {
    if (step === 'full') {
      const { uploadProject } = await import('./upload.js');
      await uploadProject(ctx, api);
    } else if (step === 'config') {
      const { uploadConfig } = await import('./upload.js');
      await uploadConfig(ctx, api);
    }
    if (step !== 'verify') await runRecordingFailure(ctx, api, started);
    const result = await verifyProject(ctx, api, expectedFilesOnDisk(ctx.cwd));
    recordVerifyResult(ctx, api, result, { extra: { seconds: Math.floor((Date.now() - started) / 1000) } });
    line = `${cause} → ${done}: ${summaryLine(result)}${failing(result)}`;
  } catch (err) {
    if (ctx.signal.aborted) return;
    const message = isSesamError(err) ? err.message : describeError(err);
    ctx.log.error(message);
    if (isSesamError(err) && err.reason) ctx.log.info(`Reason: ${err.reason}`);
    line = `${cause} → failed: ${message}`;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  ctx.out.line(`[${new Date().toTimeString().slice(0, 8)}] ${line} (${seconds} s)`);
}

function failing(result: VerifyResult): string {
  if (verifyPassed(result)) return '';
  const names = [...result.specs.filter((s) => s.status === 'failed').map((s) => s.pipe), ...result.missing];
  return ` Failing: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
}

/** Changed paths, handed out in batches once no change has come for DEBOUNCE_MS; undefined once aborted. */
class ChangeQueue {
  private paths = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private wake: (() => void) | undefined;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake?.(), { once: true });
  }

  add(path: string): void {
    this.paths.add(path);
    this.due = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.due = true;
      this.wake?.();
    }, DEBOUNCE_MS);
  }

  async next(): Promise<string[] | undefined> {
    while (!this.signal.aborted && !this.due) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    if (this.signal.aborted) return undefined;
    this.due = false;
    const batch = [...this.paths].sort();
    this.paths.clear();
    return batch;
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
