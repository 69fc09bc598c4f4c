// The embedded node in-process, for `--node local`: the API client calls `fetch` directly, no socket involved.
// connectLocalNode() is the whole wiring: the same NodeApi the commands get for a cloud node.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject } from '../format/json.js';
import type { Logger } from '../log.js';
import { readJsonFile } from '../workspace/files.js';
import { createNodeApi } from '../node/client.js';
import type { NodeApi } from '../node/types.js';
import { acquireDataLock } from './data-lock.js';
import { NodeEngine } from './engine.js';
import { createNodeHandler } from './http/handler.js';

/** The base URL an in-process client uses; only its path reaches the handler. */
export const LOCAL_NODE_API_URL = 'http://sesam-local-node/api';

/** Where `--node local` and `sesam serve` keep the node's state, relative to the project root. */
export const LOCAL_NODE_DATA_DIR = '.sesam/local-node';

/** Local secrets for `$SECRET(...)`, relative to the project root: a git-ignored JSON object of name → value. */
export const LOCAL_SECRETS_FILE = '.sesam/secrets.json';

export interface LocalNode {
  /** The node API as `fetch`: takes a Request, or fetch's (input, init) pair. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Closes the store; idempotent. */
  close(): Promise<void>;
  engine: NodeEngine;
}

export interface LocalNodeOptions {
  /** Directory of the durable store (e.g. <project>/.sesam/local-node); the store creates it when missing. */
  dir?: string;
  /** Keep everything in memory (nothing on disk). */
  memory?: boolean;
  log?: Logger;
  /** A JSON object of secrets loaded into the node when the file exists (see LOCAL_SECRETS_FILE). */
  secretsFile?: string;
}

/** Secrets from a local JSON file, so `$SECRET(...)` resolves without a `PUT /api/secrets`. */
function readLocalSecrets(path: string): Record<string, string> {
  const value = readJsonFile(path);
  const secrets: Record<string, string> = {};
  if (!isJsonObject(value)) throw inputError(`${path} must hold a JSON object of secret names and values.`);
  for (const [name, secret] of Object.entries(value)) {
    if (typeof secret !== 'string') throw inputError(`Secret '${name}' in ${path} must be a string.`);
    secrets[name] = secret;
  }
  return secrets;
}

export async function openLocalNode(options: LocalNodeOptions): Promise<LocalNode> {
  const secrets =
    options.secretsFile && existsSync(options.secretsFile) ? readLocalSecrets(options.secretsFile) : undefined;
  const dir = options.memory ? undefined : options.dir;
  // One process per data folder (sesam serve and --node local alike); see data-lock.ts.
  const lock = dir !== undefined ? acquireDataLock(dir) : undefined;
  let engine: NodeEngine;
  try {
    engine = NodeEngine.open({ dir, memory: options.memory });
  } catch (err) {
    lock?.release();
    throw err;
  }
  if (secrets) engine.putSecrets(secrets, false);
  const handle = createNodeHandler(engine, { log: options.log });
  let closed = false;
  return {
    engine,
    fetch: (input, init) => handle(input instanceof Request && init === undefined ? input : new Request(input, init)),
    async close() {
      if (closed) return;
      closed = true;
      try {
        engine.close();
      } finally {
        lock?.release();
      }
    },
  };
}

export interface LocalNodeApi extends NodeApi {
  /** Closes the node's store; the commands call it when they are done. */
  close(): Promise<void>;
  engine: NodeEngine;
}

/**
 * The NodeApi of the embedded node for `--node local`: state under <projectDir>/.sesam/local-node (or `dir`, or
 * in memory), reached through the ordinary API client so every command behaves as against a cloud node.
 */
export async function connectLocalNode(options: {
  projectDir: string;
  log: Logger;
  signal?: AbortSignal;
  dir?: string;
  memory?: boolean;
}): Promise<LocalNodeApi> {
  const node = await openLocalNode({
    dir: options.dir ?? join(options.projectDir, LOCAL_NODE_DATA_DIR),
    memory: options.memory,
    log: options.log,
    secretsFile: join(options.projectDir, LOCAL_SECRETS_FILE),
  });
  // In-process calls cannot be lost on the way, so nothing is retried.
  const api = createNodeApi({
    baseUrl: LOCAL_NODE_API_URL,
    fetch: node.fetch,
    log: options.log,
    label: 'local',
    signal: options.signal,
    retries: 0,
  });
  return { ...api, baseUrl: 'local', label: 'local', engine: node.engine, close: () => node.close() };
}

export { createNodeHandler, type NodeHandler } from './http/handler.js';
