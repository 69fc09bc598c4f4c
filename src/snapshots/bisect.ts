// Bisect bookkeeping: the candidate list, the choice of the next snapshot to test (skips allowed), and the state
// file that makes a bisect resumable after a crash — it also keeps the node's original configuration until it is
// back on the node.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { usageError } from '../errors.js';
import { parseJson, stringifyJson, isJsonObject, type JsonObject } from '../format/json.js';
import { writeFileAtomic } from '../workspace/files.js';
import type { NodeSnapshot } from './restore.js';
import { discoverRepo } from './discover.js';
import { shortOid } from './refs.js';
import type { SnapshotStore } from './store.js';

export type Verdict = 'good' | 'bad' | 'skip';

export interface VerdictRecord {
  verdict: Verdict;
  /** Failed test specs (plus untested output pipes) for good/bad. */
  failed?: number;
  /** Why a step was skipped. */
  reason?: string;
}

/** The snapshots after `good` up to and including `bad`, oldest first, along first parents. */
export async function bisectCandidates(
  store: SnapshotStore,
  good: string,
  bad: string,
  names: { good: string; bad: string },
): Promise<string[]> {
  if (good === bad) throw usageError(`--good and --bad are the same commit (${shortOid(good)})`);
  const out: string[] = [];
  let current: string | undefined = bad;
  while (current && current !== good) {
    out.push(current);
    current = (await store.readCommit(current)).parents[0];
  }
  if (current !== good) {
    throw usageError(`--good ${names.good} is not an earlier snapshot of --bad ${names.bad}`, {
      hint: "both must be on one snapshot branch (see 'sesam log'), --good before --bad",
    });
  }
  return out.reverse();
}

export type NextStep = { test: number } | { firstBad: number } | { between: number[] };

/**
 * Given the verdicts so far, the next candidate to test, or the answer. `bad` (the last candidate) is bad and
 * `good` (before the first) is good by definition; skipped candidates are routed around.
 */
export function nextStep(candidates: string[], verdicts: Record<string, VerdictRecord>): NextStep {
  const v = (i: number) => verdicts[candidates[i]!]?.verdict;
  let hi = candidates.length - 1;
  for (let i = 0; i < hi; i++) if (v(i) === 'bad') hi = i;
  let lo = -1;
  for (let i = hi - 1; i >= 0; i--)
    if (v(i) === 'good') {
      lo = i;
      break;
    }
  const open: number[] = [];
  for (let i = lo + 1; i < hi; i++) if (v(i) === undefined) open.push(i);
  if (!open.length) {
    if (hi === lo + 1) return { firstBad: hi };
    return { between: Array.from({ length: hi - lo }, (_, k) => lo + 1 + k) };
  }
  const mid = (lo + hi) / 2;
  open.sort((a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b);
  return { test: open[0]! };
}

export interface BisectState {
  version: 1;
  good: string;
  bad: string;
  expectedAt: string;
  node: string;
  candidates: string[];
  verdicts: Record<string, VerdictRecord>;
  /** The node's configuration before the bisect; kept until it is back on the node. */
  original?: { configZip: string; env: string };
  /** False while a candidate's configuration is on the node. */
  nodeRestored: boolean;
  /** The snapshot whose configuration is on the node while nodeRestored is false. */
  current?: string;
}

export function statePath(store: SnapshotStore): string {
  return join(store.repo.gitDir, 'sesam-bisect.json');
}

export function readState(path: string): BisectState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as BisectState;
    if (state.version !== 1 || !Array.isArray(state.candidates)) throw new Error('unknown format');
    return state;
  } catch (err) {
    throw usageError(`Unreadable bisect state ${path}`, {
      reason: (err as Error).message,
      hint: 'delete it to start over',
    });
  }
}

export function writeState(path: string, state: BisectState): void {
  writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`);
}

export function removeState(path: string): void {
  rmSync(path, { force: true });
}

export function encodeOriginal(saved: NodeSnapshot): { configZip: string; env: string } {
  return { configZip: Buffer.from(saved.configZip).toString('base64'), env: stringifyJson(saved.env) };
}

export function decodeOriginal(stored: { configZip: string; env: string }): NodeSnapshot {
  const env = parseJson(stored.env);
  return {
    configZip: new Uint8Array(Buffer.from(stored.configZip, 'base64')),
    env: (isJsonObject(env) ? env : {}) as JsonObject,
  };
}

/**
 * The state of a bisect that was cut short while a candidate's configuration was on the node, read without
 * starting git (every online command asks); undefined when there is none.
 */
export function interruptedBisect(projectDir: string): BisectState | undefined {
  let path: string;
  try {
    path = join(discoverRepo(projectDir).gitDir, 'sesam-bisect.json');
  } catch {
    return undefined; // not a repository, or an unreadable .git file: the snapshot commands report that
  }
  try {
    const state = readState(path);
    return state && !state.nodeRestored ? state : undefined;
  } catch {
    return undefined;
  }
}
