// Tripletex's token login (sesam-py's tripletexlogin): the consumer and employee tokens are stored as secrets on
// the connector's system, and base_url/token_url in the node's env, where the connector creates its sessions.
import type { JsonObject } from '../../format/json.js';
import type { NodeApi } from '../../node/types.js';
import type { ManifestAuth } from './manifest-auth.js';
import { mergeEnv, putSecretsOnSystems, webhookSecret } from './node-writes.js';

export const TRIPLETEX_DEFAULT_BASE_URL = 'https://api.tripletex.io';

export interface TripletexLogin {
  systemId: string;
  consumerToken: string;
  employeeToken: string;
  baseUrl: string;
  serviceUrl: string;
  serviceJwt?: string;
  profileEnv: JsonObject;
  manifest: ManifestAuth;
}

export async function loginViaTripletex(api: NodeApi, login: TripletexLogin): Promise<void> {
  const secrets: Record<string, string> = {
    consumer_token: login.consumerToken,
    employee_token: login.employeeToken,
  };
  if (login.manifest.requiresServiceApiAccess && login.serviceJwt) secrets.service_jwt = login.serviceJwt;
  if (login.manifest.useWebhookSecret) secrets.webhook_secret = webhookSecret(login.serviceUrl, login.systemId);
  await putSecretsOnSystems(api, secrets, login.systemId);
  const env: JsonObject = {};
  if (login.manifest.requiresServiceApiAccess) env.service_url = login.serviceUrl;
  await mergeEnv(api, env, login.profileEnv, {
    base_url: login.baseUrl,
    token_url: `${login.baseUrl}/v2/token/session/:create`,
  });
}
