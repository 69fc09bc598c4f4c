// `authenticate` for a connector: pick the login flow the manifest names, gather the credentials (.authconfig,
// then options), run it against the node. Used by `sesam authenticate` and at the end of a connector `upload`.
import type { CommandContext } from '../../commands/context.js';
import type { Settings } from '../../config/settings.js';
import { usageError } from '../../errors.js';
import { LOCAL_NODE_API_URL } from '../../local-node/index.js';
import { isFile, profileEnvPath, readProfileEnv } from '../../workspace/project.js';
import type { Logger } from '../../log.js';
import type { NodeApi } from '../../node/types.js';
import { loginViaApiKey } from './api-key.js';
import { DEFAULT_SYSTEM_PLACEHOLDER } from '../manifest.js';
import { readAuthConfig, resolveCredentials } from './credentials.js';
import { readManifestAuth } from './manifest-auth.js';
import { type FlowIo, loginViaOAuth, SUCCESS_MESSAGE } from './oauth2.js';
import { openInBrowser } from '../../open-browser.js';
import { loginViaTripletex, TRIPLETEX_DEFAULT_BASE_URL } from './tripletex.js';

export interface AuthRequest {
  connectorDir: string;
  systemId: string;
  profile: string;
  serviceUrl: string;
  serviceJwt?: string;
  /** Credentials given as options, by sesam-py's names (client_id, client_secret, account_id, api_key, ...). */
  args: Record<string, string | undefined>;
  /** --base_url, when given. */
  baseUrl?: string;
  useClientSecret: boolean;
  ignoreRefreshToken: boolean;
  callbackPort: number;
  /** RSA_PRIVATE_KEY from the environment, for the SuperOffice ticket. */
  rsaPrivateKeyXml?: string;
}

export async function authenticateConnector(
  api: NodeApi,
  request: AuthRequest,
  io: FlowIo & { log: Logger },
): Promise<void> {
  const manifest = readManifestAuth(request.connectorDir);
  const source = { authconfig: readAuthConfig(request.connectorDir), args: request.args };
  // The profile's variables join the node's env when the connector has them (sesam-py: only when the file exists).
  const profileEnv = () =>
    isFile(profileEnvPath(request.connectorDir, request.profile))
      ? readProfileEnv(request.connectorDir, request.profile)
      : {};
  io.log.redact(request.serviceJwt);
  switch (manifest.flow) {
    case 'tripletex': {
      const c = resolveCredentials(source, ['consumer_token', 'employee_token'], io.log);
      if (!c.consumer_token || !c.employee_token) {
        throw usageError(
          'Missing consumer_token and/or employee_token. Please provide them in .authconfig or as arguments.',
        );
      }
      await loginViaTripletex(api, {
        systemId: request.systemId,
        consumerToken: c.consumer_token,
        employeeToken: c.employee_token,
        baseUrl: request.baseUrl ?? TRIPLETEX_DEFAULT_BASE_URL,
        serviceUrl: request.serviceUrl,
        serviceJwt: request.serviceJwt,
        profileEnv: profileEnv(),
        manifest,
      });
      break;
    }
    case 'oauth2':
    case 'superoffice-ticket': {
      const c = resolveCredentials(source, ['client_id', 'client_secret', 'account_id'], io.log);
      if (!c.client_id || !c.client_secret) {
        throw usageError('Missing client_id and/or client_secret. Please provide them in .authconfig or as arguments.');
      }
      await loginViaOAuth(
        api,
        {
          systemId: request.systemId,
          clientId: c.client_id,
          clientSecret: c.client_secret,
          accountId: c.account_id,
          serviceUrl: request.serviceUrl,
          serviceJwt: request.serviceJwt,
          baseUrl: request.baseUrl,
          useClientSecret: request.useClientSecret,
          ignoreRefreshToken: request.ignoreRefreshToken,
          callbackPort: request.callbackPort,
          profileEnv: profileEnv(),
          manifest,
          superOffice: { rsaPrivateKeyXml: request.rsaPrivateKeyXml },
        },
        io,
      );
      return;
    }
    case 'api_key': {
      const c = resolveCredentials(source, ['api_key'], io.log);
      if (!c.api_key) throw usageError('Missing api_key. Please provide it in .authconfig or as --api_key.');
      await loginViaApiKey(api, { apiKey: c.api_key, manifest }, io);
      break;
    }
    case 'none':
      io.log.info(
        'manifest.json names no login flow (auth oauth2 or api_key, or auth_variant tripletex): nothing to do.',
      );
      return;
  }
  io.log.info(SUCCESS_MESSAGE);
}

/**
 * Authenticate the connector in `connectorDir` on an open node, with the command's options and environment: what
 * `sesam authenticate` does, and the last step of a connector `upload`.
 */
export async function authenticateOnNode(
  ctx: CommandContext,
  api: NodeApi & { settings: Settings },
  connectorDir: string,
): Promise<void> {
  const o = ctx.options;
  const nodeUrl = api.settings.nodeUrl === 'local' ? LOCAL_NODE_API_URL : api.settings.nodeUrl;
  const request: AuthRequest = {
    connectorDir,
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
  await authenticateConnector(api, request, {
    log: ctx.log,
    signal: ctx.signal,
    // A browser only for a person at a terminal, never in CI.
    openBrowser: ctx.prompt.interactive && !ctx.env.CI ? (url) => openInBrowser(url, ctx.env) : undefined,
  });
}
