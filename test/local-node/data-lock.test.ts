// The data-folder lock on its own: the cases a second process cannot show (same process, pid reuse, other hosts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSesamError } from '../../src/errors.js';
import { acquireDataLock, LOCK_FILE } from '../../src/local-node/data-lock.js';
import { openLocalNode } from '../../src/local-node/index.js';
import { tempDir } from '../helpers/tmp.js';

const failure = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
};

describe('acquireDataLock', () => {
  it('writes "pid host", refuses a second taker in the same process, and frees the folder on release', () => {
    const dir = join(tempDir(), 'state');
    const lock = acquireDataLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    const err = failure(() => acquireDataLock(dir));
    expect(isSesamError(err) && err.message).toMatch(/already open in this process/);
    lock.release();
    lock.release(); // idempotent
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    acquireDataLock(dir).release();
  });

  it('takes over a lock with our own pid that this process does not hold (a restarted container)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid} ${hostname()}\n`);
    acquireDataLock(dir).release();
  });

  it('refuses a lock held on another host, whose pid cannot be checked from here', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid} build-agent-7\n`);
    const err = failure(() => acquireDataLock(dir));
    expect(isSesamError(err) && err.kind).toBe('input');
    expect((err as Error).message).toContain(`in use by pid ${process.pid} on host build-agent-7`);
  });

  it('is taken by openLocalNode for a folder and not for memory', async () => {
    const dir = tempDir();
    const node = await openLocalNode({ dir });
    await expect(openLocalNode({ dir })).rejects.toThrow(/already open/);
    const memory = await openLocalNode({ memory: true });
    await memory.close();
    await node.close();
    const again = await openLocalNode({ dir });
    await again.close();
  });
});
