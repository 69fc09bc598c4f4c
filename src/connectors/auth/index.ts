// `authenticate` for a connector: pick the login flow the manifest names, gather the credentials (.authconfig,
// then options), run it against the node. Used by `sesam authenticate` and at the end of a connector `upload`.
import { usageError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { NodeApi } from '../../node/types.js';
import { loginViaApiKey } from './api-key.js';
import { readAuthConfig, resolveCredentials } from './credentials.js';
import { readManifestAuth } from './manifest-auth.js';
import { readProfileEnv } from './node-writes.js';
import { type FlowIo, loginViaOAuth, SUCCESS_MESSAGE } from './oauth2.js';
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
  const profileEnv = () => readProfileEnv(request.connectorDir, request.profile);
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
