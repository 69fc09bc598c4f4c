// Who may talk to `sesam ui`: the server listens on loopback only, and like Jupyter it also checks every request,
// because a web page in the user's browser can reach loopback too. A request must name a loopback Host (no DNS
// rebinding), carry no foreign Origin (no cross-site requests) and present the random token of the printed URL.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-sesam-token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function cookieName(port: number): string {
  return `sesam-ui-token-${port}`;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && LOOPBACK_HOSTS.some((name) => host.toLowerCase() === `${name}:${port}`);
}

export function allowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // same-origin GETs and non-browser clients send none
  return LOOPBACK_HOSTS.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Reads (GET) accept the token from the query, the header or the cookie the first page set; writes (POST) only from
 * the header, which a cross-site form cannot set.
 */
export function checkRequest(req: IncomingMessage, url: URL, port: number, token: string): Verdict {
  if (!allowedHost(req.headers.host, port)) return { ok: false, reason: 'Host is not this loopback server' };
  if (!allowedOrigin(req.headers.origin, port)) return { ok: false, reason: 'cross-origin request' };
  const header = req.headers[TOKEN_HEADER];
  const fromHeader = typeof header === 'string' ? header : undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sameToken(fromHeader, token) ? { ok: true } : { ok: false, reason: 'missing or wrong token' };
  }
  const given = [url.searchParams.get('token') ?? undefined, fromHeader, cookie(req.headers.cookie, cookieName(port))];
  return given.some((t) => sameToken(t, token)) ? { ok: true } : { ok: false, reason: 'missing or wrong token' };
}
