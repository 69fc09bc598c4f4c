// The -whitelist-file: one path per line (`pipes/x.conf.json`, `systems/y.conf.json`, `node-metadata.conf.json`).
// Like sesam-py: lines are stripped, ids come from `pipes/` and `systems/` lines, and the pipe filter for
// testdata/verify/update applies only when some pipe is listed. Unlike sesam-py, CRLF files work (the `\r` is
// stripped before ids are taken, so `pipes/a.conf.json\r` means pipe `a`, not `a\r`).
import { readFileSync } from 'node:fs';
import { describeError, inputError } from '../errors.js';
import { stripBom } from '../format/json.js';

export interface Whitelist {
  files: Set<string>;
  pipeIds: Set<string>;
  systemIds: Set<string>;
  /** Whether a config file (POSIX path relative to the project root) takes part in upload/status/dump. */
  allowsFile(path: string): boolean;
  /** Whether a pipe's testdata/tests take part: always when the whitelist lists no pipe. */
  allowsPipe(id: string): boolean;
}

export function parseWhitelist(text: string): Whitelist {
  const files = new Set<string>();
  const pipeIds = new Set<string>();
  const systemIds = new Set<string>();
  for (const raw of stripBom(text).split('\n')) {
    const line = raw.trim().replace(/\\/g, '/');
    if (line === '') continue;
    files.add(line);
    if (line.startsWith('pipes/')) pipeIds.add(idOf(line, 'pipes/'));
    else if (line.startsWith('systems/')) systemIds.add(idOf(line, 'systems/'));
  }
  return {
    files,
    pipeIds,
    systemIds,
    allowsFile: (path) => files.has(path.replace(/\\/g, '/')),
    allowsPipe: (id) => pipeIds.size === 0 || pipeIds.has(id),
  };
}

function idOf(line: string, prefix: string): string {
  const rest = line.slice(prefix.length);
  return rest.endsWith('.conf.json') ? rest.slice(0, -'.conf.json'.length) : rest;
}

export function readWhitelist(path: string): Whitelist {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw inputError(`Failed to read whitelist file '${path}'`, { reason: describeError(err), file: path, cause: err });
  }
  return parseWhitelist(text);
}
