// What every login flow ends with: secrets on the connector's systems and variables in the node's env.
import { createHash } from 'node:crypto';
import { nodeError } from '../../errors.js';
import type { JsonObject } from '../../format/json.js';
import type { NodeApi } from '../../node/types.js';

/**
 * sesam-py's webhook secret: the first 12 hex digits of SHA-256 over `<service_url>/<system>` encoded as
 * "utf-8-sig" (UTF-8 with a byte order mark), so the node and the connector agree on it.
 */
export function webhookSecret(serviceUrl: string, systemId: string): string {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${serviceUrl}/${systemId}`, 'utf8')]);
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}

/** Put the secrets on every system of the node (oauth2, api_key) or on one (tripletex); returns the systems. */
export async function putSecretsOnSystems(
  api: NodeApi,
  secrets: Record<string, string>,
  only?: string,
): Promise<string[]> {
  const systems = (await api.getSystems()).map((s) => s._id).filter((id): id is string => typeof id === 'string');
  if (only && !systems.includes(only)) {
    throw nodeError(`The node has no system '${only}' to put the secrets on.`, {
      hint: "Upload the connector first ('sesam upload'), or check --system-placeholder.",
    });
  }
  if (systems.length === 0) {
    throw nodeError('The node has no systems to put the secrets on.', {
      hint: "Upload the connector first ('sesam upload').",
    });
  }
  const ids = only ? [only] : systems;
  for (const id of ids) await api.putSystemSecrets(id, secrets);
  return ids;
}

/** The node's env, then `additions` in order (later keys win), written back in one PUT. */
export async function mergeEnv(api: NodeApi, ...additions: JsonObject[]): Promise<JsonObject> {
  const env: JsonObject = { ...(await api.getEnv()) };
  for (const addition of additions) Object.assign(env, addition);
  await api.putEnv(env);
  return env;
}
