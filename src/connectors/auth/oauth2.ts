// OAuth2 authorization-code login for a connector (sesam-py's `oauth2login`): print (and open) the service's
// authorize link, receive the code on a loopback callback, exchange it at the token URL, and store the tokens as
// secrets on every system of the node and token_url/base_url/account_id in its env.
import { randomBytes } from 'node:crypto';
import { inputError, nodeError } from '../../errors.js';
import { isJsonObject, type JsonObject, type JsonValue, parseJson } from '../../format/json.js';
import type { Logger } from '../../log.js';
import type { NodeApi } from '../../node/types.js';
import { startCallbackServer } from './callback-server.js';
import type { ManifestAuth } from './manifest-auth.js';
import { mergeEnv, putSecretsOnSystems, webhookSecret } from './node-writes.js';
import { superOfficeTicket } from './superoffice.js';
import { pyUrlencode } from './urlencode.js';

export const SUCCESS_MESSAGE =
  'All secrets and environment variables have been updated successfully, now go and do your development!';
export const FAILURE_MESSAGE = 'Failed to update all secrets and environment variables. See the log for details.';

export interface OAuthLogin {
  systemId: string;
  clientId: string;
  clientSecret: string;
  serviceUrl: string;
  serviceJwt?: string;
  /** --account_id / .authconfig: wins over what the token response says. */
  accountId?: string;
  /** --base_url when given; else the token URL's origin. */
  baseUrl?: string;
  useClientSecret: boolean;
  ignoreRefreshToken: boolean;
  callbackPort: number;
  /** `<profile>-env.json` of the connector, merged into the node's env. */
  profileEnv: JsonObject;
  manifest: ManifestAuth;
  /** For `auth_variant: superoffice-ticket`: the RSA private key (XML) from the environment. */
  superOffice?: { rsaPrivateKeyXml?: string };
}

export interface FlowIo {
  log: Logger;
  signal?: AbortSignal;
  /** Requests to the service (token, identity, ...); the global fetch by default. */
  fetch?: typeof fetch;
  /** Try to show the link in a browser; true when one was started. */
  openBrowser?: (url: string) => boolean;
}

export function redirectUri(port: number): string {
  return `http://localhost:${port}/login_callback`;
}

/** The service's authorize link, with sesam-py's parameters in its order, and a `state` to tie the callback to it. */
export function authorizeLink(login: OAuthLogin, state: string): string {
  const { loginUrl, scopes, optionalScopes } = login.manifest.oauth2;
  const params: [string, string][] = [
    ['client_id', login.clientId],
    ['scope', scopes.join(' ')],
    ['redirect_uri', redirectUri(login.callbackPort)],
    ['response_type', 'code'],
  ];
  if (optionalScopes.length) params.push(['optional_scopes', optionalScopes.join(' ')]);
  if (login.useClientSecret) params.push(['client_secret', login.clientSecret]);
  params.push(['state', state]);
  return `${loginUrl}${loginUrl!.includes('?') ? '&' : '?'}${pyUrlencode(params)}`;
}

export async function loginViaOAuth(api: NodeApi, login: OAuthLogin, io: FlowIo): Promise<void> {
  const { loginUrl, tokenUrl, scopes } = login.manifest.oauth2;
  if (!loginUrl || !tokenUrl || scopes.length === 0) {
    throw inputError('manifest.json: oauth2 needs login_url, token_url and at least one scope.', {
      file: 'manifest.json',
    });
  }
  const state = randomBytes(16).toString('hex');
  const link = authorizeLink(login, state);
  const server = await startCallbackServer({
    port: login.callbackPort,
    state,
    authorizeUrl: link,
    signal: io.signal,
  });
  // With --use-client-secret the link carries the secret: show the local address that redirects to it instead.
  const shown = login.useClientSecret ? `http://localhost:${login.callbackPort}/` : link;
  io.log.info(
    '\nThis tool will add oauth2 system secrets and add token_url to the environment variables:' +
      `\n  Service API: ${login.serviceUrl}` +
      `\n  System id: ${login.systemId}` +
      '\n\nTo continue open the following link in your browser:' +
      `\n  Link: ${shown}\n`,
  );
  if (io.openBrowser?.(shown)) io.log.info('Opened the link in your browser; waiting for the login to complete...');
  else io.log.info('Waiting for the login to complete...');

  let ok = false;
  try {
    const callback = await server.result;
    if ('error' in callback) {
      throw nodeError(`The service refused the authorization: ${callback.error}.`, {
        reason: callback.description,
      });
    }
    await completeLogin(api, login, callback.code, io);
    ok = true;
  } finally {
    await server.finish(ok, ok ? SUCCESS_MESSAGE : FAILURE_MESSAGE);
  }
  io.log.info(SUCCESS_MESSAGE);
}

