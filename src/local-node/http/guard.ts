// What `sesam serve` checks before a request reaches the node API. The API changes state and has no users of its
// own, so a web page must not be able to drive it: browsers send any page's POST to 127.0.0.1 (a "simple"
// cross-site request needs no preflight) and, through DNS rebinding, even let the page read the answers.
//   - Origin: command-line clients (this CLI, sesam-py, curl) send none; a page always does on POST, PUT and
//     DELETE. Only a same-origin one is let through.
//   - Host: a rebinding page reaches us under its own domain name. Without a token only names that cannot be
//     rebound are accepted: IP literals and localhost.
//   - Token (`sesam serve --token T`): clients send it as their bearer JWT.
//   - Size: a body above the limit is answered 413 without being read (Content-Length) or as soon as it passes
//     the limit (chunked), so memory stays bounded.
// The content type of each body is checked where it is read (body.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { HttpError, messageResponse } from './responses.js';

export interface GuardOptions {
  /** Required bearer token; undefined accepts any (or no) Authorization. */
  token?: string;
  /** Largest request body in bytes. */
  maxBodyBytes: number;
}

/**
 * 64 MiB. Legitimate bodies are config zips and testdata files (sesam-py posts each file whole): a few MB at
 * most. Entities cost far more than their bytes once parsed and stored: a 100 MB receiver POST of 1.1 million
 * small entities peaked at 1.2 GB RSS (measured), so this bounds one request to well under a gigabyte.
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The refusal for a request that must not reach the API, or undefined when it may. */
export function refuseRequest(request: Request, options: GuardOptions): Response | undefined {
  const host = request.headers.get('host');
  const origin = request.headers.get('origin');
  if (origin !== null && !sameOrigin(origin, host)) {
    return messageResponse(
      403,
      `Cross-origin request refused (Origin: ${origin}): the embedded node's API is for command-line clients, not web pages.`,
    );
  }
  if (options.token === undefined && host !== null && !unrebindableHost(host)) {
    return messageResponse(
      403,
      `Host '${host}' refused: without a token the embedded node answers only to IP addresses and localhost (start it with --token to allow other names).`,
    );
  }
  if (options.token !== undefined && !hasToken(request, options.token)) {
    const response = messageResponse(
      401,
      'This node requires its token: send it as the JWT (--jwt TOKEN or JWT=TOKEN).',
    );
    response.headers.set('www-authenticate', 'Bearer realm="sesam"');
    return response;
  }
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) > options.maxBodyBytes) return tooLarge(options.maxBodyBytes).response();
  return undefined;
}

class BodyTooLarge extends HttpError {
  constructor(limit: number) {
    super(
      413,
      `The request body is larger than the node's limit of ${formatBytes(limit)} (sesam serve --max-body-mb).`,
    );
  }
  response(): Response {
    return messageResponse(this.status, this.message);
  }
}

/** The 413 error a body stream fails with once it passes the limit. */
export function tooLarge(limit: number): BodyTooLarge {
  return new BodyTooLarge(limit);
}

function sameOrigin(origin: string, host: string | null): boolean {
  if (host === null) return false;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.host === new URL(`http://${host}`).host;
  } catch {
    return false; // "null" (sandboxed pages, file://) and anything unparsable
  }
}

/** A Host header naming an IP address or localhost: names a web page's DNS cannot point at us. */
function unrebindableHost(host: string): boolean {
  let name: string;
  try {
    name = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (name.startsWith('[') && name.endsWith(']')) return isIP(name.slice(1, -1)) === 6;
  return isIP(name) === 4 || name === 'localhost' || name.endsWith('.localhost');
}

function hasToken(request: Request, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  if (!match) return false;
  // Hashes have equal length, so the comparison takes the same time whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
