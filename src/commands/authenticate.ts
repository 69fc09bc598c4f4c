// `sesam authenticate` (connector development, sesam-py parity): log in to the connector's external service with
// the flow its manifest names and store the secrets and env variables on the node. Also the last step of a
// connector `upload` unless --skip-auth.
import { resolve } from 'node:path';
import { type AuthRequest, authenticateConnector } from '../connectors/auth/index.js';
import { openInBrowser } from '../connectors/auth/open-browser.js';
import { LOCAL_NODE_API_URL } from '../local-node/index.js';
import { type ConnectedNode, withNode } from './connect.js';
import type { CommandContext } from './context.js';

export const DEFAULT_SYSTEM_PLACEHOLDER = 'xxxxxx';

export async function authenticate(ctx: CommandContext): Promise<void> {
  await withNode(ctx, {}, (api) => authenticateOnNode(ctx, api));
}

/** The authentication step on an open node (the connector upload calls this after uploading). */
export async function authenticateOnNode(ctx: CommandContext, api: ConnectedNode): Promise<void> {
  await authenticateConnector(api, authRequest(ctx, api), {
    log: ctx.log,
    signal: ctx.signal,
    // A browser only for a person at a terminal, never in CI.
    openBrowser: ctx.prompt.interactive && !ctx.env.CI ? (url) => openInBrowser(url, ctx.env) : undefined,
  });
}

function authRequest(ctx: CommandContext, api: ConnectedNode): AuthRequest {
  const o = ctx.options;
  const nodeUrl = api.settings.nodeUrl === 'local' ? LOCAL_NODE_API_URL : api.settings.nodeUrl;
  return {
    connectorDir: resolve(ctx.cwd, o.connectorDir ?? '.'),
    systemId: o.systemPlaceholder ?? DEFAULT_SYSTEM_PLACEHOLDER,
    profile: o.profile,
    // sesam-py always stores the node in use; --service_url/--service_jwt point the connector elsewhere.
    serviceUrl: o.serviceUrl ?? nodeUrl,
    serviceJwt: o.serviceJwt ?? api.settings.jwt,
    args: {
      client_id: o.clientId,
      client_secret: o.clientSecret,
      account_id: o.accountId,
      api_key: o.apiKey,
      consumer_token: o.consumerToken,
      employee_token: o.employeeToken,
    },
    baseUrl: o.baseUrl,
    useClientSecret: o.useClientSecret,
    ignoreRefreshToken: o.ignoreRefreshToken,
    callbackPort: o.callbackPort,
    rsaPrivateKeyXml: ctx.env.RSA_PRIVATE_KEY,
  };
}
