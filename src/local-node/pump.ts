// One pipe run and on-demand stage computation. A run reads the source after last-seen (or everything: first
// run, rescan, or a hop dataset changed), adds namespaces, transforms, writes the sink dataset with deletion
// tracking after full reads, and saves last-seen and hop offsets — all in one store transaction.
import type { DatasetProvider } from '../dtl/index.js';
import { isJsonObject, type JsonObject } from '../format/json.js';
import { addNamespaces, removeNamespaces } from './namespaces.js';
import { RECEIVER_DATASET_PREFIX, type PipeDefinition } from './pipes.js';
import { DatasetSinkRun } from './sinks/dataset.js';
import { readSource, type SourceBatch } from './sources/index.js';
import { datasetsPopulated } from './sources/types.js';
import type { DatasetStore, PipeState } from './store.js';
import { applyTransforms, someStep } from './transforms.js';

export interface PumpEnv {
  store: DatasetStore;
  datasets: DatasetProvider;
  /** Milliseconds since the epoch. */
  now: () => number;
  note(message: string): void;
  metadata: JsonObject;
}

export interface PumpResult {
  processed: number;
  written: number;
  full: boolean;
}

export type PipeStageName = 'source' | 'before-transforms' | 'after-transforms' | 'sink';
const STAGES: PipeStageName[] = ['source', 'before-transforms', 'after-transforms', 'sink'];

function nowNs(env: PumpEnv): () => bigint {
  return () => BigInt(env.now()) * 1_000_000n;
}

/**
 * Why the pipe may not run yet, or undefined. dtl-functions-hops.rst: a pipe hopping into a dataset that does not
 * exist or is not populated "won't be allowed to run" until it is; with require_populated_input the same holds
 * for its source datasets. `ready` names datasets that do not block although unpopulated (the runner's own
 * outputs, produced in this run), and `existing` relaxes the check to datasets that exist (on-demand stages).
 */
export function waitingFor(
  def: PipeDefinition,
  store: DatasetStore,
  options: { ready?: ReadonlySet<string>; existing?: boolean } = {},
): string | undefined {
  const blocked = (id: string) => {
    if (options.ready?.has(id)) return false;
    const d = store.dataset(id);
    return !d || (!options.existing && !d.populated);
  };
  const hop = def.hopDatasets.find(blocked);
  if (hop !== undefined) return `waiting for dataset '${hop}' (hopped into) to be populated`;
  if (def.requirePopulatedInput && !options.existing) {
    const populated =
      def.source.type === 'dataset'
        ? !def.sourceDatasets.some(blocked)
        : datasetsPopulated(store, def.source, def.sourceDatasets.filter(blocked));
    if (!populated) return 'waiting for its source datasets to be populated (require_populated_input)';
  }
  return undefined;
}

/** Entities of the pipe at a stage, computed from the source (no state is changed). */
export function computeStage(
  def: PipeDefinition,
  env: PumpEnv,
  options: { stage?: string; since?: string; limit?: number; params?: JsonObject },
): JsonObject[] {
  const stage = (options.stage ?? 'sink') as PipeStageName;
  if (!STAGES.includes(stage)) throw new Error(`unknown stage '${options.stage}' (use ${STAGES.join(', ')})`);
  if (def.runtimeError) throw new Error(`pipe '${def.id}': ${def.runtimeError}`);
  if (stage === 'after-transforms' || stage === 'sink') {
    const waiting = waitingFor(def, env.store, { existing: true });
    if (waiting) {
      env.note(`pipe '${def.id}': ${waiting}; it has no output yet`);
      return [];
    }
  }
  const state: PipeState = { lastSeen: null, depOffsets: {}, extra: { ...env.store.pipeState(def.id).extra } };
  const batch = readSource({ store: env.store, def, state, note: env.note }, options.since ?? null, env.datasets);
  let entities = batch.entities;
  if (stage === 'before-transforms') {
    if (def.addNamespaces) entities = entities.map((e) => addNamespaces(e, def.namespaces));
  } else if (stage !== 'source') {
    entities = processEntities(def, env, entities, options.params);
    if (stage === 'sink' && def.removeNamespaces) entities = entities.map(removeNamespaces);
  }
  return options.limit !== undefined ? entities.slice(0, options.limit) : entities;
}

