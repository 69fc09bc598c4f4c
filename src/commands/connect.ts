// Opening a node for a command: resolve settings, build the HTTP client (or open the embedded node in-process for
// `--node local`), then sesam-py's developer-mode gate. Every online command starts here.
import { resolveSettings, nodeLabel, type Settings } from '../config/settings.js';
import { nodeError } from '../errors.js';
import { createNodeApi, insecureFetch } from '../node/client.js';
import { registerUserInteraction } from '../node/analytics.js';
import type { NodeApi } from '../node/types.js';
import type { CommandContext } from './context.js';
import { clientTuning } from './timing.js';

export type ConnectedNode = NodeApi & { close(): Promise<void>; settings: Settings };

export interface ConnectOptions {
  /** Skip the developer-mode gate (upload/download with --force, as sesam-py allows). */
  allowNonDeveloper?: boolean;
  /** Override the client's fetch (tests). */
  fetch?: typeof fetch;
}

export async function connectNode(ctx: CommandContext, opts: ConnectOptions = {}): Promise<ConnectedNode> {
  const settings = resolveSettings(ctx);
  ctx.log.redact(settings.jwt);
  let api: NodeApi;
  let close = async () => {};
  if (settings.nodeUrl === 'local') {
    const { connectLocalNode, LOCAL_NODE_DATA_DIR } = await import('../local-node/index.js');
    const local = await connectLocalNode({ projectDir: settings.projectDir, log: ctx.log, signal: ctx.signal });
    // api is `local` itself, and Object.assign below replaces its close: keep the original.
    const closeLocal = local.close.bind(local);
    close = () => closeLocal();
    api = local;
    ctx.log.debug(`Using the embedded node (state in ${LOCAL_NODE_DATA_DIR}).`);
  } else {
    ctx.log.debug(
      `Connecting to ${settings.nodeUrl} (node from ${settings.source.node}, JWT from ${settings.source.jwt}).`,
    );
    api = createNodeApi({
      baseUrl: settings.nodeUrl,
      jwt: settings.jwt,
      log: ctx.log,
      fetch: opts.fetch ?? (ctx.options.skipTlsVerification ? insecureFetch : undefined),
      signal: ctx.signal,
      label: nodeLabel(settings.nodeUrl),
      timeoutMs: clientTuning.timeoutMs,
      longTimeoutMs: clientTuning.longTimeoutMs,
      retryBaseDelayMs: clientTuning.retryBaseDelayMs,
    });
    // Fire and forget, like sesam-py: keeps a developer subscription awake; never fails the command.
    if (settings.jwt) void registerUserInteraction({ jwt: settings.jwt, log: ctx.log, fetch: opts.fetch });
  }
  if (ctx.command !== 'bisect') await warnInterruptedBisect(ctx, api);
  try {
    if (!opts.allowNonDeveloper) await requireDeveloperMode(ctx, api);
  } catch (err) {
    await close();
    throw err;
  }
  return Object.assign(api, { close, settings });
}

/** While a bisect that was cut short has left this node on a candidate, every command says so and how to repair it. */
async function warnInterruptedBisect(ctx: CommandContext, api: NodeApi): Promise<void> {
  const { interruptedBisect } = await import('../snapshots/bisect.js');
  const state = interruptedBisect(ctx.cwd);
  if (!state || !(await import('./bisect.js')).isNodeOf(state, api)) return;
  const label = api.label;
  const on = state.current
    ? `the configuration of snapshot ${state.current.slice(0, 7)}`
    : "a bisect candidate's configuration";
  ctx.log.warn(
    `An interrupted bisect left ${label} with ${on}; run 'sesam bisect reset' to put its original configuration back.`,
  );
}

async function requireDeveloperMode(ctx: CommandContext, api: NodeApi): Promise<void> {
  const info = await api.getInfo();
  const status = info.status;
  const developer =
    typeof status === 'object' &&
    status !== null &&
    !Array.isArray(status) &&
    'developer_mode' in status &&
    Boolean((status as { developer_mode: unknown }).developer_mode);
  if (developer) return;
  const canForce = ctx.command === 'upload' || ctx.command === 'download';
  throw nodeError(
    'The targeted Sesam subscription is not a developer environment, please contact support@sesam.io if this is unexpected.' +
      (canForce ? ' To override this check use -force flag.' : ''),
    { reason: `${api.baseUrl} reports developer_mode off` },
  );
}

/** Connect, run `body`, and always close the node (the embedded node holds a database open). */
export async function withNode<T>(
  ctx: CommandContext,
  opts: ConnectOptions,
  body: (api: ConnectedNode) => Promise<T>,
): Promise<T> {
  const api = await connectNode(ctx, opts);
  try {
    return await body(api);
  } finally {
    await api.close();
  }
}
