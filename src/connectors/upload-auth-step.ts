// The authentication step at the end of a connector `upload` (sesam-py's `authenticate`, skipped with --skip-auth).
// This build has no authentication flows: when sesam-py would authenticate, the upload fails loudly after the
// config is uploaded; when the manifest asks for none (or api_key without .authconfig), nothing happens, as in
// sesam-py. The connector-auth work replaces this module's body with the real flows.
import { join } from 'node:path';
import { usageError } from '../errors.js';
import type { Env, Prompter } from '../commands/context.js';
import type { Options } from '../cli/options.js';
import type { Logger } from '../log.js';
import type { NodeApi } from '../node/types.js';
import type { Settings } from '../config/settings.js';
import { isFile } from '../workspace/project.js';
import type { ConnectorManifest } from './manifest.js';

export interface AuthenticationStep {
  connectorDir: string;
  manifest: ConnectorManifest;
  /** The connected node, with the URL and JWT in use (sesam-py's service_url / service_jwt). */
  api: NodeApi & { settings: Settings };
  options: Options;
  log: Logger;
  env: Env;
  prompt: Prompter;
  signal: AbortSignal;
}

/** Which login flow sesam-py's authenticate() would run for this manifest, if any. */
export function authenticationFlow(manifest: ConnectorManifest, connectorDir: string): string | undefined {
  const value = manifest.value;
  const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined);
  if (lower(value.auth_variant) === 'tripletex') return 'tripletex';
  if (lower(value.auth) === 'oauth2')
    return lower(value.auth_variant) === 'superoffice-ticket' ? 'superoffice-ticket' : 'oauth2';
  if (lower(value.auth) === 'api_key' && isFile(join(connectorDir, '.authconfig'))) return 'api_key';
  return undefined;
}

export async function runAuthenticationStep(step: AuthenticationStep): Promise<void> {
  const flow = authenticationFlow(step.manifest, step.connectorDir);
  if (flow === undefined) {
    step.log.debug('The connector asks for no authentication step.');
    return;
  }
  throw usageError('authentication is not available in this build', {
    reason: `the config was uploaded, but the connector's manifest asks for the ${flow} login flow`,
    hint: 'add --skip-auth to upload without it',
  });
}