function checkIfSourceEmpty(def: PipeDefinition, env: PumpEnv, batch: SourceBatch): void {
  const globals = isJsonObject(env.metadata.global_defaults) ? env.metadata.global_defaults : {};
  const policy = def.source.if_source_empty ?? globals.if_source_empty ?? 'accept';
  if (policy === 'fail' && batch.full && batch.entities.length === 0 && def.sinkDataset) {
    const live = env.store.liveIds(def.sinkDataset).length;
    if (live > 0) throw new Error(`the source returned no entities and if_source_empty is "fail"`);
  }
}

function sinkRun(def: PipeDefinition, env: PumpEnv): DatasetSinkRun | undefined {
  if (!def.sinkDataset) return undefined;
  const track = def.sink.track_children;
  return new DatasetSinkRun(env.store, def.sinkDataset, {
    ts: env.now() * 1000,
    pipeId: def.id,
    deletionTracking: def.sink.deletion_tracking !== false,
    trackChildren:
      typeof track === 'boolean' ? track : someStep(def.transforms, (t) => t.dtl?.uses.createChild === true),
  });
}

/**
 * What a node does with a pipe's datasets when the pipe is loaded (changelog 2018-04-26): the sink dataset
 * exists; it is populated at once with set_initial_offset "onload", and for a receiver (http_endpoint source)
 * unless its source says auto_populate_dataset: false; its dead-letter dataset exists and is populated.
 */
export function assertSinkDataset(def: PipeDefinition, store: DatasetStore): void {
  // Dead-letter datasets are asserted and populated when the pipe is loaded (configuration-pump.rst).
  const pump = isJsonObject(def.effective.pump) ? def.effective.pump : {};
  const deadLetters =
    typeof pump.dead_letter_dataset === 'string'
      ? pump.dead_letter_dataset
      : pump.use_dead_letter_dataset === true
        ? `system:dead-letter:${def.id}`
        : undefined;
  if (deadLetters !== undefined) store.setPopulated(deadLetters, true);
  if (!def.sinkDataset) return;
  store.ensureDataset(def.sinkDataset);
  const receiver = def.kind === 'receiver' && def.source.auto_populate_dataset !== false;
  if (receiver || def.sink.set_initial_offset === 'onload') store.setPopulated(def.sinkDataset, true);
}

/**
 * Whether a run populates the sink dataset (configuration-sinks-dataset.rst, set_initial_offset): by default
 * when the source is populated and was consumed; "always" on every successful run; "never", "onload" (done
 * at load) and "initially" (done when the run starts) leave it to others.
 */
function populatesSink(def: PipeDefinition, batch: SourceBatch): boolean {
  const mode = def.sink.set_initial_offset ?? 'if-source-populated';
  if (mode === 'always') return true;
  return mode === 'if-source-populated' && batch.populated !== false;
}

/** For DTL `is-changed`: the previous version of a dataset-source entity (only looked up when rules use it). */
function previousLookup(def: PipeDefinition, env: PumpEnv): ((e: JsonObject) => JsonObject | null) | undefined {
  if (def.source.type !== 'dataset' || def.transforms[0]?.dtl?.uses.isChanged !== true) return undefined;
  const datasetId = String(def.source.dataset);
  return (e) => (typeof e._previous === 'number' ? (env.store.versionAt(datasetId, e._previous) ?? null) : null);
}

function processEntities(def: PipeDefinition, env: PumpEnv, entities: JsonObject[], params?: JsonObject): JsonObject[] {
  const withNs = def.addNamespaces ? entities.map((e) => addNamespaces(e, def.namespaces)) : entities;
  return applyTransforms(def, withNs, {
    datasets: env.datasets,
    params,
    now: nowNs(env),
    note: env.note,
    previous: previousLookup(def, env),
  });
}

