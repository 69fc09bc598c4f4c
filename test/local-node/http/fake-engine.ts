// A small in-memory engine with NodeEngine's public API, to test the HTTP layer on its own: routing, body
// parsing, status codes and error answers. Pipe semantics are the real engine's business and tested there.
import { isJsonObject, stringifyJson, type JsonObject } from '../../../src/format/json.js';
import type { EngineRunParams, ValidationError } from '../../../src/local-node/engine.js';
import type { EngineApi } from '../../../src/local-node/http/engine-api.js';
import type { PipeInfo } from '../../../src/node/types.js';

interface Pump {
  disabled: boolean;
  lastSeen: string | null;
  running: boolean;
}

import { EngineError } from '../../../src/local-node/engine-error.js';

export { EngineError };

const PUMP_OPERATIONS = ['start', 'stop', 'enable', 'disable', 'update-last-seen', 'start-rescan'];

export class FakeEngine implements EngineApi {
  config: JsonObject[] = [];
  env: JsonObject = {};
  secrets: Record<string, string> = {};
  datasets = new Map<string, JsonObject[]>();
  pumps = new Map<string, Pump>();
  received: { id: string; entities: JsonObject[]; params: Record<string, string> }[] = [];
  published: { id: string; endpoint: string; params: Record<string, string> }[] = [];
  runs: EngineRunParams[] = [];
  runnerStops = 0;
  startTime = 1000;
  closed = false;
  /** Set to make the next call of this name throw a plain (unexpected) error. */
  failNext?: string;

  close(): void {
    this.closed = true;
  }
  status(): JsonObject {
    this.check('status');
    return { node_start_time: `t${this.startTime}` };
  }
  restart(): void {
    this.startTime++;
  }
  reset(): void {
    this.startTime++;
    this.config = [];
    this.env = {};
    this.secrets = {};
    this.datasets.clear();
    this.pumps.clear();
  }

  getConfig(): JsonObject[] {
    return this.config.map((e) => ({ ...e }));
  }
  putConfig(entities: JsonObject[], options: { force: boolean }): ValidationError[] {
    const errors: ValidationError[] = [];
    for (const entity of entities) {
      const source = entity.source;
      if (entity.type === 'pipe' && isJsonObject(source) && source.type === 'bogus') {
        errors.push({
          'posted-config': entity,
          'config-errors': [{ level: 'error', msg: "Unknown source type 'bogus'", elements: "$['source']['type']" }],
        });
      }
      if (entity.type === 'pipe' && entity.comment === 'warn') {
        errors.push({
          'posted-config': entity,
          'config-errors': [{ level: 'warning', msg: 'just a warning', elements: '$' }],
        });
      }
    }
    if (errors.some((e) => e['config-errors'].some((c) => c.level === 'error')) && !options.force) return errors;
    this.config = entities.map((e) => ({ ...e }));
    for (const pipe of this.config.filter((e) => e.type === 'pipe')) {
      if (!this.pumps.has(pipe._id as string))
        this.pumps.set(pipe._id as string, { disabled: true, lastSeen: null, running: false });
    }
    return errors;
  }

  getEnv(): JsonObject {
    return { ...this.env };
  }
  putEnv(env: JsonObject): void {
    this.env = { ...env };
  }
  getSecretNames(): string[] {
    return Object.keys(this.secrets).sort();
  }
  putSecrets(values: Record<string, string>, replace: boolean): void {
    this.secrets = replace ? { ...values } : { ...this.secrets, ...values };
  }
  deleteSecret(name: string): void {
    delete this.secrets[name];
  }
  systemSecrets = new Map<string, Record<string, string>>();
  getSystemSecretNames(system: string): string[] {
    return Object.keys(this.systemSecrets.get(system) ?? {}).sort();
  }
  putSystemSecrets(system: string, values: Record<string, string>, replace: boolean): void {
    this.systemSecrets.set(system, replace ? { ...values } : { ...this.systemSecrets.get(system), ...values });
  }
  deleteSystemSecret(system: string, name: string): void {
    delete this.systemSecrets.get(system)?.[name];
  }
  pipeEntityTypes(): JsonObject {
    return {};
  }

  listPipes(): PipeInfo[] {
    return this.config.filter((e) => e.type === 'pipe').map((e) => this.pipeInfo(e));
  }
  getPipe(id: string): PipeInfo | undefined {
    const entity = this.config.find((e) => e.type === 'pipe' && e._id === id);
    return entity ? this.pipeInfo(entity) : undefined;
  }
  private pipeInfo(entity: JsonObject): PipeInfo {
    const id = entity._id as string;
    return {
      _id: id,
      config: { original: entity, effective: { sink: { type: 'dataset', dataset: id }, ...entity } },
      runtime: { state: 'Ready', 'is-valid-config': true, 'is-disabled': this.pumps.get(id)?.disabled ?? true },
    };
  }
  listSystems(): JsonObject[] {
    return this.config
      .filter((e) => String(e.type).startsWith('system'))
      .map((e) => ({ _id: e._id!, config: { original: e } }));
  }
  getSystem(id: string): JsonObject | undefined {
    return this.listSystems().find((s) => s._id === id);
  }

