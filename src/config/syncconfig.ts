// `.syncconfig`: where sesam-py (sesamclient) keeps the node URL and JWT. Found as sesamclient finds it (the
// named file relative to the current directory first, else the nearest non-empty one walking upwards) and parsed
// leniently: a JSON object, or `KEY=value` / `KEY: value` lines (any key case, several pairs per line, either
// quote style, `#`/`;` comment lines).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject, parseJson, stripBom, type JsonValue } from '../format/json.js';

export interface SyncConfig {
  /** Lowercased keys (JSON keys as written), values with surrounding quotes removed. */
  values: Record<string, string>;
  path: string;
}

export interface SyncConfigSearch {
  /** The file that was used, if any. */
  found?: SyncConfig;
  /** Every path looked at, in order, for "where did you look" messages. */
  searched: string[];
}

/** Strip one pair of matching surrounding quotes, either style. */
export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

// One `key = value` pair, the value quoted or a run of non-blanks; used to split lines holding several pairs.
const PAIR = /\s*([A-Za-z_][\w.-]*)\s*[=:]\s*("[^"]*"|'[^']*'|[^\s"'][^\s]*)\s*/y;

/** Parse the text of a sync config file. Throws an input error naming the file and line on nonsense. */
export function parseSyncConfig(text: string, path: string): Record<string, string> {
  const body = stripBom(text);
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    let value: JsonValue;
    try {
      value = parseJson(trimmed);
    } catch (err) {
      throw inputError(`${path} is not valid JSON.`, { reason: (err as Error).message, file: path });
    }
    if (!isJsonObject(value)) throw inputError(`${path} must hold a JSON object.`, { file: path });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = unquote(v);
    return out;
  }
  const out: Record<string, string> = {};
  const lines = body.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (/^\[[^\]]*\]$/.test(line)) continue; // INI section headers merge into one namespace, as in sesamclient
    const pairs = splitPairs(line);
    if (pairs) {
      for (const [k, v] of pairs) out[k.toLowerCase()] = unquote(v);
      continue;
    }
    const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) {
      throw inputError(`${path} line ${i + 1}: expected KEY=value, got '${line.slice(0, 40)}'.`, {
        file: path,
        line: i + 1,
      });
    }
    out[m[1]!.trim().toLowerCase()] = unquote(m[2]!);
  }
  return out;
}

function splitPairs(line: string): [string, string][] | undefined {
  const pairs: [string, string][] = [];
  PAIR.lastIndex = 0;
  while (PAIR.lastIndex < line.length) {
    const start = PAIR.lastIndex;
    const m = PAIR.exec(line);
    if (!m || PAIR.lastIndex === start) return undefined;
    pairs.push([m[1]!, m[2]!]);
  }
  return pairs.length ? pairs : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Find the sync config: `name` (relative to cwd or absolute) if it is a file, used even when empty; otherwise the
 * first file called `name` in cwd's parents that holds at least one value.
 */
export function findSyncConfig(cwd: string, name: string): SyncConfigSearch {
  const searched: string[] = [];
  const exact = resolve(cwd, name);
  searched.push(exact);
  if (isFile(exact))
    return { found: { path: exact, values: parseSyncConfig(readFileSync(exact, 'utf8'), exact) }, searched };
  if (isAbsolute(name)) return { searched };
  let dir = dirname(resolve(cwd));
  for (;;) {
    const candidate = join(dir, name);
    if (!searched.includes(candidate)) {
      searched.push(candidate);
      if (existsSync(candidate) && isFile(candidate)) {
        const values = parseSyncConfig(readFileSync(candidate, 'utf8'), candidate);
        if (Object.keys(values).length > 0) return { found: { path: candidate, values }, searched };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { searched };
}
