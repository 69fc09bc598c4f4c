// `sesam run`: run all pipes on the node until stable with its internal pipe runner (sesam-py §7): stop any
// earlier run, POST run-all-pipes, wait (sync) or poll (async), optionally echoing the runner's log.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, isSesamError, nodeError, usageError } from '../errors.js';
import { stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import type { NodeApi, RunAllPipesParams } from '../node/types.js';
import { toPlain } from '../format/json-diff.js';
import { progressOf } from '../progress.js';
import type { CommandContext } from './context.js';

const LOG_POLL_MS = 1000;

export async function run(ctx: CommandContext): Promise<void> {
  for (const flag of ['enableUserPipes', 'enableEagerMs', 'disableCppExtensions'] as const) {
    if (ctx.options[flag]) {
      const name = flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      ctx.log.warn(
        `Note that the -${name} flag has no effect on the actual sesam instance outside the 'upload' or 'test' commands`,
      );
    }
  }
  const { connectNode } = await import('./connect.js');
  const api = await connectNode(ctx);
  try {
    const result = await runPipes(ctx, api);
    if (ctx.options.json) ctx.out.json({ ok: true, result: toPlain(result) });
    else if (ctx.options.outputRunStatistics) printStatistics(ctx, result);
  } finally {
    await api.close();
  }
}

/** The run-all-pipes query, from the options; validates the modes. */
export function runParams(ctx: CommandContext): RunAllPipesParams {
  const o = ctx.options;
  if (o.schedulerMode !== undefined && !['active', 'poll'].includes(o.schedulerMode)) {
    throw usageError(`--scheduler-mode can only be set to 'active' or 'poll', not '${o.schedulerMode}'.`);
  }
  if (!['sync', 'async'].includes(o.schedulerRequestMode)) {
    throw usageError(`--scheduler-request-mode can only be set to 'sync' or 'async', not '${o.schedulerRequestMode}'.`);
  }
  const params: RunAllPipesParams = {
    extraZeroRuns: o.schedulerZeroRuns,
    maxRunTime: o.schedulerMaxRunTime,
    maxRuns: o.schedulerMaxRuns,
    requestMode: o.schedulerRequestMode as 'sync' | 'async',
  };
  // Test data pushed to receivers must survive the run.
  if (existsSync(join(ctx.cwd, 'testdata'))) params.deleteInputDatasets = false;
  if (o.schedulerCheckInputPipes) params.checkInputPipes = true;
  if (o.schedulerDontResetPipesOrDeleteSinkDatasets) params.resetPipesAndDeleteSinkDatasets = false;
  if (o.outputRunStatistics) params.outputRunStatistics = true;
  if (o.schedulerMode !== undefined) params.schedulerMode = o.schedulerMode;
  return params;
}

/**
 * Run all pipes to completion; returns the node's response to run-all-pipes (with `additional_info`).
 * A failed run is a node error naming the failed pipe and the node's reason.
 */
export async function runPipes(ctx: CommandContext, api: NodeApi): Promise<JsonObject> {
  const params = runParams(ctx);
  const started = Date.now();
  ctx.log.info('Trying to stop a previously running scheduler..');
  try {
    await api.stopRunner();
  } catch (err) {
    throw nodeError('Failed to stop running schedulers!', { reason: describeError(err), cause: err });
  }
  ctx.log.info('Any previously running scheduler has been stopped');

  const logger = ctx.options.printSchedulerLog ? new RunnerLogPrinter(ctx, api) : undefined;
  let token: string | undefined;
  let done = false;
  // In sync mode the POST blocks until the run ends; the log is printed meanwhile.
  let logBroken = false;
  // Ends the wait between two log reads when the run is over, so the command does not sit out the interval.
  const logStop = new AbortController();
  const logLoop = (async () => {
    if (!logger) return;
    const signal = AbortSignal.any([ctx.signal, logStop.signal]);
    while (!done) {
      try {
        await sleep(Math.min(LOG_POLL_MS, Math.max(1, ctx.options.schedulerPollFrequency)), signal);
      } catch (err) {
        if (done && !ctx.signal.aborted) return;
        throw err;
      }
      if (!done) await logger.print(token);
    }
  })().catch((err: unknown) => {
    // The run matters more than its log: say so once and stop printing.
    if (!ctx.signal.aborted) ctx.log.warn(`Could not read the pipe runner log: ${describeError(err)}`);
    logBroken = true;
  });

  let response: JsonObject;
  let outcome: { ok: boolean; reason?: string };
  const progress = progressOf(ctx).start('Running pipes until stable');
  try {
    response = await api.runAllPipes(params);
    if (params.requestMode === 'sync') {
      outcome = response.status === 'success' ? { ok: true } : { ok: false, reason: failureReason(response) };
    } else {
      if (typeof response.token !== 'string') {
        throw nodeError("Response from scheduler with 'async' request_mode didn't contain a token!", {
          reason: stringifyJson(response),
        });
      }
      token = response.token;
      outcome = await pollStatus(ctx, api, token);
    }
  } catch (err) {
    progress.stop();
    done = true;
    logStop.abort();
    await logLoop;
    if (ctx.signal.aborted) {
      await api.stopRunner().catch(() => undefined); // put the node back: no run left behind
      throw ctx.signal.reason ?? err;
    }
    if (isSesamError(err)) throw err;
    throw nodeError('Failed to run pipes to completion', { reason: describeError(err), cause: err });
  }
  progress.stop();
  done = true;
  logStop.abort();
  await logLoop;
  if (logger && !logBroken) await logger.print(token).catch(() => []);

  if (!outcome.ok) {
    const reason = outcome.reason ?? lastErrorLine(logger?.printed ?? []) ?? 'the node gave no reason';
    const pipe = /^'?([^\s':]+)'?: /.exec(reason)?.[1];
    throw nodeError(
      pipe ? `Failed to run pipes to completion: pipe '${pipe}' failed` : 'Failed to run pipes to completion',
      { reason },
    );
  }
  ctx.log.info(`Successfully ran all pipes to completion in ${Math.floor((Date.now() - started) / 1000)} seconds`);
  if (response.additional_info !== undefined && response.additional_info !== null)
    ctx.log.info(infoText(response.additional_info));
  return response;
}

