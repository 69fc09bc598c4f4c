// The local config zip (dump, convert -dump, and what upload sends): the whitelisted config files with
// `.jinja_vars` substituted, entries in sesam-py's order (pipes, systems, node-metadata). Node-metadata injection
// for upload (§2.6) is upload's business, not done here.
import { createZip } from './zip.js';
import { configFiles, type ConfigFile } from './project.js';
import { substituteJinja } from './jinja.js';
import type { Whitelist } from './whitelist.js';

export interface LocalConfigOptions {
  whitelist?: Whitelist;
  /** From readJinjaVars; undefined or {} substitutes nothing. */
  jinjaVars?: Record<string, string>;
}

/** The config files as they go into the zip (jinja variables substituted). */
export function localConfigEntries(root: string, options: LocalConfigOptions = {}): ConfigFile[] {
  const vars = options.jinjaVars;
  return configFiles(root, options.whitelist).map((file) => ({
    path: file.path,
    text: vars && Object.keys(vars).length > 0 ? substituteJinja(file.text, vars) : file.text,
  }));
}

export function localConfigZip(root: string, options: LocalConfigOptions = {}): Uint8Array {
  return createZip(localConfigEntries(root, options).map((file) => ({ path: file.path, data: file.text })));
}
