// `sesam restart` / `sesam reset` (sesam-py §5.5): stop the runner, ask the node to restart (or reset: also wipe
// config, datasets and env), then wait until GET /status reports a new node_start_time.
import { describeError, nodeError } from '../errors.js';
import { stringifyJson, type JsonValue } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';
import { stopRunner } from './stop.js';
import { pollTiming, sleep } from './timing.js';

export async function restart(ctx: CommandContext): Promise<void> {
  await adminCommand(ctx, 'restart');
}

export async function reset(ctx: CommandContext): Promise<void> {
  await adminCommand(ctx, 'reset');
}

async function adminCommand(ctx: CommandContext, operation: 'restart' | 'reset'): Promise<void> {
  const started = Date.now();
  await withNode(ctx, {}, async (api) => {
    await stopRunner(ctx, api, false);
    ctx.log.info(operation === 'restart' ? 'Restarting target node...' : 'Resetting target node...');
    await restartAndWait(ctx, api, operation, ctx.options.restartTimeout);
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const done = operation === 'restart' ? 'Successfully restarted target node!' : 'Successfully reset target node!';
  if (ctx.options.json) ctx.out.json({ ok: true, operation, seconds });
  else ctx.out.line(`${done} (${seconds} s)`);
}

/** POST /admin, then poll GET /status until node_start_time changes or `timeoutSeconds` pass. */
export async function restartAndWait(
  ctx: CommandContext,
  api: NodeApi,
  operation: 'restart' | 'reset',
  timeoutSeconds: number,
): Promise<void> {
  const before = (await api.getStatus()).node_start_time;
  const answer = await api.admin(operation);
  if (answer.message !== 'OK') {
    throw nodeError(`Failed to ${operation} node!`, {
      reason: `the node answered ${stringifyJson(answer as JsonValue)} instead of {"message": "OK"}`,
    });
  }
  const started = Date.now();
  let last = 'node_start_time did not change';
  for (;;) {
    await sleep(pollTiming.restartPollMs, ctx.signal);
    try {
      const now = (await api.getStatus()).node_start_time;
      if (now !== undefined && JSON.stringify(now) !== JSON.stringify(before)) {
        ctx.log.debug(`The node is back (node_start_time ${String(now)}).`);
        return;
      }
      last = 'node_start_time did not change';
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      last = describeError(err); // expected while the node is down
    }
    if (Date.now() - started >= timeoutSeconds * 1000) {
      throw nodeError(`The node did not come back within ${timeoutSeconds} s after the ${operation}.`, {
        reason: last,
        hint: 'raise --restart-timeout, or check the node in the Sesam portal',
      });
    }
  }
}
