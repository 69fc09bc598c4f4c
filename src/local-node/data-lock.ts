// One process per node data folder. Two engines on one SQLite store each keep their own view of pipes, runs and
// sequence numbers and overwrite each other's state, so `sesam serve` and `--node local` take this lock first.
// The lock is a file holding "pid hostname", created exclusively (link of a complete temp file, so no reader
// ever sees it half-written). A lock whose process is gone (same host, pid not running) is taken over.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { inputError } from '../errors.js';

export const LOCK_FILE = 'node.lock';

export interface DataLock {
  /** Removes the lock file (only while it is still ours); idempotent. */
  release(): void;
}

/** Lock files this process holds: a lock naming our own pid but not listed here is a dead predecessor's. */
const held = new Set<string>();

interface Holder {
  pid: number;
  host: string;
}

/** Lock `dir` (created when missing) for this process, or fail with an input error naming the holder. */
export function acquireDataLock(dir: string): DataLock {
  prepareDir(dir);
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname() };
  const temp = join(dir, `.${LOCK_FILE}.${me.pid}.tmp`);
  try {
    writeFileSync(temp, `${me.pid} ${me.host}\n`);
  } catch (err) {
    throw unusable(dir, err);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(dir, err);
      }
      const holder = readHolder(path);
      if (holder && held.has(path)) throw inputError(`The node data folder ${dir} is already open in this process.`);
      const ours = holder?.pid === me.pid && holder.host === me.host; // a dead predecessor with our pid
      if (holder && !ours && (holder.host !== me.host || isRunning(holder.pid))) {
        throw inputError(`The node data folder ${dir} is in use by pid ${holder.pid}${hostNote(holder, me)}.`, {
          hint: `Stop that process (sesam serve, or a command with --node local), or use another --data folder. If it is gone, delete ${path}.`,
        });
      }
      // Stale (its process is gone) or unreadable: take it over. A second taker racing us fails its link.
      if (attempt > 0) throw inputError(`Cannot lock the node data folder ${dir}: ${path} keeps coming back.`);
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(temp, { force: true });
  }
  held.add(path);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      const holder = readHolder(path);
      if (holder?.pid === me.pid && holder.host === me.host) unlinkSync(path);
    },
  };
}

function prepareDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    throw unusable(dir, err);
  }
}

function unusable(dir: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOTDIR' || code === 'EEXIST'
      ? 'it is a file, or a file is in the way'
      : code === 'EACCES' || code === 'EPERM'
        ? 'no permission to write there'
        : code === 'EROFS'
          ? 'the file system is read-only'
          : (err as Error).message;
  return inputError(`Cannot use ${dir} as the node data folder: ${reason}.`, {
    hint: 'Pass a writable folder with --data DIR, or --memory.',
    cause: err,
  });
}

function readHolder(path: string): Holder | undefined {
  try {
    const [pid, host] = readFileSync(path, 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, host: host ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only asks whether the process exists
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, but belongs to another user
  }
}

function hostNote(holder: Holder, me: Holder): string {
  return holder.host !== me.host ? ` on host ${holder.host}` : '';
}
