// Run until stable (sesam-node.md §5): order pipes by their dataset and hop dependencies, reset them and delete
// sink datasets (input datasets only when asked), run inputs and internal pipes once (pass 0), then rerun
// internal pipes with pending work until `extraZeroRuns` passes change nothing. Endpoint, output and receiver
// pipes are never pumped. A pipe that hops into a dataset that no pipe of the run produces, or whose producer
// failed or waits, waits until it is populated (not a failure). A failing pipe is recorded and left out of the rest of the run; every other pipe still runs,
// and the run ends failed listing every failure (input pipes only with check_input_pipes). maxRuns, maxRunTime
// and stop end the run at once.
import type { JsonObject } from '../format/json.js';
import type { PipeDefinition } from './pipes.js';
import { RECEIVER_DATASET_PREFIX } from './sources/index.js';
import type { PumpResult } from './pump.js';

export interface RunParams {
  extraZeroRuns: number;
  maxRuns: number;
  /** Seconds. */
  maxRunTime: number;
  deleteInputDatasets: boolean;
  checkInputPipes: boolean;
  resetPipesAndDeleteSinkDatasets: boolean;
  outputRunStatistics: boolean;
}

export interface RunnerHost {
  /** Pipe definitions in config order. */
  pipes(): PipeDefinition[];
  runPipe(def: PipeDefinition, mode: 'auto' | 'full'): PumpResult;
  /** Why the pipe may not run yet (see pump.ts waitingFor), or undefined; `ready` datasets never block. */
  waiting(def: PipeDefinition, ready: ReadonlySet<string>): string | undefined;
  /** Record that the pipe is waiting (its runtime's last message). */
  markWaiting(def: PipeDefinition, reason: string): void;
  /** Pending work of a pipe: source queue plus dependency queues. */
  pending(def: PipeDefinition): number;
  resetPipe(def: PipeDefinition): void;
  deleteDataset(id: string): void;
  /** Assert the pipe's sink dataset as a node does when the pipe is loaded (see pump.ts assertSinkDataset). */
  assertSink(def: PipeDefinition): void;
  /** Milliseconds, for maxRunTime only. */
  now(): number;
  log(level: 'INFO' | 'WARNING' | 'ERROR', data: string): void;
  stopped(): boolean;
}

/** Datasets a pipe reads: source datasets and hop datasets. */
function inputsOf(def: PipeDefinition): string[] {
  return [...def.sourceDatasets, ...def.hopDatasets];
}

