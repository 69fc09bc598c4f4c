// `sesam dump` (offline here; sesam-py needed a node for it): write the local config zip, exactly what upload would
// send before node-metadata injection (whitelisted files, .jinja_vars substituted), to ./sesam-config.zip.
// The file is written atomically; nothing else in the project is touched.
import { resolve } from 'node:path';
import { localConfigEntries } from '../workspace/config-zip.js';
import { writeFileAtomic } from '../workspace/files.js';
import { readJinjaVars } from '../workspace/jinja.js';
import { createZip } from '../workspace/zip.js';
import { readWhitelist } from '../workspace/whitelist.js';
import type { CommandContext } from './context.js';

export const CONFIG_ZIP_FILE = 'sesam-config.zip';

export interface DumpResult {
  file: string;
  entries: string[];
}

/** Build the local config zip and write it to <cwd>/sesam-config.zip. Shared by dump and convert -dump. */
export function dumpLocalConfig(ctx: CommandContext): DumpResult {
  const whitelist = ctx.options.whitelistFile ? readWhitelist(resolve(ctx.cwd, ctx.options.whitelistFile)) : undefined;
  const jinjaVars = readJinjaVars(ctx.cwd);
  if (jinjaVars) {
    const names = Object.keys(jinjaVars);
    ctx.log.debug(
      names.length > 0
        ? `Substituting .jinja_vars variables: ${names.join(', ')}`
        : 'No variables found in .jinja_vars.',
    );
  }
  const entries = localConfigEntries(ctx.cwd, { whitelist, jinjaVars });
  if (!entries.some((e) => e.path.startsWith('pipes/')))
    ctx.log.warn('The config zip holds no pipes (no pipes/*.conf.json taking part).');
  writeFileAtomic(resolve(ctx.cwd, CONFIG_ZIP_FILE), createZip(entries.map((e) => ({ path: e.path, data: e.text }))));
  for (const entry of entries) ctx.log.trace(`  ${entry.path}`);
  return { file: CONFIG_ZIP_FILE, entries: entries.map((e) => e.path) };
}

export async function dump(ctx: CommandContext): Promise<number> {
  const result = dumpLocalConfig(ctx);
  if (ctx.options.json) ctx.out.json({ ok: true, file: result.file, entries: result.entries });
  else
    ctx.out.line(
      `Dumped local config to '${result.file}' (${result.entries.length} file${result.entries.length === 1 ? '' : 's'})`,
    );
  return 0;
}
