// `sesam format [all|pipes|systems|testdata|expected|FILE]` (offline): configs and test data in sesam-py's portal
// style, expected data in its expected-file style. Every file is parsed before anything is written, and only
// files whose bytes change are rewritten (all together, atomically), so a bad file leaves the project untouched.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { inputError, usageError } from '../errors.js';
import { formatExpected } from '../format/expected.js';
import { formatJson } from '../format/portal.js';
import { applyFileChanges, decodeText, duplicateKeyWarning, parseJsonText } from '../workspace/files.js';
import { isFile, listFiles } from '../workspace/project.js';
import type { CommandContext } from './context.js';

type Folder = 'pipes' | 'systems' | 'testdata' | 'expected';
const FOLDERS: Folder[] = ['pipes', 'testdata', 'systems', 'expected']; // sesam-py's order for `all`

interface Target {
  /** Path relative to the current folder (POSIX), as shown and as the key of the change set. */
  path: string;
  /** Expected data is laid out differently from configs and test data. */
  style: 'portal' | 'expected';
}

export async function format(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 1) {
    throw usageError(`format takes one argument, got ${ctx.args.length}: ${ctx.args.join(' ')}`, {
      hint: 'sesam format [all|pipes|systems|testdata|expected|FILE.json]',
    });
  }
  const what = ctx.args[0] ?? 'all';
  const root = ctx.cwd;
  const targets = collectTargets(root, what, ctx);
  // A single file may live outside the project (sesam-py formats any path): then it alone is the change set.
  const base = targets.some((t) => t.path.startsWith('../')) ? dirname(resolve(root, targets[0]!.path)) : root;

  const expectedOptions = {
    unicodeEncoding: ctx.options.unicodeEncoding,
    disableJsonHtmlEscape: ctx.options.disableJsonHtmlEscape,
  };
  const changes = new Map<string, string>();
  for (const target of targets) {
    const full = resolve(root, target.path);
    const before = readBytes(full, target.path);
    const text = decodeText(before, target.path);
    const value = parseJsonText(text, target.path, (d) => ctx.log.warn(duplicateKeyWarning(target.path, d)));
    const after = target.style === 'expected' ? formatExpected(value, expectedOptions) : formatJson(value);
    if (Buffer.compare(before, Buffer.from(after, 'utf8')) !== 0) {
      changes.set(relative(base, full), after);
      ctx.log.debug(`Formatted ${target.path}${describeChange(before, text, after)}`);
    } else {
      ctx.log.trace(`Unchanged ${target.path}`);
    }
  }
  applyFileChanges(base, changes);

  const formatted = targets.filter((t) => changes.has(relative(base, resolve(root, t.path)))).map((t) => t.path);
  if (ctx.options.json) {
    ctx.out.json({ ok: true, formatted, unchanged: targets.length - formatted.length });
  } else {
    ctx.out.line(`Formatted ${formatted.length} of ${targets.length} file${targets.length === 1 ? '' : 's'}`);
  }
  return 0;
}

function collectTargets(root: string, what: string, ctx: CommandContext): Target[] {
  if (what === 'all' || (FOLDERS as string[]).includes(what)) {
    const folders = what === 'all' ? FOLDERS : [what as Folder];
    const targets: Target[] = [];
    for (const folder of folders) {
      for (const path of folderFiles(root, folder)) {
        targets.push({ path, style: folder === 'expected' ? 'expected' : 'portal' });
      }
    }
    return targets;
  }
  if (!what.toLowerCase().endsWith('.json')) {
    throw usageError(`'${what}' is not something format knows`, {
      hint: 'Give all, pipes, systems, testdata, expected, or a .json file.',
    });
  }
  const full = resolve(ctx.cwd, what);
  if (!isFile(full)) throw inputError(`File not found: ${what}`, { file: what });
  const rel = relative(root, full);
  const path = isAbsolute(rel) ? full : rel.split('\\').join('/');
  // As sesam-py: the first path component naming a known folder decides the style (expected/ -> expected data).
  const folder = path.split('/').find((part) => (FOLDERS as string[]).includes(part));
  if (!folder) ctx.log.warn(`${path} is in none of pipes/, systems/, testdata/, expected/: formatting it as config.`);
  return [{ path, style: folder === 'expected' ? 'expected' : 'portal' }];
}

/** The files `format <folder>` covers: pipes/systems/testdata recursively, expected/ as verify reads it (flat, no specs). */
function folderFiles(root: string, folder: Folder): string[] {
  if (folder === 'expected') {
    return listFiles(root, 'expected', { match: (n) => n.endsWith('.json') && !n.endsWith('.test.json') });
  }
  const caseInsensitive = folder === 'testdata';
  return listFiles(root, folder, {
    recursive: true,
    match: (n) => (caseInsensitive ? n.toLowerCase() : n).endsWith('.json'),
  });
}

function readBytes(full: string, display: string): Buffer {
  try {
    return readFileSync(full);
  } catch (err) {
    throw inputError(`Cannot read ${display}`, { reason: (err as Error).message, file: display, cause: err });
  }
}

/** A short note on what changed, for -v. */
function describeChange(before: Buffer, text: string, after: string): string {
  const notes: string[] = [];
  if (before[0] === 0xef && before[1] === 0xbb && before[2] === 0xbf) notes.push('BOM removed');
  if (text.includes('\r\n')) notes.push('CRLF line endings');
  if (!text.endsWith('\n')) notes.push('final newline added');
  const linesBefore = text.split('\n').length;
  const linesAfter = after.split('\n').length;
  if (linesBefore !== linesAfter) notes.push(`${linesBefore} -> ${linesAfter} lines`);
  else notes.push('layout/key order');
  return ` (${notes.join(', ')})`;
}
