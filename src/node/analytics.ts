// sesam-py tells the Sesam portal that a subscription is in use (POST portal.sesam.io/api/analytics), which keeps
// developer subscriptions from hibernating while people work with the CLI. Same here: only for JWTs that name a
// subscription, at most once a minute, never blocking or failing a command.
import type { Logger } from '../log.js';

export const PORTAL_ANALYTICS_URL = 'https://portal.sesam.io/api/analytics';

let lastSent = 0;

/** The first subscription id in the JWT's `principals`, as sesam-py reads it; undefined when there is none. */
export function subscriptionIdOf(jwt: string): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { principals?: unknown };
    const principals = payload.principals;
    if (principals && typeof principals === 'object' && !Array.isArray(principals)) return Object.keys(principals)[0];
  } catch {
    // not a decodable JWT payload: nothing to report
  }
  return undefined;
}

export function registerUserInteraction(opts: {
  jwt: string;
  log: Logger;
  fetch?: typeof fetch;
  now?: number;
}): Promise<void> {
  const subscription = subscriptionIdOf(opts.jwt);
  const now = opts.now ?? Date.now();
  if (!subscription || now - lastSent < 60_000) return Promise.resolve();
  lastSent = now;
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  return doFetch(PORTAL_ANALYTICS_URL, {
    method: 'POST',
    headers: { Authorization: `bearer ${opts.jwt}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ subscription_id: subscription, action: 'api_call' }),
    signal: AbortSignal.timeout(3000),
  }).then(
    (res) => {
      if (!res.ok) opts.log.debug(`Failed to register interaction with Sesam Portal: HTTP ${res.status}`);
    },
    (err: unknown) => opts.log.debug(`Failed to register interaction with Sesam Portal: ${(err as Error).message}`),
  );
}