  pump(id: string): JsonObject {
    const p = this.pumps.get(id)!;
    return {
      _id: `pump:${id}`,
      type: 'pump',
      runtime: {
        'is-disabled': p.disabled,
        'is-running': p.running,
        'last-seen': p.lastSeen,
        'supported-operations': PUMP_OPERATIONS,
      },
    };
  }
  pumpOperation(id: string, operation: string, params: Record<string, string>): JsonObject {
    const p = this.pumps.get(id)!;
    switch (operation) {
      case 'enable':
        p.disabled = false;
        break;
      case 'disable':
        p.disabled = true;
        break;
      case 'update-last-seen':
        p.lastSeen = params['last-seen'] || null;
        break;
      case 'start':
        if (p.running) throw new EngineError(409, `The pump of '${id}' is already running.`, this.pump(id));
        p.lastSeen = 'end';
        break;
      default:
        throw new EngineError(400, `The pump of '${id}' doesn't support the operation '${operation}'.`);
    }
    return this.pump(id);
  }
  pipeLog(id: string): JsonObject[] {
    this.check('pipeLog');
    if (!this.config.some((e) => e._id === id)) throw new EngineError(404, `No pipe with id '${id}'`);
    return [];
  }
  pipeEntities(id: string, options: { stage?: string; since?: string; limit?: number }): JsonObject[] {
    this.check('pipeEntities');
    const pipe = this.config.find((e) => e._id === id)!;
    const source = pipe.source as JsonObject;
    const entities = ((source.entities ?? []) as JsonObject[]).map((e) =>
      options.stage ? { ...e, stage: options.stage } : e,
    );
    return entities.slice(0, options.limit ?? entities.length);
  }
  publish(
    id: string,
    endpoint: string,
    params: Record<string, string>,
  ): { contentType: string; body: string | Uint8Array } {
    this.published.push({ id, endpoint, params });
    const entities = this.pipeEntities(id, {});
    if (endpoint === 'entities')
      return { contentType: 'application/json; charset=utf-8', body: stringifyJson(entities) };
    if (endpoint === 'csv')
      return { contentType: 'text/csv; charset=utf-8', body: `${entities.map((e) => String(e._id)).join('\r\n')}\r\n` };
    throw new EngineError(404, `The pipe '${id}' has no '${endpoint}' endpoint.`);
  }
  receive(id: string, entities: JsonObject[], params: Record<string, string>): void {
    this.received.push({ id, entities, params });
  }

  async runAllPipes(params: EngineRunParams): Promise<JsonObject> {
    this.runs.push(params);
    return { status: 'success' };
  }
  startRunAllPipes(params: EngineRunParams): string {
    this.runs.push(params);
    return `run-${this.runs.length}`;
  }
  runnerStatus(token: string): JsonObject {
    return { status: /^run-\d+$/.test(token) ? 'success' : 'not-running' };
  }
  runnerLog(options: { since?: string; token?: string }): JsonObject[] {
    const lines = [
      { timestamp: '2026-01-01T00:00:01Z', loglevel: 'INFO', logdata: 'pass 0' },
      { timestamp: '2026-01-01T00:00:02Z', loglevel: 'INFO', logdata: `done ${options.token ?? ''}` },
    ];
    return lines.filter((l) => options.since === undefined || l.timestamp > options.since);
  }
  stopRunner(): void {
    this.runnerStops++;
  }

  listDatasets(): JsonObject[] {
    return [...this.datasets.keys()].map((id) => this.getDataset(id)!);
  }
  getDataset(id: string): JsonObject | undefined {
    const entities = this.datasets.get(id);
    return entities ? { _id: id, runtime: { 'count-index-exists': entities.length } } : undefined;
  }
  datasetEntities(
    id: string,
    params: { since?: string; limit?: number; history?: boolean; deleted?: boolean },
  ): JsonObject[] {
    let entities = this.datasets.get(id)!;
    if (params.deleted === false) entities = entities.filter((e) => e._deleted !== true);
    return entities.slice(0, params.limit ?? entities.length).map((e) => ({ ...e, _history: params.history ?? null }));
  }
  deleteDataset(id: string): void {
    this.datasets.delete(id);
  }

  private check(name: string): void {
    if (this.failNext === name) {
      this.failNext = undefined;
      throw new Error(`the ${name} store is broken`);
    }
  }
}
