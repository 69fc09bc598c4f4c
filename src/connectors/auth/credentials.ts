// Where `authenticate` finds a connector's credentials: `.authconfig` in the connector folder (JSON or `key=value`,
// quotes stripped, as `.syncconfig` is read) first, else the command-line options, as sesam-py does.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSyncConfig } from '../../config/syncconfig.js';
import type { Logger } from '../../log.js';

export const AUTHCONFIG = '.authconfig';

/** Credentials that are secrets; ids (client_id, account_id) are shown, as the authorize link carries them. */
const SECRET_NAMES = new Set(['client_secret', 'api_key', 'consumer_token', 'employee_token']);

export interface CredentialSource {
  /** The values of `.authconfig`, or null when the connector has none. */
  authconfig: Record<string, string> | null;
  /** Command-line values by sesam-py's option name (`client_id`, `api_key`, ...). */
  args: Record<string, string | undefined>;
}

export function readAuthConfig(connectorDir: string): Record<string, string> | null {
  const path = join(connectorDir, AUTHCONFIG);
  return existsSync(path) ? parseSyncConfig(readFileSync(path, 'utf8'), AUTHCONFIG) : null;
}

/**
 * The named credentials: from `.authconfig` when it has them (logged once, as sesam-py does), else from the
 * options. Secret values are registered with the logger's redactor, so none reaches the terminal.
 */
export function resolveCredentials(
  source: CredentialSource,
  names: readonly string[],
  log: Logger,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const missing: string[] = [];
  for (const name of names) {
    const fromFile = source.authconfig?.[name];
    if (fromFile !== undefined) out[name] = fromFile;
    else {
      if (source.authconfig) missing.push(name);
      out[name] = source.args[name];
    }
    if (SECRET_NAMES.has(name)) log.redact(out[name]);
  }
  if (source.authconfig) {
    if (missing.length < names.length) log.info(`Found authentication credentials in ${AUTHCONFIG} file.`);
    for (const name of missing) log.warn(`Could not find ${name} in ${AUTHCONFIG} file. Checking the arguments.`);
  }
  return out;
}
