// `sesam stop`: stop a running pipe runner (sesam-py §5.6). Also used before restart, reset and wipe.
import type { NodeApi } from '../node/types.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';

export async function stop(ctx: CommandContext): Promise<void> {
  await withNode(ctx, {}, (api) => stopRunner(ctx, api));
  if (ctx.options.json) ctx.out.json({ ok: true, stopped: true });
  else ctx.out.line('Any previously running scheduler has been stopped.');
}

/** Stop the runner; with `throwOnError` false a failure is only a warning (restart/reset go on regardless). */
export async function stopRunner(ctx: CommandContext, api: NodeApi, throwOnError = true): Promise<void> {
  ctx.log.info('Trying to stop a previously running scheduler..');
  try {
    await api.stopRunner();
  } catch (err) {
    if (throwOnError) throw err;
    ctx.log.warn(`Failed to stop running schedulers: ${(err as Error).message}`);
    return;
  }
  ctx.log.info('Any previously running scheduler has been stopped');
}
