// `sesam bisect --good <rev> --bad <rev> [--expected-at <rev>]`: binary search over the snapshots between them —
// put a snapshot's configuration on the node, run, verify against expected/ of one fixed revision — to find the
// first bad snapshot. --good and --bad are tested first: a bisect whose endpoints do not behave as labelled stops.
// Resumable (.git/sesam-bisect.json), steps that could not test are skipped, verdicts are git notes
// (refs/notes/sesam-bisect). The node's original configuration and env always go back at the end, and its pipes
// run again so its datasets match them. `sesam bisect reset` puts the node back after a bisect that was cut short.
import { isSesamError, nodeError, SesamError, usageError } from '../errors.js';
import { stringifyJson } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import {
  bisectCandidates,
  decodeOriginal,
  encodeOriginal,
  nextStep,
  readState,
  removeState,
  statePath,
  writeState,
  type BisectState,
  type VerdictRecord,
} from '../snapshots/bisect.js';
import { expectedFilesAt, type ExpectedFiles } from '../snapshots/expected-at.js';
import { hasConfig } from '../snapshots/node-config.js';
import { writeNote } from '../snapshots/notes.js';
import { openProjectStore } from '../snapshots/open.js';
import { diffProjects, diffToJson, renderDiff, summaryLine } from '../snapshots/project-diff.js';
import { projectFilesAt, resolveRevision } from '../snapshots/project-files.js';
import { BISECT_NOTES_REF, branchLabel, shortOid } from '../snapshots/refs.js';
import { putBack, pushConfig, revisionConfig, saveNode, type NodeSnapshot } from '../snapshots/restore.js';
import type { SnapshotStore } from '../snapshots/store.js';
import { withProgress, type ProgressTask } from '../progress.js';
import type { CommandContext } from './context.js';
import { jinjaVarsOf, metadataFlags, type ConnectedNode } from './restore.js';

export interface BisectDeps {
  connect(ctx: CommandContext): Promise<ConnectedNode>;
  runPipes(ctx: CommandContext, api: NodeApi): Promise<unknown>;
  verifyProject(
    ctx: CommandContext,
    api: NodeApi,
    files: ExpectedFiles,
  ): Promise<{ failed: number; missing?: string[] }>;
}

export async function bisect(ctx: CommandContext): Promise<number | undefined> {
  const { connectNode } = await import('./connect.js');
  const { runPipes } = await import('./run.js');
  const { verifyProject } = await import('./verify.js');
  return bisectWith(ctx, { connect: (c) => connectNode(c), runPipes, verifyProject });
}

/** Failures that mean "this step could not be tested" rather than "this configuration is bad". */
const UNTESTABLE = new Set(['node', 'untestable', 'input']);

