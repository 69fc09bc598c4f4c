// API-key login (sesam-py's api_key_login): the key is stored as the `api_key` secret on every system; with
// `auth_variant: jwt` it is first exchanged for an access and a refresh token at `jwt.login_url`.
import { inputError, nodeError } from '../../errors.js';
import { isJsonObject, parseJson } from '../../format/json.js';
import type { Logger } from '../../log.js';
import type { NodeApi } from '../../node/types.js';
import type { ManifestAuth } from './manifest-auth.js';
import { putSecretsOnSystems } from './node-writes.js';

export async function loginViaApiKey(
  api: NodeApi,
  login: { apiKey: string; manifest: ManifestAuth },
  io: { log: Logger; fetch?: typeof fetch },
): Promise<void> {
  const secrets: Record<string, string> = { api_key: login.apiKey };
  if (login.manifest.jwtVariant) {
    const { loginUrl, headerKey } = login.manifest.jwt;
    if (!loginUrl || !headerKey) {
      throw inputError('manifest.json: the jwt auth variant needs jwt.login_url and jwt.jwt_header_key.');
    }
    const res = await (io.fetch ?? fetch)(loginUrl, { method: 'POST', headers: { [headerKey]: login.apiKey } });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = parseJson(text);
    } catch {
      // Reported below.
    }
    if (
      !res.ok ||
      !isJsonObject(body) ||
      typeof body.AccessToken !== 'string' ||
      typeof body.RefreshToken !== 'string'
    ) {
      throw nodeError(`The JWT login at ${loginUrl} did not return AccessToken and RefreshToken.`, {
        reason: `HTTP ${res.status}`,
      });
    }
    io.log.redact(body.AccessToken);
    io.log.redact(body.RefreshToken);
    secrets.jwt_access_token = body.AccessToken;
    secrets.jwt_refresh_token = body.RefreshToken;
  }
  await putSecretsOnSystems(api, secrets);
}
