// The loopback end of an OAuth2 authorization-code login: `GET /` sends the browser on to the service's authorize
// page, `GET /login_callback?code=…&state=…` completes the login and answers the browser with the outcome. It
// listens on loopback only and accepts one callback carrying the state it issued; anything else is refused
// without ending the login.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { usageError } from '../../errors.js';

export type CallbackResult = { code: string } | { error: string; description?: string };

export interface CallbackServer {
  /** The first callback with the right state: a code, or the error the service sent back. */
  result: Promise<CallbackResult>;
  /** Answer the browser that brought the callback, then stop listening. */
  finish(ok: boolean, message: string): Promise<void>;
  close(): Promise<void>;
}

const LOOPBACK = ['127.0.0.1', '::1'];

export async function startCallbackServer(options: {
  port: number;
  state: string;
  authorizeUrl: string;
  signal?: AbortSignal;
}): Promise<CallbackServer> {
  let settle!: (r: CallbackResult) => void;
  let fail!: (err: unknown) => void;
  const result = new Promise<CallbackResult>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let pending: ServerResponse | undefined;
  let done = false;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET') return void plain(res, 405, 'Method not allowed');
    if (url.pathname === '/') {
      res.writeHead(302, { Location: options.authorizeUrl, 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (url.pathname !== '/login_callback') return void plain(res, 404, 'Not found');
    if (done) return void plain(res, 409, 'This login has already been completed.');
    if (url.searchParams.get('state') !== options.state) {
      return void plain(res, 400, 'This callback does not belong to the login in progress (state mismatch).');
    }
    done = true;
    pending = res;
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error) settle({ error, description: url.searchParams.get('error_description') ?? undefined });
    else if (code) settle({ code });
    else settle({ error: 'no_code', description: 'the callback carried neither a code nor an error' });
  };

  const servers: Server[] = [];
  for (const host of LOOPBACK) {
    const server = createServer(handle);
    try {
      await listen(server, options.port, host);
      servers.push(server);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // IPv6 loopback may be missing on the machine: IPv4 alone serves `localhost`.
      if (host === '::1' && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map(closeServer));
      if (code === 'EADDRINUSE') {
        throw usageError(`Port ${options.port} on localhost is in use, so the login callback cannot be received.`, {
          hint: 'Stop what listens there, or pass --callback-port N matching a redirect URI registered with the service.',
        });
      }
      throw err;
    }
  }

  const close = async () => {
    await Promise.all(servers.map(closeServer));
  };
  const onAbort = () => {
    fail(options.signal?.reason ?? new Error('aborted'));
    void close();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  return {
    result,
    async finish(ok, message) {
      options.signal?.removeEventListener('abort', onAbort);
      if (pending) await plain(pending, ok ? 200 : 500, message);
      await close();
    },
    close: async () => {
      options.signal?.removeEventListener('abort', onAbort);
      await close();
    },
  };
}

function plain(res: ServerResponse, status: number, text: string): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(text, () => resolve());
  });
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
