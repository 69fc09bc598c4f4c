// The authentication step at the end of a connector `upload` (sesam-py's `authenticate`, skipped with --skip-auth):
// run when the manifest names a login flow, as sesam-py does; an api_key connector authenticates here only when it
// has a .authconfig (with --api_key alone, use `sesam authenticate`).
import { join } from 'node:path';
import type { CommandContext } from '../commands/context.js';
import type { Settings } from '../config/settings.js';
import type { NodeApi } from '../node/types.js';
import { isFile } from '../workspace/project.js';
import { authenticateOnNode } from './auth/index.js';
import { type AuthFlow, authFlowOf } from './auth/manifest-auth.js';
import type { ConnectorManifest } from './manifest.js';

/** Which login flow sesam-py's authenticate() would run after an upload, if any. */
export function authenticationFlow(manifest: ConnectorManifest, connectorDir: string): AuthFlow | undefined {
  const flow = authFlowOf(manifest.value);
  if (flow === 'none') return undefined;
  if (flow === 'api_key' && !isFile(join(connectorDir, '.authconfig'))) return undefined;
  return flow;
}

export async function runAuthenticationStep(
  ctx: CommandContext,
  api: NodeApi & { settings: Settings },
  connectorDir: string,
  manifest: ConnectorManifest,
): Promise<void> {
  if (authenticationFlow(manifest, connectorDir) === undefined) {
    ctx.log.debug('The connector asks for no authentication step.');
    return;
  }
  await authenticateOnNode(ctx, api, connectorDir);
}