export async function bisectWith(ctx: CommandContext, deps: BisectDeps): Promise<number | undefined> {
  if (ctx.args[0] === 'reset' && ctx.args.length === 1) return resetBisect(ctx, deps);
  const { good: goodRev, bad: badRev } = ctx.options;
  if (!goodRev || !badRev) throw usageError('bisect needs --good REV and --bad REV');
  if (ctx.args.length) throw usageError(`bisect takes no arguments; unexpected '${ctx.args[0]}'`);
  const expectedRev = ctx.options.expectedAt ?? goodRev;
  const profile = ctx.options.profile;
  const store = await openProjectStore(ctx.cwd, ctx.env);
  try {
    const good = await resolveRevision(store, goodRev);
    const bad = await resolveRevision(store, badRev);
    const expectedAt = await resolveRevision(store, expectedRev);
    const candidates = await bisectCandidates(store, good, bad, { good: goodRev, bad: badRev });
    const expected = await expectedFilesAt(ctx.cwd, expectedAt, { env: ctx.env });
    if (!expected.list().length)
      throw usageError(`There is no expected/ at ${expectedRev} (${shortOid(expectedAt)}) to verify against`);

    const path = statePath(store);
    let state = readState(path);
    if (state && (state.good !== good || state.bad !== bad || state.expectedAt !== expectedAt)) {
      throw usageError(
        `Another bisect is in progress (good ${shortOid(state.good)}, bad ${shortOid(state.bad)}, expected at ${shortOid(state.expectedAt)})`,
        {
          hint: `run it again with the same --good/--bad/--expected-at to finish it, or delete ${path}`,
        },
      );
    }
    // The node must outlive Ctrl-C: it is connected without the command's abort signal so it can be put back.
    const api = await deps.connect({ ...ctx, signal: new AbortController().signal });
    let original: NodeSnapshot | undefined;
    let outcome: Awaited<ReturnType<typeof search>> | undefined;
    let abandoned = false;
    try {
      if (state && !isNodeOf(state, api)) {
        throw usageError(`The bisect in progress runs against ${state.node}, not ${nodeName(api)}`, {
          hint: `use that node, or delete ${path}`,
        });
      }
      if (state)
        ctx.log.info(
          `Resuming the bisect: ${candidates.filter((c) => state?.verdicts[c]).length} of ${candidates.length} snapshots already judged.`,
        );
      // After a crash the node still holds a candidate: the original is the one saved in the state file.
      original = state?.original && !state.nodeRestored ? decodeOriginal(state.original) : await saveNode(api);
      state = {
        version: 1,
        good,
        bad,
        expectedAt,
        node: nodeName(api),
        candidates,
        verdicts: state?.verdicts ?? {},
        original: encodeOriginal(original),
        nodeRestored: true,
      };
      writeState(path, state);
      const run: BisectRun = { ctx, deps, store, api, state, path, expected };
      await checkEndpoints(run, { good: goodRev, bad: badRev });
      const steps = Math.ceil(Math.log2(candidates.length + 1));
      outcome = await withProgress(ctx, 'Bisecting', steps, (progress) => search(run, progress));
    } catch (err) {
      // Endpoints that lie end this bisect: its state would only repeat the same verdicts.
      if (err instanceof EndpointError) abandoned = true;
      throw err;
    } finally {
      try {
        if (original && state) await restoreNode(ctx, deps, api, original, state, path);
      } finally {
        await api.close();
      }
      if (abandoned) removeState(path);
    }
    removeState(path);
    return await report(ctx, store, candidates, good, state.verdicts, outcome!, profile);
  } finally {
    await store.close();
  }
}

/** What every step of one bisect works with: the node, the snapshots, the state file and expected/. */
interface BisectRun {
  ctx: CommandContext;
  deps: BisectDeps;
  store: SnapshotStore;
  api: NodeApi;
  state: BisectState;
  /** The state file. */
  path: string;
  expected: ExpectedFiles;
}

async function search(run: BisectRun, progress: ProgressTask): Promise<{ firstBad: number } | { between: number[] }> {
  const { ctx, store } = run;
  const { candidates, verdicts } = run.state;
  ctx.log.info(
    `Bisecting ${candidates.length} snapshot${candidates.length === 1 ? '' : 's'} (about ${Math.ceil(Math.log2(candidates.length + 1))} steps).`,
  );
  for (let step = 1; ; step++) {
    const next = nextStep(candidates, verdicts);
    if (!('test' in next)) return next;
    progress.update(step - 1, `step ${step}`);
    if (ctx.signal.aborted) throw new SesamError('interrupted', 'Bisect interrupted');
    const commit = candidates[next.test]!;
    const info = await store.readCommit(commit);
    ctx.log.info(`Step ${step}: testing ${shortOid(commit)} "${info.subject}"`);
    const record = await judge(run, commit);
    const detail =
      record.verdict === 'skip'
        ? `skipped: ${record.reason}`
        : record.verdict === 'bad'
          ? `bad (${record.failed} failing)`
          : 'good';
    ctx.log.info(`  ${shortOid(commit)} is ${detail}`);
  }
}

/** Put a snapshot on the node, run and verify it, and keep the verdict (state file and git note). */
async function judge(run: BisectRun, commit: string): Promise<VerdictRecord> {
  const { ctx, deps, store, api, state, path, expected } = run;
  state.nodeRestored = false;
  state.current = commit;
  writeState(path, state);
  const record = await testCandidate(ctx, deps, store, api, commit, expected);
  state.verdicts[commit] = record;
  writeState(path, state);
  await writeNote(
    store,
    BISECT_NOTES_REF,
    commit,
    stringifyJson({
      verdict: record.verdict,
      failed: record.failed ?? null,
      reason: record.reason ?? null,
      expectedAt: state.expectedAt,
      node: state.node,
    }),
  );
  return record;
}

/** --good and --bad do not behave as labelled, or cannot be tested: the bisect cannot give a true answer. */
class EndpointError extends SesamError {}

