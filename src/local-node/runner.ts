// Run until stable (sesam-node.md §5): order pipes by their dataset and hop dependencies, reset them and delete
// sink datasets (input datasets only when asked), run inputs and internal pipes once (pass 0), then rerun
// internal pipes with pending work until `extraZeroRuns` passes change nothing. Endpoint, output and receiver
// pipes are never pumped. Fails on maxRuns, maxRunTime, stop, or a failed pump.
import type { JsonObject } from '../format/json.js';
import type { PipeDefinition } from './pipes.js';
import { RECEIVER_DATASET_PREFIX } from './pipes.js';
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
  /** Pending work of a pipe: source queue plus dependency queues. */
  pending(def: PipeDefinition): number;
  resetPipe(def: PipeDefinition): void;
  deleteDataset(id: string): void;
  /** Create an empty dataset if missing (so hops into a not-yet-produced dataset see it empty). */
  ensureDataset(id: string): void;
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
    if (def.sinkDataset && (runnable(def) || def.kind === 'receiver')) host.ensureDataset(def.sinkDataset);
  }

  let zeroRuns = 0;
  let totalRuns = 0;
  let totalWritten = 0;
  for (let pass = 0; ; pass++) {
    if (pass >= params.maxRuns) {
      return fail(host, `the pipes did not become stable within max_runs=${params.maxRuns} runs`);
    }
    let changes = 0;
    for (const def of runPipes) {
      if (host.stopped()) return fail(host, 'the run was stopped');
      if ((host.now() - started) / 1000 > params.maxRunTime) {
        return fail(host, `the pipes did not become stable within max_run_time=${params.maxRunTime} seconds`);
      }
      if (pass > 0 && (def.kind === 'input' || host.pending(def) === 0)) continue;
      let result: PumpResult;
      try {
        result = host.runPipe(def, pass === 0 && params.resetPipesAndDeleteSinkDatasets ? 'full' : 'auto');
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (def.kind === 'input' && !params.checkInputPipes) {
          host.log('WARNING', `Input pipe '${def.id}' failed (ignored without check_input_pipes): ${reason}`);
          continue;
        }
        return fail(host, `${def.id}: ${reason}`);
      }
      totalRuns++;
      changes += result.written;
      totalWritten += result.written;
      if (params.outputRunStatistics) {
        host.log('INFO', `pass ${pass}: pipe '${def.id}' processed ${result.processed}, wrote ${result.written}`);
      }
      await tick();
    }
    const pending = runPipes.some((d) => d.kind === 'internal' && host.pending(d) > 0);
    host.log('INFO', `Pass ${pass} finished: ${changes} changes${pending ? ', pipes with pending work remain' : ''}`);
    zeroRuns = changes === 0 && !pending ? zeroRuns + 1 : 0;
    if (!pending && zeroRuns >= params.extraZeroRuns) break;
    await tick();
  }
  const seconds = ((host.now() - started) / 1000).toFixed(1);
  const summary = `Pipes stable after ${totalRuns} pipe runs, ${totalWritten} dataset changes, ${seconds} s`;
  host.log('INFO', summary);
  return params.outputRunStatistics ? { status: 'success', additional_info: summary } : { status: 'success' };
}

function fail(host: RunnerHost, info: string): JsonObject {
  host.log('ERROR', `Run failed: ${info}`);
  return { status: 'failed', additional_info: info };
}
