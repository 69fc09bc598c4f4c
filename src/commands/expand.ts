// `sesam expand` (connectors): render the connector's templates into the expanded folder, offline.
import { resolve } from 'node:path';
import { expandConnector } from '../connectors/expand.js';
import { connectorDirOf, readManifest } from '../connectors/manifest.js';
import type { CommandContext } from './context.js';

export async function expand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) ctx.log.warn(`expand takes no arguments; ignoring: ${ctx.args.join(' ')}`);
  const { options } = ctx;
  const manifest = readManifest(connectorDirOf(ctx.cwd, options.connectorDir));
  const result = expandConnector({
    manifest,
    expandedDir: resolve(manifest.dir, options.expandedDir),
    profile: options.profile,
    systemPlaceholder: options.systemPlaceholder,
    log: ctx.log,
  });
  if (options.json) {
    ctx.out.json({ ok: true, expandedDir: result.expandedDir, pipes: result.pipes, systems: result.systems });
    return;
  }
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  ctx.log.info(
    `Expanded ${count(result.pipes, 'pipe')} and ${count(result.systems, 'system')} into ${result.expandedDir}`,
  );
}