/** Test --good and --bad (once per bisect) and stop when they are not what they are labelled. */
async function checkEndpoints(run: BisectRun, names: { good: string; bad: string }): Promise<void> {
  const { ctx, state } = run;
  const against = `expected/ at ${shortOid(state.expectedAt)}`;
  for (const [label, commit, wanted] of [
    ['--good', state.good, 'good'],
    ['--bad', state.bad, 'bad'],
  ] as const) {
    const name = `${label} ${label === '--good' ? names.good : names.bad} (${shortOid(commit)})`;
    let record = state.verdicts[commit];
    if (!record) {
      ctx.log.info(`Checking ${name}`);
      record = await judge(run, commit);
    }
    if (record.verdict === 'skip')
      throw new EndpointError('untestable', `Could not test ${name}; the bisect stopped`, { reason: record.reason });
    if (record.verdict !== wanted) {
      throw new EndpointError(
        'usage',
        wanted === 'good'
          ? `${name} is not good: ${record.failed === 1 ? '1 test fails' : `${record.failed} tests fail`} against ${against}; the bisect stopped`
          : `${name} is not bad: every test passes against ${against}; the bisect stopped`,
        {
          hint:
            wanted === 'good'
              ? 'give an earlier --good, or --expected-at the revision whose expected/ it matches'
              : 'give a later --bad, or --expected-at the revision whose expected/ it should fail',
        },
      );
    }
  }
}

/**
 * Put the node's original configuration and env back, then run its pipes so its datasets no longer hold a
 * candidate's output. When the put-back fails the original stays in the state file for `sesam bisect reset`.
 */
async function restoreNode(
  ctx: CommandContext,
  deps: BisectDeps,
  api: NodeApi,
  original: NodeSnapshot,
  state: BisectState,
  path: string,
): Promise<void> {
  const candidateOnNode = !state.nodeRestored;
  try {
    if (ctx.signal.aborted) await api.stopRunner().catch(() => undefined);
    if (candidateOnNode)
      ctx.log.info(`Putting the original configuration back on ${api.label} (if this is stopped: ${RESET_COMMAND}).`);
    await putBack(api, original);
    state.nodeRestored = true;
    state.current = undefined;
    writeState(path, state);
    ctx.log.info(`Put the original configuration and env back on ${api.label}.`);
  } catch (err) {
    ctx.log.error(`Could not put the original configuration back on ${api.label}; it is kept in ${path}.`);
    throw nodeError(`Could not put the original configuration back on ${api.label}`, {
      reason: describe(err),
      hint: `${RESET_COMMAND} puts the saved configuration back`,
    });
  }
  if (!candidateOnNode) return;
  if (ctx.signal.aborted) {
    ctx.log.warn(`The datasets of ${api.label} still hold a candidate's output: run 'sesam run' to refresh them.`);
    return;
  }
  ctx.log.info(`Running the pipes of ${api.label} so its datasets match its configuration again.`);
  try {
    await deps.runPipes(ctx, api);
  } catch (err) {
    throw nodeError(
      `Put the original configuration back on ${api.label}, but running its pipes failed: its datasets may still hold a candidate's output`,
      { reason: describe(err), hint: "run 'sesam run' to refresh them" },
    );
  }
}

const RESET_COMMAND = "'sesam bisect reset'";

/** The node as the bisect state names it: its snapshot branch label, collision-free (`dev.a.com`, `127.0.0.1-9042`). */
function nodeName(api: Pick<NodeApi, 'baseUrl'>): string {
  return branchLabel(api.baseUrl);
}

/** Is the bisect's node this one? (The first release named it by its short label.) */
export function isNodeOf(state: Pick<BisectState, 'node'>, api: Pick<NodeApi, 'baseUrl' | 'label'>): boolean {
  return state.node === nodeName(api) || state.node === api.label;
}

function describe(err: unknown): string {
  return isSesamError(err) ? `${err.message}${err.reason ? `: ${err.reason}` : ''}` : (err as Error).message;
}

