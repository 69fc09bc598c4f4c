import { describe, expect, it, vi } from 'vitest';
import { registerUserInteraction, subscriptionIdOf } from '../../src/node/analytics.js';
import { captureLogger } from '../helpers/logger.js';

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwtWith = (payload: object) => `eyJhbGciOiJSUzI1NiJ9.${b64(payload)}.sig`;

describe('portal analytics', () => {
  it('reads the first subscription id from the JWT principals', () => {
    expect(subscriptionIdOf(jwtWith({ principals: { 'sub-1': ['group:Admin'], 'sub-2': [] } }))).toBe('sub-1');
    expect(subscriptionIdOf(jwtWith({}))).toBeUndefined();
    expect(subscriptionIdOf('not-a-jwt')).toBeUndefined();
  });

  it('posts once a minute at most, and swallows failures', async () => {
    const { log, text } = captureLogger(1);
    const fetch = vi.fn(async () => new Response('nope', { status: 500 }));
    const jwt = jwtWith({ principals: { 'sub-1': [] } });
    await registerUserInteraction({ jwt, log, fetch, now: 1_000_000_000 });
    await registerUserInteraction({ jwt, log, fetch, now: 1_000_030_000 });
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0]! as unknown as [string, RequestInit];
    expect(url).toBe('https://portal.sesam.io/api/analytics');
    expect(JSON.parse(init.body as string)).toEqual({ subscription_id: 'sub-1', action: 'api_call' });
    expect(text()).toContain('Failed to register interaction with Sesam Portal: HTTP 500');
    await registerUserInteraction({
      jwt,
      log,
      fetch: async () => Promise.reject(new Error('offline')),
      now: 1_000_070_000,
    });
    expect(text()).toContain('offline');
  });
});
