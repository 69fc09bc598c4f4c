// `sesam authenticate` (connector development, sesam-py parity): log in to the connector's external service with
// the flow its manifest names and store the secrets and env variables on the node. A connector `upload` ends with
// the same step unless --skip-auth.
import { resolve } from 'node:path';
import { authenticateOnNode } from '../connectors/auth/index.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';

export async function authenticate(ctx: CommandContext): Promise<void> {
  const connectorDir = resolve(ctx.cwd, ctx.options.connectorDir ?? '.');
  await withNode(ctx, {}, (api) => authenticateOnNode(ctx, api, connectorDir));
}
