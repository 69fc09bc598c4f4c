// Pushing testdata/<pipe>.json files to the pipes' http_endpoint receivers after an upload (sesam-py §5.1 step 8):
// bounded concurrency (--upload-workers, -single-thread-upload), a global request rate (--upload-rate), up to 4
// attempts per file on 429/5xx and connection failures with exponential backoff and jitter, and one failure list
// naming every file that could not be pushed.
import { join } from 'node:path';
import { describeError, isSesamError, SesamError } from '../errors.js';
import { stringifyJson } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import { duplicateKeyWarning, parseJsonText, readText } from '../workspace/files.js';
import type { CommandContext } from './context.js';
import { progressOf } from '../progress.js';
import { pollTiming, sleep } from './timing.js';

export interface TestdataJob {
  path: string;
  pipeId: string;
}

export interface TestdataSummary {
  total: number;
  uploaded: number;
  failed: number;
  /** `kind`: 'input' for a bad file or an unknown pipe, 'node' when the node failed. */
  failures: { path: string; pipeId: string; error: string; kind: 'input' | 'node' }[];
}

const MAX_ATTEMPTS = 4;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

function isRetryable(err: unknown): boolean {
  if (!isSesamError(err) || err.kind !== 'node') return false;
  return err.status === undefined || RETRYABLE.has(err.status); // no status: connection failure or timeout
}

/** A shared minimum interval between requests; 0 per second means unlimited. */
function rateLimiter(perSecond: number, signal: AbortSignal): () => Promise<void> {
  if (perSecond <= 0) return async () => {};
  const interval = 1000 / perSecond;
  let next = 0;
  return async () => {
    for (;;) {
      const now = Date.now();
      if (now >= next) {
        next = now + interval;
        return;
      }
      await sleep(next - now, signal);
    }
  };
}

export async function uploadTestdata(
  ctx: CommandContext,
  api: NodeApi,
  jobs: TestdataJob[],
  knownPipes: Set<string>,
): Promise<TestdataSummary> {
  const { options, log } = ctx;
  const total = jobs.length;
  const started = Date.now();
  const summary: TestdataSummary = { total, uploaded: 0, failed: 0, failures: [] };
  const slot = rateLimiter(options.uploadRate, ctx.signal);
  const progress = progressOf(ctx).start('Uploading test data', total);

  const pushOne = async (job: TestdataJob): Promise<void> => {
    const text = readText(join(ctx.cwd, job.path), job.path);
    const value = parseJsonText(text, job.path, (d) => log.warn(duplicateKeyWarning(job.path, d)));
    if (value === null) return; // sesam-py skips a file holding null and counts it as uploaded
    if (!knownPipes.has(job.pipeId)) throw new SesamError('input', `Pipe '${job.pipeId}' doesn't exist on the node`);
    // --do-float-as-decimal sends the numbers as written; otherwise as Python re-serialises them (float repr).
    const body = options.doFloatAsDecimal ? text : stringifyJson(value);
    log.debug(`Uploading entities for ${job.pipeId}`);
    for (let attempt = 1; ; attempt++) {
      await slot();
      try {
        await api.postReceiverEntities(job.pipeId, body);
        return;
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(err) || ctx.signal.aborted) throw err;
        const base = pollTiming.testdataRetryBaseMs;
        const delay = base * 2 ** (attempt - 1) + Math.random() * base;
        log.warn(
          `Transient failure while uploading entities for ${job.pipeId} (attempt ${attempt}/${MAX_ATTEMPTS}, retrying in ${(delay / 1000).toFixed(1)}s): ${describeError(err)}`,
        );
        await sleep(delay, ctx.signal);
      }
    }
  };

  const report = () => {
    const processed = summary.uploaded + summary.failed;
    progress.update(processed, summary.failed ? `(${summary.failed} failed)` : undefined);
  };

  const single = options.singleThreadUpload;
  const workers = single ? 1 : Math.max(1, Math.min(options.uploadWorkers, total));
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < jobs.length && !ctx.signal.aborted) {
      const job = jobs[next++]!;
      try {
        await pushOne(job);
        summary.uploaded++;
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        summary.failed++;
        summary.failures.push({
          ...job,
          error: describeError(err),
          kind: isSesamError(err) && err.kind === 'input' ? 'input' : 'node',
        });
        log.debug(`Failed to post payload to pipe ${job.pipeId}: ${describeError(err)}`);
        if (single) stopped = true; // sesam-py's sequential mode stops at the first failure
      } finally {
        report();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    progress.stop();
  }
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  log.info(
    `Test data upload summary: total=${total}, uploaded=${summary.uploaded}, failed=${summary.failed}, elapsed_time=${elapsed}s`,
  );
  return summary;
}
