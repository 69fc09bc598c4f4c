// The embedded Sesam node's engine: what the HTTP routes (src/local-node/http) and the in-process client call.
// It owns the store, turns uploaded config into pipe definitions, pumps pipes, computes stages and publisher
// output, receives JSON pushes and runs the run-until-stable runner. Errors meant for API callers are
// EngineErrors carrying the HTTP status to answer with.
import { randomUUID } from 'node:crypto';
import type { DatasetProvider } from '../dtl/index.js';
import { isJsonObject, stringifyJson, type JsonObject } from '../format/json.js';
import type { PipeInfo } from '../node/types.js';
import { substitute, type Substitution } from './env.js';
import { definePipe, RECEIVER_DATASET_PREFIX, type ConfigError, type PipeDefinition } from './pipes.js';
import { sinkType } from './sinks/index.js';
import {
  assertSinkDataset,
  computeStage,
  dependencyQueue,
  waitingFor,
  receive as receivePush,
  runPump,
  type PumpEnv,
  type PumpResult,
} from './pump.js';
import { runUntilStable, type RunParams } from './runner.js';
import { renderCsv } from './sinks/csv.js';
import { renderXml } from './sinks/xml.js';
import { sourceQueue } from './sources/index.js';
import { inferEntityType } from './entity-types.js';
import { EngineError } from './engine-error.js';
import { NodeStore, type DatasetStore } from './store.js';

export { EngineError };

export interface ValidationError {
  'posted-config': JsonObject;
  'config-errors': { level: 'error' | 'warning'; msg: string; elements: string }[];
}

export type EngineRunParams = RunParams;

interface PipeRuntimeInfo {
  /** The outcome of the last run attempt: failed (with lastError) or waiting for datasets. */
  status: 'ok' | 'failed' | 'waiting' | null;
  lastError: string | null;
  /** The pipe's execution log (newest last, bounded). */
  log: { timestamp: string; event: string; message: string }[];
  disabled: boolean;
  running: boolean;
  lastRun: string | null;
  lastMessage: string | null;
  processed: number;
}

interface RunnerRecord {
  token: string;
  status: 'running' | 'success' | 'failed';
  lines: { timestamp: string; loglevel: string; logdata: string }[];
  stop: boolean;
  result?: JsonObject;
}

const RUNNABLE_OPS = ['start', 'start-rescan', 'reset-rescan'];
const COMMON_OPS = [
  'enable',
  'disable',
  'stop',
  'update-last-seen',
  'set-last-seen-to-end',
  'reset-tracking',
  'discard-retries',
  'discard-inferred-schema',
];

