// The embedded node's HTTP API as one Web-standard function, Request -> Response. The socket server
// (../server.ts) and the in-process client (`--node local`, ../index.ts) both call it, so they behave the same.
import { EngineError } from '../engine-error.js';
import type { JsonValue } from '../../format/json.js';
import type { Logger } from '../../log.js';
import type { EngineApi } from './engine-api.js';
import { HttpError, jsonResponse, messageResponse } from './responses.js';
import { apiSegments, Router } from './router.js';
import { configRoutes } from './routes/config.js';
import { dataRoutes } from './routes/data.js';
import { nodeRoutes } from './routes/node.js';
import { pipeRoutes } from './routes/pipes.js';
import { systemRoutes } from './routes/systems.js';

export type NodeHandler = (request: Request) => Promise<Response>;

export interface HandlerOptions {
  /** Unexpected errors are logged here (with the stack at -vvv); the answer never carries a stack. */
  log?: Logger;
}

/**
 * The node API over an engine. Any bearer token is accepted (the embedded node is for development only); ids in
 * paths are percent-decoded; errors answer {"message": ...} with the engine's status, 404 for unknown routes.
 */
export function createNodeHandler(engine: EngineApi, options: HandlerOptions = {}): NodeHandler {
  const router = new Router();
  nodeRoutes(router, engine);
  configRoutes(router, engine);
  pipeRoutes(router, engine);
  dataRoutes(router, engine);
  systemRoutes(router, engine);

  return async (request) => {
    try {
      const url = new URL(request.url);
      const segments = apiSegments(url.pathname);
      if (!segments) return messageResponse(404, `Not found: ${url.pathname}; the node API lives under /api.`);
      // HEAD is GET without a body (curl -I, probes).
      const head = request.method === 'HEAD';
      const match = router.match(head ? 'GET' : request.method, segments);
      if (match.kind === 'not-found')
        return messageResponse(404, `Not found: ${url.pathname} is no endpoint of the node API.`);
      if (match.kind === 'method-not-allowed') {
        return jsonResponse(
          {
            message: `The method ${request.method} is not allowed on ${url.pathname}; use ${match.allowed.join(' or ')}.`,
          },
          405,
          {
            allow: match.allowed.join(', '),
          },
        );
      }
      const response = await match.handler({ request, url, params: match.params, query: url.searchParams });
      return head ? new Response(null, { status: response.status, headers: response.headers }) : response;
    } catch (err) {
      return errorResponse(err, options.log);
    }
  };
}

function errorResponse(err: unknown, log: Logger | undefined): Response {
  const status = errorStatus(err);
  if (status !== undefined) {
    const body = (err as { body?: JsonValue }).body;
    return body !== undefined ? jsonResponse(body, status) : messageResponse(status, (err as Error).message);
  }
  const message = err instanceof Error ? err.message : String(err);
  log?.error(`Embedded node: internal error: ${message}`);
  if (err instanceof Error && err.stack) log?.wire(err.stack);
  return messageResponse(500, `Internal error in the embedded node: ${message}`);
}

/** The HTTP status an error carries: HttpError from the routes, or the engine's EngineError. */
function errorStatus(err: unknown): number | undefined {
  if (err instanceof HttpError) return err.status;
  if (err instanceof EngineError && Number.isInteger(err.status) && err.status >= 400 && err.status <= 599)
    return err.status;
  return undefined;
}
