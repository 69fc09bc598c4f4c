// The node API on a TCP port: node:http requests become Web Requests for the shared handler, and Responses go
// back out. Bodies stream both ways and stay binary.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { inputError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { NodeHandler } from './handler.js';

export interface RunningServer {
  /** e.g. http://127.0.0.1:9042 (the API is below /api). */
  url: string;
  close(): Promise<void>;
}

/** Serve any node handler on host:port. Listening failures become one clear SesamError. */
export async function listen(
  handler: NodeHandler,
  options: { port: number; host: string; log?: Logger },
): Promise<RunningServer> {
  const server = createServer((req, res) => void serveRequest(handler, req, res, options.log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${connectableHost(address.address)}:${address.port}`,
    close: () => closeServer(server),
  };
}

async function serveRequest(
  handler: NodeHandler,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger | undefined,
): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  try {
    const response = await handler(toRequest(req, method));
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    if (response.body && method !== 'HEAD') {
      for await (const chunk of response.body) res.write(chunk);
    }
    res.end();
  } catch (err) {
    // The handler answers every error itself; this is a broken connection or a body that failed mid-stream.
    log?.debug(`Embedded node: ${method} ${req.url} failed: ${err instanceof Error ? err.message : String(err)}`);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify({ message: 'Internal error in the embedded node while answering.' }));
    } else res.destroy();
  }
  log?.debug(`${method} ${req.url} -> ${res.statusCode} (${Math.round(performance.now() - started)} ms)`);
}

function toRequest(req: IncomingMessage, method: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (hasBody) {
    init.body = Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>;
    init.duplex = 'half'; // required by fetch's Request for a streamed body
  }
  return new Request(url, init);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Keep-alive connections would hold close() open; the node is going away, so drop them.
    server.closeAllConnections();
  });
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  if (err.code === 'EADDRINUSE') {
    return inputError(`Cannot start the node: ${where} is already in use.`, {
      hint: 'Stop the other process, or pick another port with --port N (--port 0 picks a free one).',
    });
  }
  if (err.code === 'EACCES')
    return inputError(`Cannot start the node: no permission to listen on ${where}.`, {
      hint: 'Use a port above 1023.',
    });
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
    return inputError(`Cannot start the node: the address ${host} is not available on this machine.`, {
      hint: 'Use --host 127.0.0.1.',
    });
  }
  return inputError(`Cannot start the node on ${where}.`, { reason: err.message });
}

/** A URL host a client can connect to: wildcard addresses become loopback, IPv6 gets brackets. */
function connectableHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}