/** Topological order over dataset edges (producer before consumer); ties and cycles keep config order. */
export function pipeOrder(pipes: PipeDefinition[]): PipeDefinition[] {
  const producers = new Map<string, number[]>();
  pipes.forEach((p, i) => {
    if (!p.sinkDataset) return;
    const list = producers.get(p.sinkDataset) ?? [];
    list.push(i);
    producers.set(p.sinkDataset, list);
  });
  const indegree = pipes.map(() => 0);
  const consumers = pipes.map(() => new Set<number>());
  pipes.forEach((p, i) => {
    for (const d of inputsOf(p)) {
      for (const j of producers.get(d) ?? []) {
        if (j === i || consumers[j]!.has(i)) continue;
        consumers[j]!.add(i);
        indegree[i]!++;
      }
    }
  });
  const done = pipes.map(() => false);
  const order: PipeDefinition[] = [];
  while (order.length < pipes.length) {
    let next = indegree.findIndex((n, i) => n === 0 && !done[i]);
    // A cycle: take the first remaining pipe in config order.
    if (next < 0) next = done.findIndex((d) => !d);
    done[next] = true;
    order.push(pipes[next]!);
    for (const c of consumers[next]!) indegree[c]!--;
  }
  return order;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function runnable(def: PipeDefinition): boolean {
  return def.valid && def.pumpMode !== 'off' && (def.kind === 'input' || def.kind === 'internal');
}

export async function runUntilStable(host: RunnerHost, params: RunParams): Promise<JsonObject> {
  const started = host.now();
  const all = host.pipes();
  const order = pipeOrder(all.filter((p) => p.valid));
  const runPipes = order.filter(runnable);
  host.log(
    'INFO',
    `Running ${runPipes.length} pipes until stable: ${runPipes.map((p) => p.id).join(', ') || '(none)'}`,
  );

  if (params.resetPipesAndDeleteSinkDatasets) {
    for (const def of all) {
      host.resetPipe(def);
      const isInput = def.kind === 'input' || def.kind === 'receiver';
      if (isInput && !params.deleteInputDatasets) continue;
      if (def.sinkDataset) host.deleteDataset(def.sinkDataset);
      if (def.kind === 'receiver') host.deleteDataset(RECEIVER_DATASET_PREFIX + def.id);
    }
  }
  // Pipes can hop into datasets produced later in the order (cycles); those start out empty, not missing.
  for (const def of order) {
    if (def.sinkDataset && (runnable(def) || def.kind === 'receiver')) host.assertSink(def);
  }

  // Datasets this run produces: hopping into them does not wait (ordering and dependency tracking handle them,
  // also in cycles) unless their producer failed or waits itself.
  const ready = new Set<string>();
  for (const def of order)
    if (def.sinkDataset && (runnable(def) || def.kind === 'receiver')) ready.add(def.sinkDataset);
  const failures = new Map<string, string>();
  const waiting = new Map<string, string>();

  let zeroRuns = 0;
  let totalRuns = 0;
  let totalWritten = 0;
  for (let pass = 0; ; pass++) {
    if (pass >= params.maxRuns) {
      return fail(host, `the pipes did not become stable within max_runs=${params.maxRuns} runs`, failures);
    }
    let changes = 0;
    for (const def of runPipes) {
      if (host.stopped()) return fail(host, 'the run was stopped', failures);
      if ((host.now() - started) / 1000 > params.maxRunTime) {
        const info = `the pipes did not become stable within max_run_time=${params.maxRunTime} seconds`;
        return fail(host, info, failures);
      }
      if (failures.has(def.id)) continue;
      const wait = host.waiting(def, ready);
      if (wait) {
        if (waiting.get(def.id) !== wait) host.log('INFO', `Pipe '${def.id}' is ${wait}`);
        waiting.set(def.id, wait);
        host.markWaiting(def, wait);
        if (def.sinkDataset) ready.delete(def.sinkDataset);
        continue;
      }
      const wasWaiting = waiting.delete(def.id);
      if (pass > 0 && !wasWaiting && (def.kind === 'input' || host.pending(def) === 0)) continue;
      let result: PumpResult;
      try {
        const full = (pass === 0 || wasWaiting) && params.resetPipesAndDeleteSinkDatasets;
        result = host.runPipe(def, full ? 'full' : 'auto');
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        failures.set(def.id, reason);
        if (def.sinkDataset) ready.delete(def.sinkDataset);
        if (def.kind === 'input' && !params.checkInputPipes) {
          host.log('WARNING', `Input pipe '${def.id}' failed (ignored without check_input_pipes): ${reason}`);
        } else host.log('ERROR', `Pipe '${def.id}' failed: ${reason}`);
        continue;
      }
      if (def.sinkDataset) ready.add(def.sinkDataset);
      totalRuns++;
      changes += result.written;
      totalWritten += result.written;
      if (params.outputRunStatistics) {
        host.log('INFO', `pass ${pass}: pipe '${def.id}' processed ${result.processed}, wrote ${result.written}`);
      }
      await tick();
    }
    const pending = runPipes.some(
      (d) => d.kind === 'internal' && !failures.has(d.id) && !waiting.has(d.id) && host.pending(d) > 0,
    );
    host.log('INFO', `Pass ${pass} finished: ${changes} changes${pending ? ', pipes with pending work remain' : ''}`);
    zeroRuns = changes === 0 && !pending ? zeroRuns + 1 : 0;
    if (!pending && zeroRuns >= params.extraZeroRuns) break;
    await tick();
  }
  for (const [id, reason] of waiting) host.log('WARNING', `Pipe '${id}' did not run: it is ${reason}`);
  const seconds = ((host.now() - started) / 1000).toFixed(1);
  const summary = `Pipes stable after ${totalRuns} pipe runs, ${totalWritten} dataset changes, ${seconds} s`;
  host.log('INFO', summary);
  const counted = [...failures].filter(([id]) => {
    const def = all.find((d) => d.id === id);
    return def?.kind !== 'input' || params.checkInputPipes;
  });
  if (counted.length) return fail(host, '', new Map(counted));
  return params.outputRunStatistics ? { status: 'success', additional_info: summary } : { status: 'success' };
}

/** The run's failure report: the reason it ended (if any) and every failed pipe with its reason. */
function fail(host: RunnerHost, reason: string, failures: ReadonlyMap<string, string>): JsonObject {
  const pipes = [...failures].map(([id, why]) => `${id}: ${why}`);
  const info = [reason, ...pipes].filter((l) => l !== '').join('; ');
  host.log('ERROR', `Run failed: ${info}`);
  return { status: 'failed', additional_info: info };
}
