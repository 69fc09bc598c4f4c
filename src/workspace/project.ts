// The project on disk (sesam-py's layout): pipes/ and systems/ configs, node-metadata.conf.json,
// <profile>-env.json, testdata/ and expected/. Paths handed out are POSIX and relative to the project root.
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { compareCodePoints, isJsonObject, type JsonObject } from '../format/json.js';
import { readJsonFile, readText } from './files.js';
import type { Whitelist } from './whitelist.js';

export interface ConfigFile {
  /** POSIX path relative to the root, e.g. `pipes/a.conf.json`. */
  path: string;
  /** UTF-8 text, BOM stripped. */
  text: string;
}

export const NODE_METADATA_FILE = 'node-metadata.conf.json';

/**
 * Is `path` a name a node may send in its config zip (GET /config), and so one that download may write? Only
 * `pipes/<name>.conf.json`, `systems/<name>.conf.json` (one level, as sesam-py's download globs) and
 * node-metadata.conf.json; `<name>` must not be hidden or hold a path separator or control character. Anything
 * else (`.git/config`, `.github/...`, `expected/...`, `package.json`, `../x`) is a node error, never a file.
 */
export function isNodeConfigPath(path: string): boolean {
  if (path === NODE_METADATA_FILE) return true;
  return /^(pipes|systems)\/[^./\\\u0000-\u001f\u007f:][^/\\\u0000-\u001f\u007f:]*\.conf\.json$/.test(path);
}

/**
 * The config files that make up the node config, in zip order: `pipes/**\/*.conf.json`, then
 * `systems/**\/*.conf.json` (each sorted by path), then `node-metadata.conf.json`. With a whitelist only listed
 * files take part (node-metadata included).
 */
export function configFiles(root: string, whitelist?: Whitelist): ConfigFile[] {
  const paths = [
    ...listFiles(root, 'pipes', { recursive: true, match: (name) => name.endsWith('.conf.json') }),
    ...listFiles(root, 'systems', { recursive: true, match: (name) => name.endsWith('.conf.json') }),
  ];
  if (isFile(join(root, NODE_METADATA_FILE))) paths.push(NODE_METADATA_FILE);
  return paths
    .filter((path) => !whitelist || whitelist.allowsFile(path))
    .map((path) => ({ path, text: readText(join(root, path), path) }));
}

/**
 * The profile's env file: `<root>/<profile>-env.json` (the profile may contain '/', `-profile profiles/prod`), or
 * else `<root>/variables/variables-<profile>.json` (the "pipes", "systems", "variables" folder layout).
 */
export function profileEnvPath(root: string, profile: string): string {
  const classic = join(root, `${profile}-env.json`);
  const variables = join(root, 'variables', `variables-${profile}.json`);
  return !isFile(classic) && isFile(variables) ? variables : classic;
}

export function readProfileEnv(root: string, profile: string): JsonObject {
  const path = profileEnvPath(root, profile);
  const display = path.endsWith('-env.json') ? `${profile}-env.json` : `variables/variables-${profile}.json`;
  if (!isFile(path)) {
    throw inputError(`Cannot locate profile file '${display}'`, {
      file: display,
      hint: `Create ${display} (or variables/variables-${profile}.json) holding a JSON object of environment variables, or choose another -profile.`,
    });
  }
  const value = readJsonFile(path, display);
  if (!isJsonObject(value)) throw inputError(`Profile file '${display}' must hold a JSON object`, { file: display });
  return value;
}

/** `testdata/**\/*.json` (extension case-insensitive), sorted; the pipe id is the file name without extension. */
export function testdataFiles(root: string): { path: string; pipeId: string }[] {
  return listFiles(root, 'testdata', { recursive: true, match: (name) => name.toLowerCase().endsWith('.json') }).map(
    (path) => {
      const name = path.slice(path.lastIndexOf('/') + 1);
      return { path, pipeId: name.slice(0, -'.json'.length) };
    },
  );
}

export function expectedDir(root: string): string {
  return join(root, 'expected');
}

/**
 * Files below `<root>/<dir>` as POSIX paths relative to root, sorted by code point. A missing folder gives [].
 * Symlinked files count; symlinked folders are not followed (as os.walk).
 */
export function listFiles(
  root: string,
  dir: string,
  options: { recursive?: boolean; match?: (name: string) => boolean } = {},
): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (options.recursive) walk(child);
      } else if (
        (entry.isFile() || (entry.isSymbolicLink() && isFile(join(root, child)))) &&
        (options.match?.(entry.name) ?? true)
      ) {
        out.push(child);
      }
    }
  };
  walk(dir);
  return out.sort(compareCodePoints);
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
