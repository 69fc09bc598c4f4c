// `sesam serve [--port N] [--host ADDR] [--data DIR] [--memory] [--token T] [--max-body-mb N]`: run the embedded
// Sesam-compatible node until Ctrl-C, for any client (this CLI, sesam-py, curl). For development and tests only:
// it refuses web pages and foreign host names (http/guard.ts), and with a token only answers clients that send it.
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { localJwt } from '../local-node/http/jwt.js';
import { LOCAL_NODE_DATA_DIR, LOCAL_SECRETS_FILE } from '../local-node/index.js';
import { startServer } from '../local-node/server.js';
import type { CommandContext } from './context.js';

/** Where `sesam serve` reads its token when --token is not given. */
export const TOKEN_ENV = 'SESAM_SERVE_TOKEN';

/** The embedded node's port when --port is not given. */
export const DEFAULT_SERVE_PORT = 9042;

export async function serve(ctx: CommandContext): Promise<number> {
  const { options } = ctx;
  const port = options.port ?? DEFAULT_SERVE_PORT;
  if (ctx.args.length > 0) throw usageError(`'sesam serve' takes no arguments, but got '${ctx.args.join(' ')}'.`);
  if (options.memory && options.data)
    throw usageError('--memory and --data exclude each other: the state is either in memory or in DIR.');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usageError(`--port must be between 0 and 65535, not ${port}.`);
  }
  if (!Number.isInteger(options.maxBodyMb) || options.maxBodyMb < 1)
    throw usageError(`--max-body-mb must be a whole number of MiB, at least 1, not ${options.maxBodyMb}.`);
  const token = options.token ?? (ctx.env[TOKEN_ENV] || undefined);
  if (token !== undefined && token.trim() === '') throw usageError('--token must not be empty.');
  ctx.log.redact(token);

  const dir = options.memory ? undefined : resolve(ctx.cwd, options.data ?? LOCAL_NODE_DATA_DIR);
  const secretsFile = resolve(ctx.cwd, LOCAL_SECRETS_FILE);
  const server = await startServer({
    port,
    host: options.host,
    dir,
    memory: options.memory,
    log: ctx.log,
    secretsFile,
    token,
    maxBodyBytes: options.maxBodyMb * 1024 * 1024,
  });
  try {
    if (options.json) {
      ctx.out.json({
        ok: true,
        url: server.url,
        api: `${server.url}/api`,
        address: server.address,
        data: dir ?? null,
        token: token !== undefined,
      });
    } else {
      const where = server.address === server.url ? server.url : `${server.address} (from this machine: ${server.url})`;
      ctx.out.line(
        `Sesam node listening on ${where} (data: ${dir ?? 'in memory'}); use --node ${server.url} or NODE=${server.url}`,
      );
    }
    if (!server.loopback && token === undefined) {
      ctx.log.warn(
        `The node listens on ${server.address} without authentication: anyone who can reach this machine can read and change it. Use --token (or ${TOKEN_ENV}) to require a token.`,
      );
    }
    if (token !== undefined) {
      ctx.log.info('Clients must send the token as their JWT: --jwt TOKEN or JWT=TOKEN.');
      if (token.split('.').length !== 3) {
        // sesam-py splits the JWT it is given into header.payload.signature; a plain token makes it fail.
        ctx.log.info(`sesam-py needs a JWT-shaped token, for example --token ${localJwt('developer@localhost')}`);
      }
    } else {
      // sesam-py decodes the JWT it is given, so it needs a well-formed one; the node itself accepts any.
      ctx.log.info(
        `Any JWT is accepted; clients that parse it (sesam-py) can use JWT=${localJwt('developer@localhost')}`,
      );
    }
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
