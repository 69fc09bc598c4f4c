// `sesam wipe` (sesam-py §5.4): stop the runner, replace the config by metadata that keeps pipes from running,
// then by nothing, clear the env vars and wait until the node lists no user pipes. Datasets and secrets stay.
import { nodeError } from '../errors.js';
import { isUserPipe } from '../node/pipes.js';
import type { NodeApi } from '../node/types.js';
import { wipeMetadata } from '../workspace/node-metadata.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';
import { readLocalMetadata } from './node-files.js';
import { stopRunner } from './stop.js';
import { pollTiming, sleep } from './timing.js';

export async function wipe(ctx: CommandContext): Promise<void> {
  await withNode(ctx, {}, async (api) => {
    await stopRunner(ctx, api);
    ctx.log.info('Wiping node...');
    // Disable user pipes first, or they start working (compiling DTL, asserting datasets) while being removed.
    const metadata = wipeMetadata(readLocalMetadata(ctx.cwd));
    await api.putConfig({ json: [metadata] }, { force: true });
    await api.putConfig({ json: [] }, { force: true });
    ctx.log.info('Removed pipes and systems');
    await api.putEnv({});
    ctx.log.info('Removed environment variables');
    await waitForPipesToDisappear(ctx, api);
  });
  if (ctx.options.json) ctx.out.json({ ok: true, wiped: true });
  else ctx.out.line('Successfully wiped node!');
}

async function waitForPipesToDisappear(ctx: CommandContext, api: NodeApi): Promise<void> {
  const started = Date.now();
  for (;;) {
    const left = (await api.getPipes()).filter(isUserPipe);
    if (left.length === 0) {
      ctx.log.debug(`All pipes were removed in ${((Date.now() - started) / 1000).toFixed(1)} seconds`);
      return;
    }
    if (Date.now() - started > pollTiming.deployTimeoutMs) {
      throw nodeError(
        `Waiting for pipes to be removed timed out after ${Math.round(pollTiming.deployTimeoutMs / 1000)} seconds!`,
        {
          reason: `still listed: ${left
            .slice(0, 5)
            .map((p) => p._id)
            .join(', ')}${left.length > 5 ? ', ...' : ''}`,
        },
      );
    }
    ctx.log.info(`Waiting for ${left.length} pipes to be removed...`);
    await sleep(pollTiming.wipePollMs, ctx.signal);
  }
}