async function pollStatus(ctx: CommandContext, api: NodeApi, token: string): Promise<{ ok: boolean; reason?: string }> {
  for (;;) {
    const status = await api.getRunnerStatus(token);
    if (status.status === 'success') return { ok: true };
    if (status.status === 'failed') return { ok: false, reason: failureReason(status) };
    if (status.status === 'not-running') return { ok: false, reason: 'Scheduler is not running' };
    await sleep(Math.max(1, ctx.options.schedulerPollFrequency), ctx.signal);
  }
}

function failureReason(response: JsonObject): string | undefined {
  const info = response.additional_info ?? response.reason ?? response.message;
  return info === undefined || info === null ? undefined : infoText(info);
}

function infoText(value: JsonValue): string {
  return typeof value === 'string' ? value : stringifyJson(value);
}

function lastErrorLine(lines: string[]): string | undefined {
  return [...lines]
    .reverse()
    .find((l) => / - (ERROR|CRITICAL) - /i.test(l))
    ?.replace(/^.* - (ERROR|CRITICAL) - /i, '');
}

/** Prints the runner log once per line: asks for lines after the last timestamp seen. */
class RunnerLogPrinter {
  private since: string | undefined;
  /** Every line printed so far, to name a failure the node gave no reason for. */
  readonly printed: string[] = [];
  constructor(
    private readonly ctx: CommandContext,
    private readonly api: NodeApi,
  ) {}

  /** Print new lines; returns them as printed. */
  async print(token: string | undefined): Promise<string[]> {
    const lines = await this.api.getRunnerLog({ since: this.since, token });
    const printed: string[] = [];
    for (const line of lines) {
      // The client turns a line that is not an object into one without timestamp and level.
      if (line.timestamp === '' && line.loglevel === '') {
        this.ctx.log.debug(`Log line was not an object: ${infoText(line.logdata)}`);
        continue;
      }
      const text = `${line.timestamp} - ${line.loglevel} - ${infoText(line.logdata)}`;
      this.ctx.log.info(text);
      printed.push(text);
      this.printed.push(text);
      if (typeof line.timestamp === 'string') this.since = line.timestamp;
    }
    return printed;
  }
}

function printStatistics(ctx: CommandContext, result: JsonObject): void {
  const stats = Object.keys(result).filter((k) => /statistic/i.test(k));
  const value: JsonValue = stats.length
    ? Object.fromEntries(stats.map((k) => [k, result[k]!]))
    : (result.additional_info ?? null);
  if (value === null) ctx.out.line('The node returned no run statistics.');
  else ctx.out.line(typeof value === 'string' ? value : stringifyJson(value, { indent: 2 }));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