/** `sesam bisect reset`: end the bisect in progress, putting the node back if a candidate is still on it. */
async function resetBisect(ctx: CommandContext, deps: BisectDeps): Promise<undefined> {
  const store = await openProjectStore(ctx.cwd, ctx.env);
  try {
    const path = statePath(store);
    const state = readState(path);
    if (!state) {
      ctx.log.info('No bisect in progress.');
      return;
    }
    if (state.nodeRestored || !state.original) {
      removeState(path);
      ctx.log.info(`Ended the bisect; ${state.node} already has its original configuration.`);
      return;
    }
    const api = await deps.connect({ ...ctx, signal: new AbortController().signal });
    try {
      if (!isNodeOf(state, api))
        throw usageError(`The interrupted bisect left ${state.node} on a candidate, not ${nodeName(api)}`, {
          hint: `run sesam bisect reset with --node for ${state.node}`,
        });
      await restoreNode(ctx, deps, api, decodeOriginal(state.original), state, path);
    } finally {
      await api.close();
    }
    removeState(path);
    ctx.log.success(`Ended the bisect; ${state.node} has its original configuration back.`);
  } finally {
    await store.close();
  }
}

async function testCandidate(
  ctx: CommandContext,
  deps: BisectDeps,
  store: SnapshotStore,
  api: NodeApi,
  commit: string,
  expected: ExpectedFiles,
): Promise<VerdictRecord> {
  try {
    const files = await projectFilesAt(store, commit, ctx.cwd, ctx.options.profile);
    if (!hasConfig(files)) return { verdict: 'skip', reason: 'no configuration in this revision' };
    const target = revisionConfig(files, {
      profile: ctx.options.profile,
      flags: metadataFlags(ctx),
      jinjaVars: await jinjaVarsOf(ctx.cwd),
      describe: (p) => `${p}@${shortOid(commit)}`,
    });
    await pushConfig(api, target, { force: ctx.options.force });
    await deps.runPipes(ctx, api);
    const result = await deps.verifyProject(ctx, api, expected);
    const failed = result.failed + (result.missing?.length ?? 0);
    return failed > 0 ? { verdict: 'bad', failed } : { verdict: 'good', failed: 0 };
  } catch (err) {
    if (ctx.signal.aborted) throw new SesamError('interrupted', 'Bisect interrupted', { cause: err });
    if (isSesamError(err) && UNTESTABLE.has(err.kind))
      return { verdict: 'skip', reason: err.reason ? `${err.message}: ${err.reason}` : err.message };
    throw err;
  }
}

async function report(
  ctx: CommandContext,
  store: SnapshotStore,
  candidates: string[],
  good: string,
  verdicts: Record<string, VerdictRecord>,
  outcome: { firstBad: number } | { between: number[] },
  profile: string,
): Promise<number | undefined> {
  const steps = candidates.filter((c) => verdicts[c]).map((c) => ({ commit: c, ...verdicts[c] }));
  if ('between' in outcome) {
    const list = outcome.between.map((i) => candidates[i]!);
    if (ctx.options.json) ctx.out.json({ firstBad: null, between: list, steps });
    else {
      ctx.out.line('The first bad snapshot is one of these (the others could not be tested):');
      for (const c of list) ctx.out.line(`  ${shortOid(c)} ${(await store.readCommit(c)).subject}`);
    }
    throw new SesamError('untestable', `Bisect could not decide between ${list.length} snapshots`, {
      reason: 'some steps could not be tested',
    });
  }
  const commit = candidates[outcome.firstBad]!;
  const previous = outcome.firstBad > 0 ? candidates[outcome.firstBad - 1]! : good;
  const info = await store.readCommit(commit);
  const diff = diffProjects(
    await projectFilesAt(store, previous, ctx.cwd, profile),
    await projectFilesAt(store, commit, ctx.cwd, profile),
  );
  if (ctx.options.json) {
    ctx.out.json({
      firstBad: { commit, subject: info.subject, date: info.committer.date.toISOString(), trailers: info.trailers },
      previous,
      steps,
      diff: diffToJson(diff),
    });
    return;
  }
  ctx.out.line(`First bad snapshot: ${shortOid(commit)} "${info.subject}" (${info.committer.date.toISOString()})`);
  ctx.out.line(`Changes against ${shortOid(previous)}: ${summaryLine(diff)}`);
  for (const line of renderDiff(diff, ctx.log.verbosity >= 1 ? Infinity : 10)) ctx.out.line(`  ${line}`);
  ctx.out.line(
    `${steps.length} step${steps.length === 1 ? '' : 's'}; verdicts are in git notes: git log --notes=sesam-bisect`,
  );
}
