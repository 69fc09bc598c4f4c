// POST <node>/api/jwt with email and password (form-encoded, as the Sesam API docs show with curl -d) returns the
// JWT as text. The password and the token never reach a log line.
import { nodeError } from '../errors.js';
import type { Logger } from '../log.js';
import { httpStatusError, timeoutError, unreachableError } from './http-errors.js';

export interface JwtRequest {
  /** Normalised node URL ending in /api. */
  nodeUrl: string;
  email: string;
  password: string;
  log: Logger;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function requestJwt(req: JwtRequest): Promise<string> {
  req.log.redact(req.password);
  const url = new URL(`${req.nodeUrl.replace(/\/+$/, '')}/jwt`);
  const call = 'POST /jwt';
  const timeoutMs = req.timeoutMs ?? 60_000;
  const timer = AbortSignal.timeout(timeoutMs);
  const signal = req.signal ? AbortSignal.any([timer, req.signal]) : timer;
  const doFetch = req.fetch ?? ((input, init) => fetch(input, init));
  let res: Response;
  let text: string;
  const started = Date.now();
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain,application/json,*/*' },
      body: new URLSearchParams({ email: req.email, password: req.password }),
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (req.signal?.aborted) throw req.signal.reason ?? err;
    if (timer.aborted) throw timeoutError(call, timeoutMs);
    throw unreachableError(req.nodeUrl, call, err, url);
  }
  req.log.wire(`POST ${url.href} -> ${res.status} (${Date.now() - started} ms)`);
  if (res.status === 401 || res.status === 403) {
    throw nodeError(`The node rejected the email or password (${res.status}).`, {
      status: res.status,
      hint: 'check them in the Sesam portal',
    });
  }
  if (!res.ok) throw httpStatusError(call, res.status, res.statusText, text, 1);
  let token = text.trim();
  if (token.startsWith('"') && token.endsWith('"')) token = token.slice(1, -1); // a JSON string body
  if (!/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    throw nodeError('The node did not answer POST /jwt with a JWT.', {
      reason: 'the body is not a token of three dot-separated parts',
    });
  }
  req.log.redact(token);
  return token;
}
