// `sesam test`: upload, run × --runs, verify once (sesam-py §5.3). Stops at the first failing step, with that
// step's exit code; `-run-pytest` runs afterwards (main does that for every command).
import { differencesFound, isSesamError } from '../errors.js';
import { tally, verifyPassed } from '../verify/result.js';
import { expectedFilesOnDisk } from '../verify/specs.js';
import { summaryLine } from '../verify/report.js';
import type { CommandContext } from './context.js';
import { runPipes } from './run.js';
import type { ConnectedNode } from './connect.js';
import { fromNode, recordVerifyResult, reportVerifyResult, verifyProject } from './verify.js';

export async function test(ctx: CommandContext): Promise<void> {
  const { connectNode } = await import('./connect.js');
  const { uploadProject } = await import('./upload.js');
  // With --bisect-exit-codes a node failure before the comparison means "could not test" (exit 125).
  const api = await fromNode(ctx, 'connecting to the node', () => connectNode(ctx));
  const started = Date.now();
  try {
    ctx.log.info('Running test: upload, run and verify..');
    await fromNode(ctx, 'uploading the project', () => uploadProject(ctx, api));
    const runs = Math.max(0, ctx.options.runs);
    let lastInfo: unknown;
    for (let i = 1; i <= runs; i++) {
      if (runs > 1) ctx.log.info(`Run ${i} of ${runs}`);
      lastInfo = (await fromNode(ctx, 'running the pipes', () => runRecordingFailure(ctx, api, started)))
        .additional_info;
    }
    ctx.log.info('Verifying that expected output matches current output...');
    const result = await verifyProject(ctx, api, expectedFilesOnDisk(ctx.cwd));
    const seconds = Math.floor((Date.now() - started) / 1000);
    reportVerifyResult(ctx, api, result, { extra: { runs, seconds } });
    if (!verifyPassed(result)) throw differencesFound(`Test failed! ${summaryLine(result)}`);
    const line = `Test was successful! Uploaded, ran ${runs === 1 ? 'once' : `${runs} times`} and verified ${result.passed + result.failed} tests in ${seconds} seconds.`;
    if (ctx.options.json) ctx.log.info(line);
    else ctx.out.line(line);
    if (typeof lastInfo === 'string') ctx.log.info(lastInfo);
  } finally {
    await api.close();
  }
}

/**
 * Run the pipes; when the run fails on a pipe, record that in .sesam/last-results.json (no specs were compared)
 * before passing the failure on, so readers of the results see why there are none. Shared with watch.
 */
export async function runRecordingFailure(ctx: CommandContext, api: ConnectedNode, started: number) {
  try {
    return await runPipes(ctx, api);
  } catch (err) {
    const pipe = isSesamError(err) && err.kind === 'node' ? /pipe '([^']+)' failed/.exec(err.message)?.[1] : undefined;
    if (pipe !== undefined && isSesamError(err)) {
      const seconds = Math.floor((Date.now() - started) / 1000);
      const failure = { pipe, reason: err.reason ?? err.message };
      ctx.log.debug(`Recording the failed pipe '${pipe}' in the last results.`);
      recordVerifyResult(ctx, api, tally([], [], []), {
        extra: { runs: ctx.options.runs, seconds },
        pipeFailures: [failure],
      });
    }
    throw err;
  }
}
