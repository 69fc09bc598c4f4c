// Reading and writing project files. Reads accept a UTF-8 BOM (sesam-py reads with utf-8-sig). Writes are atomic:
// a temp file in the same folder, then rename, so an interrupted command never leaves half a file; a set of
// changes is applied all-or-nothing.
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describeError, inputError } from '../errors.js';
import { type DuplicateKey, JsonSyntaxError, parseJson, stripBom, type JsonValue } from '../format/json.js';

/**
 * A project file's text: UTF-8, BOM stripped. A missing or unreadable file is an input error naming it, and so
 * is a byte that is not UTF-8 (decoding it as U+FFFD would make `format` rewrite the user's data).
 */
export function readText(path: string, displayPath: string = path): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'File not found' : code === 'EISDIR' ? 'Not a file' : 'Cannot read file';
    throw inputError(`${what}: ${path}`, { reason: describeError(err), file: path, cause: err });
  }
  return decodeText(bytes, displayPath);
}

/** Bytes of a project file as text (see readText); `displayPath` names the file in the error. */
export function decodeText(bytes: Uint8Array, displayPath: string): string {
  if (isUtf8(bytes)) return stripBom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString());
  const at = firstInvalidUtf8(bytes);
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = new TextDecoder().decode(bytes.subarray(lineStart, at)).replace(/^\uFEFF/, '').length + 1;
  const hex = bytes[at]!.toString(16).padStart(2, '0');
  throw inputError(`Not UTF-8 text: ${displayPath}:${line}:${column}`, {
    reason: `the byte 0x${hex} at offset ${at} is not valid UTF-8; save the file as UTF-8`,
    file: displayPath,
    line,
    column,
  });
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (the input has one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [length, min, max] = b < 0x80 ? [1, 0, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : sequenceOf(b);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      // The second byte's range depends on the lead byte (no overlongs, no surrogates, nothing above U+10FFFF).
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return i;
}

function sequenceOf(lead: number): [number, number, number] {
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  return [0, 0, 0];
}

/** The warning for a repeated key: where it is, and that the later value wins (as in Python and on the node). */
export function duplicateKeyWarning(displayPath: string, duplicate: DuplicateKey): string {
  return `Duplicate key '${duplicate.key}' in ${displayPath}:${duplicate.line}:${duplicate.column}; the last value is used.`;
}

/**
 * Parse JSON text, reporting a syntax error as "Invalid JSON in <file>:<line>:<col>" with the cause. Repeated keys
 * go to onDuplicateKey (validate, upload and format warn about them).
 */
export function parseJsonText(
  text: string,
  displayPath: string,
  onDuplicateKey?: (duplicate: DuplicateKey) => void,
): JsonValue {
  try {
    return parseJson(text, { onDuplicateKey });
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      throw inputError(`Invalid JSON in ${displayPath}:${err.line}:${err.column}`, {
        reason: err.message,
        file: displayPath,
        line: err.line,
        column: err.column,
        cause: err,
      });
    }
    throw err;
  }
}

/** Read and parse a JSON file losslessly; errors name `displayPath` (default: the path itself). */
export function readJsonFile(
  path: string,
  displayPath: string = path,
  onDuplicateKey?: (duplicate: DuplicateKey) => void,
): JsonValue {
  return parseJsonText(readText(path, displayPath), displayPath, onDuplicateKey);
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basenameOf(path)}.${randomBytes(6).toString('hex')}.sesam-tmp`);
}

function basenameOf(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** Write a file atomically (temp file in the same folder, then rename), creating parent folders. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Hooks for tests to simulate a failure part-way through applyFileChanges. */
export const fileChangeHooks: { beforeRename?: (path: string, index: number) => void } = {};

interface Step {
  target: string;
  data: string | Uint8Array | null;
  staged?: string; // temp file with the new content, until it is renamed into place
  backup?: string; // the old file, moved aside
  installed?: boolean;
  createdDirs: string[];
}

/**
 * All-or-nothing multi-file change under root: stage every write as a temp file first, then rename; null deletes.
 * On any failure, nothing is changed (roll back what was renamed). Paths are relative to root (POSIX or native).
 */
export function applyFileChanges(root: string, changes: Map<string, string | Uint8Array | null>): void {
  const base = resolve(root);
  const steps: Step[] = [];
  for (const [rel, data] of changes) {
    const target = resolve(base, rel);
    const inside = relative(base, target);
    if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      throw inputError(`Refusing to write outside the project: ${rel}`);
    }
    steps.push({ target, data, createdDirs: [] });
  }
  const discardTemps = () => {
    for (const step of steps) {
      if (step.staged) rmSync(step.staged, { force: true });
      if (step.backup) rmSync(step.backup, { force: true });
    }
  };
  // 1. Stage every new content next to its target: most failures (disk full, permissions) happen here.
  try {
    for (const step of steps) {
      if (step.data === null) continue;
      step.createdDirs = makeDirs(dirname(step.target));
      step.staged = tempPathFor(step.target);
      writeFileSync(step.staged, step.data);
    }
  } catch (err) {
    discardTemps();
    removeCreatedDirs(steps);
    throw err;
  }
  // 2. Move each old file aside and the new one in; on failure undo in reverse order.
  const touched: Step[] = [];
  try {
    steps.forEach((step, index) => {
      fileChangeHooks.beforeRename?.(step.target, index);
      touched.push(step);
      if (existsSync(step.target)) {
        step.backup = tempPathFor(step.target);
        renameSync(step.target, step.backup);
      }
      if (step.staged) {
        renameSync(step.staged, step.target);
        step.staged = undefined;
        step.installed = true;
      }
    });
  } catch (err) {
    for (const step of touched.reverse()) {
      if (step.installed) rmSync(step.target, { force: true });
      if (step.backup) {
        renameSync(step.backup, step.target);
        step.backup = undefined;
      }
    }
    discardTemps();
    removeCreatedDirs(steps);
    throw err;
  }
  discardTemps(); // the backups of replaced and deleted files
}

/** mkdir -p that reports which folders it created (deepest first), so a rollback can remove them again. */
function makeDirs(dir: string): string[] {
  const missing: string[] = [];
  let current = dir;
  while (!existsSync(current)) {
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (missing.length > 0) mkdirSync(dir, { recursive: true });
  return missing;
}

function removeCreatedDirs(steps: Step[]): void {
  const dirs = steps.flatMap((step) => step.createdDirs).sort((a, b) => b.length - a.length); // deepest first
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty or already gone
    }
  }
}