/** DTL's view of the datasets: latest non-deleted entities, cached per dataset version. */
class StoreDatasets implements DatasetProvider {
  private readonly cache = new Map<string, { version: number; entities: JsonObject[] }>();
  constructor(private readonly store: DatasetStore) {}
  entities(datasetId: string): readonly JsonObject[] | undefined {
    if (!this.store.dataset(datasetId)) return undefined;
    const version = this.store.version(datasetId);
    const hit = this.cache.get(datasetId);
    if (hit && hit.version === version) return hit.entities;
    const entities = [...this.store.entities(datasetId, { history: false, deleted: false })];
    this.cache.set(datasetId, { version, entities });
    return entities;
  }
  version(datasetId: string): number {
    return this.store.version(datasetId);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class NodeEngine {
  private readonly store: NodeStore;
  private readonly now: () => number;
  private readonly datasets: DatasetProvider;
  private startTime: number;
  private defs = new Map<string, PipeDefinition>();
  private systemErrors = new Map<string, ConfigError[]>();
  /** The stored metadata entity, kept by rebuild() (every config change): pipe runs read it without a parse. */
  private storedMetadata: JsonObject = {};
  private readonly runtime = new Map<string, PipeRuntimeInfo>();
  private readonly runs = new Map<string, RunnerRecord>();
  private activeRun: RunnerRecord | undefined;
  private lastRun: RunnerRecord | undefined;
  private lastLogTime = 0;

  private constructor(store: NodeStore, now: () => number) {
    this.store = store;
    this.now = now;
    this.datasets = new StoreDatasets(store);
    this.startTime = now();
    this.rebuild();
  }

  static open(options: { dir?: string; memory?: boolean; now?: () => number }): NodeEngine {
    return new NodeEngine(NodeStore.open(options), options.now ?? Date.now);
  }

  close(): void {
    if (this.activeRun) this.activeRun.stop = true;
    this.store.close();
  }

  // --- node ---------------------------------------------------------------------------------------------------

  status(): JsonObject {
    return {
      node_start_time: new Date(this.startTime).toISOString(),
      developer_mode: true,
      'node-type': 'embedded',
      'is-running-pipes': this.activeRun !== undefined,
    };
  }

  restart(): void {
    if (this.activeRun) this.activeRun.stop = true;
    const t = this.now();
    this.startTime = t > this.startTime ? t : this.startTime + 1;
    for (const info of this.runtime.values()) info.running = false;
  }

  reset(): void {
    this.store.wipe();
    this.runtime.clear();
    this.rebuild();
    this.restart();
  }

  // --- config, env, secrets -----------------------------------------------------------------------------------

  getConfig(): JsonObject[] {
    return this.store.getConfig();
  }

  private metadata(config: JsonObject[] = this.store.getConfig()): JsonObject {
    return config.find((e) => e.type === 'metadata' || e._id === 'node') ?? {};
  }

  private validate(
    entities: JsonObject[],
    env: JsonObject,
  ): { errors: ValidationError[]; defs: Map<string, PipeDefinition>; systems: Map<string, ConfigError[]> } {
    const errors: ValidationError[] = [];
    const defs = new Map<string, PipeDefinition>();
    const systems = new Map<string, ConfigError[]>();
    const metadataEntity = this.metadata(entities);
    const metaSub: Substitution = { env, missing: [] };
    const metadata = substitute(metadataEntity, metaSub) as JsonObject;
    const secrets = this.store.getSecrets();
    const seen = new Set<string>();
    for (const entity of entities) {
      const list: ConfigError[] = [];
      const id = entity._id;
      if (typeof id !== 'string' || id === '') {
        list.push({ level: 'error', msg: "Every config entity needs a string '_id'", elements: "$['_id']" });
      } else if (seen.has(id)) {
        list.push({ level: 'error', msg: `Duplicate _id '${id}'`, elements: "$['_id']" });
      } else if (id.includes('/')) {
        list.push({ level: 'error', msg: `The _id '${id}' must not contain '/'`, elements: "$['_id']" });
      }
      if (typeof id === 'string') seen.add(id);
      const type = entity.type;
      if (type === 'pipe' && typeof id === 'string') {
        const def = definePipe(entity, { metadata, env });
        list.push(...def.errors);
        defs.set(id, def);
      } else if (typeof type === 'string' && type.startsWith('system:')) {
        // A system's own secrets (`/systems/{id}/secrets`, written by connector `authenticate`) count as well.
        const own = typeof id === 'string' ? this.store.getSystemSecrets(id) : {};
        const sub: Substitution = { env, secrets: { ...secrets, ...own }, missing: [] };
        substitute(entity, sub);
        // A node accepts unknown names in systems: only a pipe that uses the system needs them.
        const systemErrors: ConfigError[] = sub.missing.map((m) => ({
          level: 'warning' as const,
          msg: `Unknown ${m.kind === 'ENV' ? 'environment variable' : 'secret'} '${m.name}'`,
          elements: m.path,
        }));
        list.push(...systemErrors);
        if (typeof id === 'string') systems.set(id, systemErrors);
      } else if (type === 'metadata') {
        if (id !== 'node')
          list.push({ level: 'error', msg: "The metadata entity must have _id 'node'", elements: "$['_id']" });
        for (const m of metaSub.missing) {
          list.push({ level: 'warning', msg: `Unknown environment variable '${m.name}'`, elements: m.path });
        }
      } else {
        list.push({
          level: 'error',
          msg: `Unknown config entity type '${String(type)}' (expected "pipe", "system:<kind>" or "metadata")`,
          elements: "$['type']",
        });
      }
      if (list.length) errors.push({ 'posted-config': entity, 'config-errors': list });
    }
    return { errors, defs, systems };
  }

  /** Replace all config. With errors and !force nothing changes; with force bad pipes are kept as invalid. */
  putConfig(entities: JsonObject[], options: { force: boolean }): ValidationError[] {
    if (!Array.isArray(entities) || !entities.every(isJsonObject)) {
      throw new EngineError(400, 'The config must be a JSON array of objects');
    }
    const validated = this.validate(entities, this.store.getEnv());
    const { errors } = validated;
    const refused = errors.some((e) => e['config-errors'].some((c) => c.level === 'error'));
    if (refused && !options.force) return errors;
    this.store.replaceConfig(entities);
    this.store.dropSystemSecretsExcept(
      entities.filter((e) => typeof e.type === 'string' && e.type.startsWith('system:')).map((e) => String(e._id)),
    );
    // Without errors (so no duplicate or missing ids) what was validated is what was stored: the definitions are
    // installed as they are, not made again from the stored config.
    this.rebuild(refused ? undefined : { config: entities, validated });
    return errors;
  }

  /** Recompute pipe definitions from stored config and env; pipes whose effective config changed start over. */
  private rebuild(given?: { config: JsonObject[]; validated: ReturnType<NodeEngine['validate']> }): void {
    const previous = this.defs;
    const config = given?.config ?? this.store.getConfig();
    const { defs, systems } = given?.validated ?? this.validate(config, this.store.getEnv());
    this.defs = defs;
    this.systemErrors = systems;
    // Read once: parsing the stored config per pipe made uploads and runs quadratic in the number of pipes.
    const meta = this.metadata(config);
    this.storedMetadata = meta;
    for (const [id, def] of defs) {
      const old = previous.get(id);
      if (old && stringifyJson(old.effective) !== stringifyJson(def.effective)) this.store.clearPipeState(id);
      if (!this.runtime.has(id)) {
        const tm = isJsonObject(meta.task_manager) ? meta.task_manager : {};
        this.runtime.set(id, {
          status: null,
          lastError: null,
          log: [],
          disabled: tm.disable_user_pipes === true,
          running: false,
          lastRun: null,
          lastMessage: null,
          processed: 0,
        });
      }
    }
    for (const id of [...this.runtime.keys()]) if (!defs.has(id)) this.runtime.delete(id);
    for (const def of defs.values()) if (def.valid && def.sinkDataset) assertSinkDataset(def, this.store);
  }

  getEnv(): JsonObject {
    return this.store.getEnv();
  }

  putEnv(env: JsonObject): void {
    if (!isJsonObject(env)) throw new EngineError(400, 'The environment variables must be a JSON object');
    this.store.replaceEnv(env);
    this.rebuild();
  }

  getSecretNames(): string[] {
    return Object.keys(this.store.getSecrets());
  }

  putSecrets(values: Record<string, string>, replace: boolean): void {
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'string') throw new EngineError(400, `The secret '${k}' must be a string`);
    }
    this.store.putSecrets(values, replace);
    this.rebuild();
  }

