// `sesam serve [--port N] [--host ADDR] [--data DIR] [--memory]`: run the embedded Sesam-compatible node until
// Ctrl-C, for any client (this CLI, sesam-py, curl). For development and tests only.
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { localJwt } from '../local-node/http/jwt.js';
import { LOCAL_NODE_DATA_DIR, LOCAL_SECRETS_FILE } from '../local-node/index.js';
import { startServer } from '../local-node/server.js';
import type { CommandContext } from './context.js';

export async function serve(ctx: CommandContext): Promise<number> {
  const { options } = ctx;
  if (ctx.args.length > 0) throw usageError(`'sesam serve' takes no arguments, but got '${ctx.args.join(' ')}'.`);
  if (options.memory && options.data)
    throw usageError('--memory and --data exclude each other: the state is either in memory or in DIR.');
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    throw usageError(`--port must be between 0 and 65535, not ${options.port}.`);
  }
  const dir = options.memory ? undefined : resolve(ctx.cwd, options.data ?? LOCAL_NODE_DATA_DIR);
  const secretsFile = resolve(ctx.cwd, LOCAL_SECRETS_FILE);
  const server = await startServer({
    port: options.port,
    host: options.host,
    dir,
    memory: options.memory,
    log: ctx.log,
    secretsFile,
  });
  try {
    if (options.json) {
      ctx.out.json({ ok: true, url: server.url, api: `${server.url}/api`, data: dir ?? null });
    } else {
      ctx.out.line(
        `Sesam node listening on ${server.url} (data: ${dir ?? 'in memory'}); use --node ${server.url} or NODE=${server.url}`,
      );
    }
    // sesam-py decodes the JWT it is given, so it needs a well-formed one; the node itself accepts any.
    ctx.log.info(
      `Any JWT is accepted; clients that parse it (sesam-py) can use JWT=${localJwt('developer@localhost')}`,
    );
    ctx.log.info('Press Ctrl-C to stop.');
    await aborted(ctx.signal);
  } finally {
    await server.close();
  }
  ctx.log.info('Sesam node stopped.');
  return 0;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
