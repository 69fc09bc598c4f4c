// The node API on a TCP port: node:http requests become Web Requests for the shared handler, and Responses go
// back out. Bodies stream both ways and stay binary. Every request passes the guard first (guard.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inputError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { DEFAULT_MAX_BODY_BYTES, type GuardOptions, refuseRequest, tooLarge } from './guard.js';
import type { NodeHandler } from './handler.js';

export interface RunningServer {
  /** A URL a client on this machine can use, e.g. http://127.0.0.1:9042 (the API is below /api). */
  url: string;
  /** The address really listened on, e.g. http://0.0.0.0:9042 (all interfaces) or the same as url. */
  address: string;
  /** True when only this machine can connect (a loopback address). */
  loopback: boolean;
  close(): Promise<void>;
}

export interface ListenOptions extends Partial<GuardOptions> {
  port: number;
  host: string;
  log?: Logger;
}

/** Serve any node handler on host:port. Listening failures become one clear SesamError. */
export async function listen(handler: NodeHandler, options: ListenOptions): Promise<RunningServer> {
  const guard: GuardOptions = { token: options.token, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES };
  const server = createServer((req, res) => void serveRequest(handler, guard, req, res, options.log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${connectableHost(address.address)}:${address.port}`,
    address: `http://${bracketed(address.address)}:${address.port}`,
    loopback: isLoopback(address.address),
    close: () => closeServer(server),
  };
}

async function serveRequest(
  handler: NodeHandler,
  guard: GuardOptions,
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger | undefined,
): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  try {
    const request = toRequest(req, method, guard.maxBodyBytes);
    const response = refuseRequest(request, guard) ?? (await handler(request));
    // An answer before the whole body arrived (a refusal, 413): close the connection rather than read the rest.
    if (!req.complete) res.setHeader('connection', 'close');
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    if (response.body && method !== 'HEAD') {
      for await (const chunk of response.body) res.write(chunk);
    }
    res.end();
    if (!req.complete) res.once('finish', () => req.destroy());
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

function toRequest(req: IncomingMessage, method: string, maxBodyBytes: number): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (hasBody) {
    init.body = bodyStream(req, maxBodyBytes);
    init.duplex = 'half'; // required by fetch's Request for a streamed body
  }
  return new Request(url, init);
}

/**
 * The request body as a Web stream that fails with a 413 once it passes maxBytes. Reading stops there (the socket
 * is paused, not destroyed, so the 413 still goes out; serveRequest then closes the connection).
 */
function bodyStream(req: IncomingMessage, maxBytes: number): ReadableStream<Uint8Array> {
  let seen = 0;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        seen += chunk.length;
        if (seen > maxBytes) {
          done = true;
          req.pause();
          controller.error(tooLarge(maxBytes));
          return;
        }
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause(); // backpressure: wait for pull()
      });
      req.on('end', () => {
        if (!done) controller.close();
        done = true;
      });
      req.on('error', (err) => {
        if (!done) controller.error(err);
        done = true;
      });
    },
    pull() {
      if (!done) req.resume();
    },
    cancel() {
      done = true;
      req.pause();
    },
  });
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
  return bracketed(address);
}

function bracketed(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === '::ffff:127.0.0.1';
}