/** Run the pipe once: incremental from last-seen, or full when mode is 'full' or a hop dataset changed. */
export function runPump(def: PipeDefinition, env: PumpEnv, mode: 'auto' | 'full'): PumpResult {
  const { store } = env;
  if (def.runtimeError) throw new Error(def.runtimeError);
  return store.transaction(() => {
    const state = store.pipeState(def.id);
    let since = mode === 'full' ? null : state.lastSeen;
    for (const d of def.hopDatasets) {
      const offset = store.dataset(d)?.nextOffset ?? 0;
      if (state.depOffsets[d] !== offset) since = null;
    }
    if (def.sinkDataset && def.sink.set_initial_offset === 'initially') store.setPopulated(def.sinkDataset, true);
    const batch = readSource({ store, def, state, note: env.note }, since, env.datasets);
    checkIfSourceEmpty(def, env, batch);
    const out = processEntities(def, env, batch.entities);
    const sink = sinkRun(def, env);
    if (sink) {
      for (const e of out) sink.write(e);
      sink.finish(batch.full, populatesSink(def, batch));
    }
    state.lastSeen = batch.position;
    state.depOffsets = {};
    for (const d of def.hopDatasets) state.depOffsets[d] = store.dataset(d)?.nextOffset ?? 0;
    store.setPipeState(def.id, state);
    return { processed: batch.entities.length, written: sink?.written ?? 0, full: batch.full };
  });
}

/** Work waiting because a hop dataset changed since the pipe last ran. */
export function dependencyQueue(def: PipeDefinition, store: DatasetStore): Record<string, number> {
  const state = store.pipeState(def.id);
  const queues: Record<string, number> = {};
  for (const d of def.hopDatasets) {
    const offset = store.dataset(d)?.nextOffset ?? 0;
    const before = state.depOffsets[d];
    queues[d] = before === undefined ? (state.lastSeen === null ? 0 : offset) : Math.abs(offset - before);
  }
  return queues;
}

export interface ReceiveParams {
  isFull: boolean;
  isFirst: boolean;
  isLast: boolean;
}

/**
 * JSON push into an http_endpoint source pipe: the entities land in the pipe's receiver dataset and go through
 * namespaces and transforms to the sink right away. The last request of a full sequence deletion-tracks both.
 */
export function receive(def: PipeDefinition, env: PumpEnv, entities: JsonObject[], params: ReceiveParams): PumpResult {
  const { store } = env;
  const receiverId = RECEIVER_DATASET_PREFIX + def.id;
  if (def.runtimeError) throw new Error(def.runtimeError);
  return store.transaction(() => {
    const state = store.pipeState(def.id);
    const ts = env.now() * 1000;
    store.ensureDataset(receiverId);
    let seen =
      params.isFull && !params.isFirst && Array.isArray(state.extra.fullSeen) ? state.extra.fullSeen.map(String) : [];
    let written = 0;
    for (const e of entities) {
      if (typeof e._id !== 'string') throw new Error(`pipe '${def.id}': every posted entity needs a string _id`);
      if (store.write(receiverId, e, ts)) written++;
      if (params.isFull) seen.push(e._id);
    }
    const sink = sinkRun(def, env);
    // auto_populate_dataset: false keeps the sink unpopulated (hops into it wait) until a full sync completes.
    const complete = !params.isFull || params.isLast;
    if (def.sinkDataset && (def.source.auto_populate_dataset !== false || (params.isFull && params.isLast))) {
      store.setPopulated(def.sinkDataset, true);
    }
    if (complete) store.setPopulated(receiverId, true);
    if (params.isFull && params.isLast) {
      const keep = new Set(seen);
      for (const id of store.liveIds(receiverId)) {
        if (!keep.has(id)) store.write(receiverId, { ...store.latest(receiverId, id)!, _deleted: true }, ts);
      }
      seen = [];
      // The sink is rebuilt from the whole receiver dataset so its deletion tracking sees the full sequence.
      if (sink) {
        const all = store.read(receiverId, { history: false, deleted: true });
        for (const e of processEntities(def, env, all)) sink.write(e);
        sink.finish(true, false);
      }
    } else if (sink) {
      for (const e of processEntities(def, env, entities)) sink.write(e);
    }
    state.extra = { ...state.extra, fullSeen: seen };
    store.setPipeState(def.id, state);
    return {
      processed: entities.length,
      written: (sink?.written ?? 0) + written,
      full: params.isFull && params.isLast,
    };
  });
}