  deleteSecret(name: string): void {
    if (!this.store.deleteSecret(name)) throw new EngineError(404, `No secret named '${name}'`);
    this.rebuild();
  }

  getSystemSecretNames(system: string): string[] {
    this.requireSystem(system);
    return this.store.getSystemSecretNames(system);
  }

  putSystemSecrets(system: string, values: Record<string, string>, replace: boolean): void {
    this.requireSystem(system);
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'string') throw new EngineError(400, `The secret '${k}' must be a string`);
    }
    this.store.putSystemSecrets(system, values, replace);
  }

  deleteSystemSecret(system: string, name: string): void {
    this.requireSystem(system);
    if (!this.store.deleteSystemSecret(system, name))
      throw new EngineError(404, `The system '${system}' has no secret named '${name}'`);
  }

  private requireSystem(id: string): void {
    if (!this.getSystem(id)) throw new EngineError(404, `No system with the id '${id}'`);
  }

  // --- pipes and systems --------------------------------------------------------------------------------------

  private def(id: string): PipeDefinition {
    const def = this.defs.get(id);
    if (!def) throw new EngineError(404, `No pipe with id '${id}'`);
    return def;
  }

  private info(id: string): PipeRuntimeInfo {
    return this.runtime.get(id)!;
  }

  private supportedOperations(def: PipeDefinition): string[] {
    const runnable = def.kind === 'input' || def.kind === 'internal' || def.kind === 'output';
    return runnable ? [...RUNNABLE_OPS, ...COMMON_OPS] : [...COMMON_OPS];
  }

  private pipeRuntime(def: PipeDefinition): JsonObject {
    const info = this.info(def.id);
    const state = this.store.pipeState(def.id);
    const deps = dependencyQueue(def, this.store);
    return {
      state: info.running ? 'Running' : 'Ready',
      'last-run-status': info.status,
      'last-error': info.lastError,
      'runtime-error': def.runtimeError ?? null,
      'is-valid-config': def.valid,
      'config-errors': def.errors.map((e) => ({ ...e })),
      'is-running': info.running,
      'is-disabled': info.disabled,
      dependencies: [...def.hopDatasets],
      queues: { source: def.valid ? sourceQueue({ store: this.store, def }, state.lastSeen) : 0, dependencies: deps },
      'supported-operations': this.supportedOperations(def),
      'last-seen': state.lastSeen,
      'last-run': info.lastRun,
      'next-run': null,
      progress: { processed: info.processed },
      'last-message': info.lastMessage,
      'execution-dataset': `system:pump_execution:${def.id}`,
    };
  }

  private pipeInfo(def: PipeDefinition): PipeInfo {
    return {
      _id: def.id,
      config: { original: def.original, effective: def.effective },
      runtime: this.pipeRuntime(def),
    };
  }

  listPipes(): PipeInfo[] {
    return [...this.defs.values()].map((d) => this.pipeInfo(d));
  }

  getPipe(id: string): PipeInfo | undefined {
    const def = this.defs.get(id);
    return def && this.pipeInfo(def);
  }

  private systemObject(entity: JsonObject): JsonObject {
    const sub: Substitution = { env: this.store.getEnv(), missing: [] };
    const effective = substitute(entity, sub) as JsonObject; // $SECRET stays: values are never returned
    const errors = this.systemErrors.get(String(entity._id)) ?? [];
    return {
      _id: entity._id!,
      config: { original: entity, effective },
      runtime: {
        'is-valid-config': !errors.some((e) => e.level === 'error'),
        'config-errors': errors.map((e) => ({ ...e })),
      },
    };
  }

  listSystems(): JsonObject[] {
    return this.store
      .getConfig()
      .filter((e) => typeof e.type === 'string' && e.type.startsWith('system:'))
      .map((e) => this.systemObject(e));
  }

  getSystem(id: string): JsonObject | undefined {
    return this.listSystems().find((s) => s._id === id);
  }

  // --- pump -----------------------------------------------------------------------------------------------------

  private pumpEnv(note: (message: string) => void = () => {}): PumpEnv {
    return { store: this.store, datasets: this.datasets, now: this.now, note, metadata: this.storedMetadata };
  }

  /** Append to a pipe's execution log and set its last message. */
  private record(def: PipeDefinition, event: string, message: string): void {
    const info = this.info(def.id);
    info.lastMessage = `${event}: ${message}`;
    info.log.push({ timestamp: new Date(this.now()).toISOString(), event, message });
    if (info.log.length > 100) info.log.splice(0, info.log.length - 100);
  }

  /** Run one pipe, recording its runtime info and execution log; rethrows the failure. */
  private runPipe(def: PipeDefinition, mode: 'auto' | 'full', note: (m: string) => void): PumpResult {
    const info = this.info(def.id);
    info.running = true;
    try {
      const result = runPump(def, this.pumpEnv(note), mode);
      info.processed += result.processed;
      info.status = 'ok';
      info.lastError = null;
      const how = result.full ? 'full' : 'incremental';
      this.record(def, 'pump-completed', `${result.processed} processed, ${result.written} written (${how})`);
      return result;
    } catch (err) {
      info.status = 'failed';
      info.lastError = describe(err);
      this.record(def, 'pump-failed', describe(err));
      throw err;
    } finally {
      info.running = false;
      info.lastRun = new Date(this.now()).toISOString();
    }
  }

  private markWaiting(def: PipeDefinition, reason: string): void {
    const info = this.info(def.id);
    if (info.status === 'waiting' && info.lastMessage === `pump-waiting: ${reason}`) return;
    info.status = 'waiting';
    this.record(def, 'pump-waiting', reason);
  }

  /** The pipe's execution log, oldest first. */
  pipeLog(id: string): JsonObject[] {
    this.def(id);
    return this.info(id).log.map((l) => ({ ...l }));
  }

  pump(id: string): JsonObject {
    const def = this.def(id);
    const pumpConfig = isJsonObject(def.effective.pump) ? def.effective.pump : {};
    return { _id: `pump:${id}`, type: 'pump', config: pumpConfig, runtime: this.pipeRuntime(def) };
  }

  pumpOperation(id: string, operation: string, params: Record<string, string>): JsonObject {
    const def = this.def(id);
    if (!this.supportedOperations(def).includes(operation)) {
      throw new EngineError(400, `The pump of pipe '${id}' doesn't support the operation '${operation}'`);
    }
    const info = this.info(id);
    switch (operation) {
      case 'start':
      case 'start-rescan':
      case 'reset-rescan': {
        if (info.running || this.activeRun) {
          throw new EngineError(409, `The pump of pipe '${id}' is already running`, this.pump(id));
        }
        if (!def.valid) throw new EngineError(400, `The pipe '${id}' has invalid config and cannot run`);
        if (operation === 'reset-rescan') this.store.clearPipeState(id);
        const waiting = waitingFor(def, this.store);
        if (waiting) {
          this.markWaiting(def, waiting);
          break;
        }
        try {
          this.runPipe(def, operation === 'start' ? 'auto' : 'full', () => {});
        } catch {
          // A failed run is reported in the pump's last-message, as a real node does; the request itself succeeds.
        }
        break;
      }
      case 'enable':
      case 'disable':
        info.disabled = operation === 'disable';
        break;
      case 'update-last-seen': {
        const state = this.store.pipeState(id);
        const value = params['last-seen'];
        state.lastSeen = value === undefined || value === '' ? null : value;
        if (state.lastSeen === null) state.depOffsets = {};
        this.store.setPipeState(id, state);
        break;
      }
      case 'set-last-seen-to-end': {
        const state = this.store.pipeState(id);
        if (def.source.type === 'dataset') {
          const d = this.store.dataset(String(def.source.dataset));
          state.lastSeen = d && d.nextOffset > 0 ? String(d.nextOffset - 1) : null;
        }
        this.store.setPipeState(id, state);
        break;
      }
      case 'reset-tracking': {
        const state = this.store.pipeState(id);
        state.depOffsets = {};
        this.store.setPipeState(id, state);
        break;
      }
      default: // stop, discard-retries, discard-inferred-schema: nothing to do on an idle embedded pump
        break;
    }
    return this.pump(id);
  }

  pipeEntities(id: string, options: { stage?: string; since?: string; limit?: number }): JsonObject[] {
    const def = this.def(id);
    if (!def.valid) throw new EngineError(400, `The pipe '${id}' has invalid config`);
    try {
      return computeStage(def, this.pumpEnv(), options);
    } catch (err) {
      if (err instanceof EngineError) throw err;
      throw new EngineError(500, `Pipe '${id}' failed to compute its entities: ${describe(err)}`);
    }
  }

  /**
   * The entity type inferred from the pipe's entities at `stage` (`/pipes/{id}/entity-types/{stage}`), when the
   * pipe or the node metadata's global_defaults turn `infer_pipe_entity_types` on; `{}` otherwise, as on a
   * developer node where inference is off by default.
   */
  pipeEntityTypes(id: string, stage: 'source' | 'sink'): JsonObject {
    const def = this.def(id);
    const defaults = this.metadata().global_defaults;
    const own = def.effective.infer_pipe_entity_types;
    const enabled =
      typeof own === 'boolean' ? own : isJsonObject(defaults) && defaults.infer_pipe_entity_types === true;
    if (!enabled) return {};
    return inferEntityType(id, stage, this.pipeEntities(id, { stage }));
  }

  publish(
    id: string,
    endpoint: string,
    params: Record<string, string>,
  ): { contentType: string; body: string | Uint8Array } {
    const def = this.defs.get(id);
    const typeName = def ? String(def.sink.type) : '';
    if (!def || !typeName.endsWith('_endpoint'))
      throw new EngineError(404, `No publisher '${id}': the pipe has no endpoint sink`);
    const wanted = endpoint === 'json' ? 'entities' : endpoint;
    const served = sinkType(typeName)?.endpoint;
    if (served === undefined) {
      throw new EngineError(
        404,
        `Publisher '${id}': the sink type '${typeName}' is not supported by the embedded node`,
      );
    }
    if (served !== wanted) {
      throw new EngineError(404, `Publisher '${id}' serves '${served}', not '${endpoint}'`);
    }
    const { since, limit, ...rest } = params;
    const limitNumber = limit === undefined ? undefined : Number(limit);
    if (limitNumber !== undefined && !Number.isInteger(limitNumber))
      throw new EngineError(400, 'limit must be an integer');
    let entities: JsonObject[];
    try {
      const bound = Object.keys(rest).length ? (rest as JsonObject) : undefined;
      entities = computeStage(def, this.pumpEnv(), { stage: 'sink', since, limit: limitNumber, params: bound });
    } catch (err) {
      throw new EngineError(500, `Pipe '${id}' failed to compute its entities: ${describe(err)}`);
    }
    try {
      if (wanted === 'entities')
        return { contentType: 'application/json; charset=utf-8', body: stringifyJson(entities) };
      if (wanted === 'csv') return { contentType: 'text/csv; charset=utf-8', body: renderCsv(entities, def.sink) };
      return { contentType: 'application/xml; charset=utf-8', body: renderXml(entities, def.sink) };
    } catch (err) {
      throw new EngineError(500, `Publisher '${id}' failed: ${describe(err)}`);
    }
  }

  receive(id: string, entities: JsonObject[], params: Record<string, string>): void {
    const def = this.def(id);
    if (def.kind !== 'receiver') {
      throw new EngineError(400, `The pipe '${id}' has no http_endpoint source, so it cannot receive entities`);
    }
    if (!def.valid) throw new EngineError(400, `The pipe '${id}' has invalid config`);
    if (!Array.isArray(entities) || !entities.every(isJsonObject)) {
      throw new EngineError(400, `Pipe '${id}': the posted body must be an entity or a list of entities`);
    }
    const flag = (name: string, fallback: boolean) =>
      params[name] === undefined ? fallback : params[name]!.toLowerCase() === 'true';
    const isFull = flag('is_full', false);
    try {
      const result = receivePush(def, this.pumpEnv(), entities, {
        isFull,
        isFirst: flag('is_first', true),
        isLast: flag('is_last', true),
      });
      this.info(id).processed += result.processed;
    } catch (err) {
      throw new EngineError(400, `Pipe '${id}' could not process the posted entities: ${describe(err)}`);
    }
  }

  // --- runner ---------------------------------------------------------------------------------------------------

  private timestamp(): string {
    let t = this.now();
    if (t <= this.lastLogTime) t = this.lastLogTime + 1;
    this.lastLogTime = t;
    return new Date(t).toISOString();
  }

  private async execute(record: RunnerRecord, params: EngineRunParams): Promise<JsonObject> {
    const log = (level: 'INFO' | 'WARNING' | 'ERROR', data: string) =>
      record.lines.push({ timestamp: this.timestamp(), loglevel: level, logdata: data });
    const notes = new Set<string>();
    let result: JsonObject;
    try {
      result = await runUntilStable(
        {
          pipes: () => [...this.defs.values()],
          runPipe: (def, mode) =>
            this.runPipe(def, mode, (m) => {
              if (!notes.has(m)) log('WARNING', m);
              notes.add(m);
            }),
          waiting: (def, ready) => waitingFor(def, this.store, { ready }),
          markWaiting: (def, reason) => this.markWaiting(def, reason),
          pending: (def) => {
            const state = this.store.pipeState(def.id);
            const deps = dependencyQueue(def, this.store);
            return (
              sourceQueue({ store: this.store, def }, state.lastSeen) + Object.values(deps).reduce((a, b) => a + b, 0)
            );
          },
          resetPipe: (def) => this.store.clearPipeState(def.id),
          deleteDataset: (id) => this.store.deleteDataset(id),
          assertSink: (def) => assertSinkDataset(def, this.store),
          now: this.now,
          log,
          stopped: () => record.stop,
        },
        params,
      );
    } catch (err) {
      log('ERROR', `Run failed: ${describe(err)}`);
      result = { status: 'failed', additional_info: describe(err) };
    }
    record.status = result.status === 'success' ? 'success' : 'failed';
    record.result = result;
    if (this.activeRun === record) this.activeRun = undefined;
    return result;
  }

  private begin(): RunnerRecord {
    if (this.activeRun) throw new EngineError(409, 'The pipe runner is already running');
    const record: RunnerRecord = { token: randomUUID(), status: 'running', lines: [], stop: false };
    this.runs.set(record.token, record);
    this.activeRun = record;
    this.lastRun = record;
    return record;
  }

  runAllPipes(params: EngineRunParams): Promise<JsonObject> {
    return this.execute(this.begin(), params);
  }

  startRunAllPipes(params: EngineRunParams): string {
    const record = this.begin();
    void this.execute(record, params);
    return record.token;
  }

  runnerStatus(token: string): JsonObject {
    const record = this.runs.get(token);
    return { status: record ? record.status : 'not-running' };
  }

  runnerLog(options: { since?: string; token?: string }): JsonObject[] {
    const record = options.token ? this.runs.get(options.token) : this.lastRun;
    if (!record) return [];
    const lines = options.since ? record.lines.filter((l) => l.timestamp > options.since!) : record.lines;
    return lines.map((l) => ({ ...l }));
  }

  stopRunner(): void {
    if (this.activeRun) this.activeRun.stop = true;
  }

  // --- datasets -------------------------------------------------------------------------------------------------

  private datasetObject(id: string): JsonObject | undefined {
    const d = this.store.dataset(id);
    if (!d) return undefined;
    const counts = this.store.counts(id);
    return {
      _id: id,
      runtime: {
        populated: d.populated,
        'count-index-exists': counts.exists,
        'count-index-deleted': counts.deleted,
        'count-log-exists': counts.log,
        queues: { size: 0 },
      },
    };
  }

  listDatasets(): JsonObject[] {
    return this.store.listDatasets().map((d) => this.datasetObject(d.id)!);
  }

  getDataset(id: string): JsonObject | undefined {
    return this.datasetObject(id);
  }

  datasetEntities(
    id: string,
    params: { since?: string; limit?: number; history?: boolean; deleted?: boolean },
  ): JsonObject[] {
    if (!this.store.dataset(id)) throw new EngineError(404, `No dataset with id '${id}'`);
    let since: number | undefined;
    if (params.since !== undefined && params.since !== '') {
      since = Number(params.since);
      if (!Number.isInteger(since))
        throw new EngineError(400, `since must be an integer offset (got '${params.since}')`);
    }
    return this.store.read(id, { since, limit: params.limit, history: params.history, deleted: params.deleted });
  }

  deleteDataset(id: string): void {
    this.store.deleteDataset(id);
    if (id.startsWith(RECEIVER_DATASET_PREFIX)) return;
    for (const def of this.defs.values()) {
      if (def.sinkDataset === id) this.store.clearPipeState(def.id);
    }
  }
}
