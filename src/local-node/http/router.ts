// A small method + path router for the node API. Paths are matched per segment after percent-decoding each one,
// so `/pipes/a%3Ab` and `/pipes/a:b` both reach the pipe `a:b` (sesamclient quotes ids, sesam-py does not).
import { badRequest } from './responses.js';

export interface RouteContext {
  request: Request;
  url: URL;
  /** Decoded values of the `:name` segments. */
  params: Record<string, string>;
  query: URLSearchParams;
}

export type RouteHandler = (ctx: RouteContext) => Promise<Response> | Response;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

export class Router {
  private routes: Route[] = [];

  /** `path` below /api, e.g. `/pipes/:id/pump`. Earlier routes win, so fixed names go before `:id`. */
  add(method: string, path: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: splitPath(path), handler });
    return this;
  }

  match(method: string, segments: string[]): RouteMatch {
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      allowed.add(route.method);
    }
    return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = actual[i]!;
    else if (p !== actual[i]) return undefined;
  }
  return params;
}

/**
 * The decoded segments of a request path below `/api`, or undefined when the path is outside the API.
 * A trailing slash is ignored (`/api/` is the root); a malformed escape is a 400.
 */
export function apiSegments(pathname: string): string[] | undefined {
  const raw = pathname.split('/');
  // raw[0] is '' (the leading slash); the API lives under /api.
  if (raw[1] !== 'api') return undefined;
  const rest = raw.slice(2);
  if (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
  return rest.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw badRequest(`The path segment '${segment}' is not valid percent-encoding.`);
    }
  });
}
