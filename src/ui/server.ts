// The HTTP server of `sesam ui`: loopback only, every request checked (guard.ts), a small JSON API over the
// project (api.ts) and the bundled browser code. Restores go through the caller's `restore` (the command's code).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isSesamError, usageError } from '../errors.js';
import type { Logger } from '../log.js';
import { withStore } from '../snapshots/open.js';
import type { Env } from '../snapshots/store.js';
import {
  bisectVerdicts,
  graphView,
  lastResults,
  snapshotTimeline,
  versionDiff,
  WORK_TREE,
  type Project,
} from './api.js';
import { indexHtml, loadAssets } from './assets.js';
import { checkRequest, cookieName, newToken } from './guard.js';

export interface UiServerOptions {
  project: Project;
  env: Env;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
  /** Upload a revision's configuration to the node and record a snapshot (or only plan it). */
  restore(rev: string, dryRun: boolean): Promise<Record<string, unknown>>;
  token?: string;
}

export interface UiServer {
  url: string;
  /** The URL with the token, the one to open. */
  openUrl: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  extra: Record<string, string> = {},
) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, doc: unknown) {
  const body = JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  send(res, status, 'application/json; charset=utf-8', body);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'the request body is not JSON');
  }
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const assets = loadAssets();
  if (!assets) {
    throw usageError('The web app is not built: dist/ui/assets/app.js is missing', {
      hint: 'run `npm run build` in the sesam repository',
    });
  }
  const token = options.token ?? newToken();
  const { project, env, log } = options;
  let port = options.port;
  // One restore at a time: two tabs must not upload over each other.
  let restoring: Promise<unknown> = Promise.resolve();

  const routes: Record<string, (url: URL, req: IncomingMessage) => Promise<unknown>> = {
    'GET /api/snapshots': () => withStore(project.dir, env, (store) => snapshotTimeline(store)),
    'GET /api/diff': (url) => {
      const from = url.searchParams.get('from');
      if (!from) throw new HttpError(400, 'diff needs ?from=REV');
      const to = url.searchParams.get('to') || WORK_TREE;
      return withStore(project.dir, env, (store) => versionDiff(store, project, from, to));
    },
    'GET /api/results': async () => ({
      results: lastResults(project),
      bisect: await withStore(project.dir, env, (store) => bisectVerdicts(store)).catch(() => []),
    }),
    'GET /api/graph': async (url) => {
      const at = url.searchParams.get('at') || WORK_TREE;
      if (at === WORK_TREE) return graphView(undefined, project, at);
      return withStore(project.dir, env, (store) => graphView(store, project, at));
    },
    'POST /api/restore': async (_url, req) => {
      const body = await readBody(req);
      const rev = (body as { rev?: unknown })?.rev;
      const dryRun = (body as { dryRun?: unknown })?.dryRun === true;
      if (typeof rev !== 'string' || !rev) throw new HttpError(400, 'restore needs {"rev": REV}');
      const run = restoring.then(() => options.restore(rev, dryRun));
      restoring = run.catch(() => undefined);
      return run;
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok) {
      log.debug(`ui: refused ${req.method} ${url.pathname}: ${verdict.reason}`);
      return send(
        res,
        403,
        'text/plain; charset=utf-8',
        `Forbidden: ${verdict.reason}. Open the URL \`sesam ui\` printed.\n`,
      );
    }
    if (req.method === 'GET' && url.pathname === '/') {
      const cookie = `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
      return send(res, 200, 'text/html; charset=utf-8', indexHtml(token, 'sesam'), { 'set-cookie': cookie });
    }
    if (req.method === 'GET' && url.pathname === '/app.js')
      return send(res, 200, 'text/javascript; charset=utf-8', assets['app.js']);
    if (req.method === 'GET' && url.pathname === '/app.css')
      return send(res, 200, 'text/css; charset=utf-8', assets['app.css']);
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) return sendJson(res, 404, { error: `no such page: ${req.method} ${url.pathname}` });
    try {
      sendJson(res, 200, await route(url, req));
    } catch (err) {
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
      if (isSesamError(err)) {
        const status = err.kind === 'node' ? 502 : 400;
        return sendJson(res, status, { error: err.message, reason: err.reason ?? null, hint: err.hint ?? null });
      }
      log.error(`ui: ${req.method} ${url.pathname} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (log.verbosity >= 3 && err instanceof Error && err.stack) log.debug(err.stack);
      sendJson(res, 500, { error: 'internal error; see the terminal running sesam ui' });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? usageError(`Port ${options.port} is in use`, { hint: 'choose another with --port N (0 picks a free one)' })
          : err,
      ),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
