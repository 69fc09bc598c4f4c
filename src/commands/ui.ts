// `sesam ui [--port N] [--open]`: the web app for this project on loopback, until Ctrl-C. It prints a URL with a
// random token (as Jupyter does); requests without it are refused. Restores run `sesam restore`'s own code.
import { usageError } from '../errors.js';
import type { Output } from '../log.js';
import { openInBrowser } from '../open-browser.js';
import { startUiServer } from '../ui/server.js';
import type { CommandContext } from './context.js';
import { restore } from './restore.js';

export async function ui(ctx: CommandContext): Promise<number> {
  if (ctx.args.length) throw usageError(`'sesam ui' takes no arguments, but got '${ctx.args.join(' ')}'`);
  // Without --port the UI takes a free port: the URL it prints is the way in anyway.
  const requested = ctx.options.port ?? 0;
  if (!Number.isInteger(requested) || requested < 0 || requested > 65535) {
    throw usageError(`--port must be between 0 and 65535, not ${requested}`);
  }
  const server = await startUiServer({
    project: { dir: ctx.cwd, profile: ctx.options.profile },
    env: ctx.env,
    port: requested,
    log: ctx.log,
    restore: (rev, dryRun) => restoreThroughCommand(ctx, rev, dryRun),
  });
  try {
    if (ctx.options.json) ctx.out.json({ url: server.openUrl });
    else ctx.out.line(`sesam ui is running at ${server.openUrl}`);
    ctx.log.info('Open that URL (it holds the access token); press Ctrl-C to stop.');
    if (ctx.options.open) openBrowser(server.openUrl, ctx);
    await aborted(ctx.signal);
  } finally {
    await server.close();
  }
  ctx.log.info('sesam ui stopped.');
  return 0;
}

/** `sesam restore REV --yes --json` (or `--dry-run`) with its JSON document captured instead of printed. */
async function restoreThroughCommand(ctx: CommandContext, rev: string, dryRun: boolean) {
  let doc: Record<string, unknown> = {};
  let wrote = false;
  const out: Output = {
    colors: ctx.out.colors,
    isTTY: false,
    write: () => undefined,
    line: () => undefined,
    json(d) {
      doc = d;
      wrote = true;
    },
    get wroteJson() {
      return wrote;
    },
  };
  await restore({
    ...ctx,
    command: 'restore',
    args: [rev],
    options: { ...ctx.options, yes: true, json: true, dryRun, write: false },
    out,
    prompt: { interactive: false, ask: async () => '', confirm: async () => false },
  });
  return doc;
}

function openBrowser(url: string, ctx: CommandContext): void {
  const warn = (command?: string) =>
    ctx.log.warn(`Could not open a browser (${command ?? 'none found; set BROWSER'}); open the URL yourself.`);
  if (!openInBrowser(url, ctx.env, warn)) warn();
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