async function completeLogin(api: NodeApi, login: OAuthLogin, code: string, io: FlowIo): Promise<void> {
  const tokenUrl = login.manifest.oauth2.tokenUrl!;
  const doFetch = io.fetch ?? fetch;
  const tokens = await exchangeCode(doFetch, tokenUrl, {
    code,
    client_id: login.clientId,
    client_secret: login.clientSecret,
    grant_type: 'authorization_code',
    redirect_uri: redirectUri(login.callbackPort),
  });
  const accessToken = tokens.access_token;
  if (typeof accessToken !== 'string') {
    throw nodeError(`The token response of ${tokenUrl} has no access_token.`);
  }
  io.log.redact(accessToken);
  const secrets: Record<string, string> = {
    oauth_access_token: accessToken,
    oauth_client_id: login.clientId,
    oauth_client_secret: login.clientSecret,
  };
  if (!login.ignoreRefreshToken) {
    const refresh = tokens.refresh_token;
    if (typeof refresh !== 'string') {
      throw nodeError(`The token response of ${tokenUrl} has no refresh_token.`, {
        hint: 'Pass --ignore-refresh-token for services that issue none.',
      });
    }
    io.log.redact(refresh);
    secrets.oauth_refresh_token = refresh;
  }
  let accountId = login.accountId ?? (await accountIdFromTokens(doFetch, login.manifest, tokens));
  if (login.manifest.requiresServiceApiAccess && login.serviceJwt) secrets.service_jwt = login.serviceJwt;
  if (login.manifest.useWebhookSecret) secrets.webhook_secret = webhookSecret(login.serviceUrl, login.systemId);
  let baseUrl = login.baseUrl ?? new URL(tokenUrl).origin;
  if (login.manifest.flow === 'superoffice-ticket') {
    const ticket = await superOfficeTicket(doFetch, {
      tokens,
      clientSecret: login.clientSecret,
      jwksUri: login.manifest.jwksUri,
      rsaPrivateKeyXml: login.superOffice?.rsaPrivateKeyXml,
      log: io.log,
    });
    io.log.redact(ticket.ticket);
    secrets.so_ticket = ticket.ticket;
    accountId = ticket.accountId;
    baseUrl = ticket.baseUrl;
  }
  const systems = await putSecretsOnSystems(api, secrets);
  io.log.debug(`Stored ${Object.keys(secrets).join(', ')} on ${systems.join(', ')}.`);
  const env: JsonObject = {};
  if (login.manifest.requiresServiceApiAccess) env.service_url = login.serviceUrl;
  await mergeEnv(api, env, login.profileEnv, { token_url: tokenUrl, base_url: baseUrl, account_id: accountId ?? '' });
}

/** POST the form to the token URL; the JSON answer, or a node error with the service's own error text. */
export async function exchangeCode(
  doFetch: typeof fetch,
  tokenUrl: string,
  form: Record<string, string>,
): Promise<JsonObject> {
  let res: Response;
  try {
    res = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (err) {
    throw nodeError(`Could not reach the token URL ${tokenUrl}.`, { reason: (err as Error).message });
  }
  const text = await res.text();
  let body: JsonValue = null;
  try {
    body = parseJson(text);
  } catch {
    // Reported below with the status.
  }
  if (!res.ok || !isJsonObject(body)) {
    const detail = isJsonObject(body)
      ? [body.error, body.error_description].filter((v) => typeof v === 'string').join(': ')
      : `not JSON (${text.length} bytes)`;
    throw nodeError(`The token URL ${tokenUrl} refused the authorization code (HTTP ${res.status}).`, {
      reason: detail || res.statusText,
    });
  }
  return body;
}

/**
 * sesam-py's account id rule for `oauth2.tenant_id_expression`: a list names a claim of the id_token (its second
 * item); a key of the token response; else a lookup at `identity_url` + access token.
 */
async function accountIdFromTokens(
  doFetch: typeof fetch,
  manifest: ManifestAuth,
  tokens: JsonObject,
): Promise<string | undefined> {
  const tenant = manifest.tenantIdExpression;
  if (tenant === undefined) return undefined;
  if (Array.isArray(tenant)) {
    const claim = tenant[1];
    const idToken = tokens.id_token;
    if (claim === undefined || typeof idToken !== 'string') return undefined;
    return stringOf(jwtClaims(idToken)[claim]);
  }
  if (tenant in tokens) return stringOf(tokens[tenant]);
  if (manifest.identityUrl && typeof tokens.access_token === 'string') {
    const res = await doFetch(`${manifest.identityUrl}${tokens.access_token}`, {
      headers: { Accept: 'application/json' },
    });
    const body = res.ok ? parseJson(await res.text()) : null;
    return isJsonObject(body) ? stringOf(body[tenant]) : undefined;
  }
  return undefined;
}

/** The claims of a JWT, unverified (sesam-py reads the tenant from it the same way). */
export function jwtClaims(token: string): JsonObject {
  const payload = token.split('.')[1];
  if (payload === undefined) throw nodeError('The id_token is not a JWT.');
  const value = parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
  if (!isJsonObject(value)) throw nodeError('The id_token has no claims object.');
  return value;
}

function stringOf(value: JsonValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}
