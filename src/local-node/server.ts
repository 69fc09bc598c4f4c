// `sesam serve`: the embedded node's API on a TCP port, for any client (sesam-py, curl, this CLI).
import type { Logger } from '../log.js';
import { listen, type RunningServer } from './http/listen.js';
import { openLocalNode } from './index.js';

export type { RunningServer };

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  dir?: string;
  memory?: boolean;
  /** Secrets to load at start (JSON object), see LOCAL_SECRETS_FILE. */
  secretsFile?: string;
  /** Requests are logged at -v (debug). */
  log?: Logger;
  /** Bearer token every request must carry (guard.ts); undefined: none. */
  token?: string;
  /** Largest request body in bytes (default DEFAULT_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const node = await openLocalNode({
    dir: options.dir,
    memory: options.memory,
    log: options.log,
    secretsFile: options.secretsFile,
  });
  try {
    const server = await listen(node.fetch, options);
    return {
      ...server,
      async close() {
        await server.close();
        await node.close();
      },
    };
  } catch (err) {
    await node.close();
    throw err;
  }
}
