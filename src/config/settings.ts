// One resolved answer to "which node, with which JWT": --node/--jwt beat env NODE/JWT, which beat .syncconfig
// (sesam-py's precedence), normalised as sesam-py normalises them.
import { usageError } from '../errors.js';
import type { CommandContext } from '../commands/context.js';
import { findSyncConfig, unquote } from './syncconfig.js';

export interface Settings {
  /** `https://host/api`, or `local` for the embedded node. */
  nodeUrl: string;
  jwt?: string;
  /** Where each value came from, for messages: `--node`, `env NODE`, or the .syncconfig path. */
  source: { node: string; jwt: string };
  projectDir: string;
  profile: string;
}

/** Is this node setting the embedded node? */
export function isLocalNode(node: string): boolean {
  return node.trim().toLowerCase() === 'local';
}

/** sesam-py's URL rule: quotes removed, `https://` when there is no scheme, `/api` appended when missing. */
export function normalizeNodeUrl(node: string): string {
  let url = unquote(node.trim()).replace(/"/g, '').trim();
  if (isLocalNode(url)) return 'local';
  if (!url.startsWith('http')) url = `https://${url}`;
  // sesam-py would turn `https://host/` into `https://host//api`; drop the trailing slashes instead.
  url = url.replace(/\/+$/, '');
  if (!url.endsWith('/api')) url += '/api';
  return url;
}

/** sesam-py's JWT rule: surrounding quotes and a `Bearer ` prefix removed. */
export function normalizeJwt(jwt: string): string {
  let token = unquote(jwt.trim());
  if (/^bearer /i.test(token)) token = token.slice(7);
  return token.trim();
}

/** A short name for the node: the host's first label (`datahub-1a2b3c`), or `local`. */
export function nodeLabel(nodeUrl: string): string {
  if (isLocalNode(nodeUrl)) return 'local';
  try {
    const host = new URL(nodeUrl).hostname;
    if (host === 'local') return 'local';
    // An IP address has no meaningful first label; keep it whole (dots are fine in a branch name).
    if (/^[\d.]+$/.test(host) || host.includes(':')) return host.replace(/[:[\]]/g, '-');
    return host.split('.')[0]!;
  } catch {
    return nodeUrl.replace(/^https?:\/\//, '').split(/[./:]/)[0] || 'node';
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** Resolve node and JWT for an online command. Throws a usage error saying where it looked when one is missing. */
export function resolveSettings(ctx: CommandContext): Settings {
  const { options, env } = ctx;
  const fileName = options.syncConfigFile || '.syncconfig';
  let search: ReturnType<typeof findSyncConfig> | undefined;
  const file = () => (search ??= findSyncConfig(ctx.cwd, fileName));

  let node: string | undefined;
  let nodeSource = '';
  if (nonEmpty(options.node)) [node, nodeSource] = [options.node, '--node'];
  else if (nonEmpty(env.NODE)) [node, nodeSource] = [env.NODE, 'env NODE'];
  else if (nonEmpty(file().found?.values.node)) [node, nodeSource] = [file().found!.values.node, file().found!.path];

  const where = () => `looked at --node, env NODE and ${file().searched.join(', ')}`;
  const hint = "give --node URL and --jwt TOKEN, set NODE and JWT, or run 'sesam login' to write a .syncconfig";
  if (!node) throw usageError(`No node URL given (${where()}).`, { hint });
  const nodeUrl = normalizeNodeUrl(node);

  let jwt: string | undefined;
  let jwtSource = '';
  if (nonEmpty(options.jwt)) [jwt, jwtSource] = [options.jwt, '--jwt'];
  else if (nonEmpty(env.JWT)) [jwt, jwtSource] = [env.JWT, 'env JWT'];
  else if (nonEmpty(file().found?.values.jwt)) [jwt, jwtSource] = [file().found!.values.jwt, file().found!.path];

  if (jwt !== undefined) jwt = normalizeJwt(jwt);
  if (!jwt && nodeUrl !== 'local') {
    throw usageError(`No JWT given for ${nodeUrl} (looked at --jwt, env JWT and ${file().searched.join(', ')}).`, {
      hint,
    });
  }
  return {
    nodeUrl,
    jwt: jwt || undefined,
    source: { node: nodeSource, jwt: jwtSource || 'none' },
    projectDir: ctx.cwd,
    profile: options.profile || 'test',
  };
}
