// `sesam test`: upload, run × --runs, verify once (sesam-py §5.3). Stops at the first failing step, with that
// step's exit code; `-run-pytest` runs afterwards (main does that for every command).
import { differencesFound } from '../errors.js';
import { verifyPassed } from '../verify/result.js';
import { expectedFilesOnDisk } from '../verify/specs.js';
import { summaryLine } from '../verify/report.js';
import type { CommandContext } from './context.js';
import { runPipes } from './run.js';
import { fromNode, printVerifyResult, verifyProject } from './verify.js';

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
      lastInfo = (await fromNode(ctx, 'running the pipes', () => runPipes(ctx, api))).additional_info;
    }
    ctx.log.info('Verifying that expected output matches current output...');
    const result = await verifyProject(ctx, api, expectedFilesOnDisk(ctx.cwd));
    const seconds = Math.floor((Date.now() - started) / 1000);
    printVerifyResult(ctx, result, { runs, seconds });
    if (!verifyPassed(result)) throw differencesFound(`Test failed! ${summaryLine(result)}`);
    const line = `Test was successful! Uploaded, ran ${runs === 1 ? 'once' : `${runs} times`} and verified ${result.passed + result.failed} tests in ${seconds} seconds.`;
    if (ctx.options.json) ctx.log.info(line);
    else ctx.out.line(line);
    if (typeof lastInfo === 'string') ctx.log.info(lastInfo);
  } finally {
    await api.close();
  }
}
