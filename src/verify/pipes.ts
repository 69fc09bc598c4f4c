// Which pipes verify and update look at (reference §6.1): user pipes, classified by their effective config.
import { isJsonObject, type JsonObject } from '../format/json.js';
import type { PipeInfo } from '../node/types.js';

export type PipeKind = 'input' | 'endpoint' | 'internal' | 'output';

const SYSTEM_ORIGINS = ['system', 'search', 'replica', 'aggregator-storage-node'];

/** Not a system pipe, and not a worker-node copy (`:singlenode`) the API sometimes lists. */
export function isUserPipe(pipe: PipeInfo): boolean {
  const metadata = objectAt(pipe.config?.original, 'metadata');
  const origin = metadata.origin ?? 'user';
  if (typeof origin === 'string' && SYSTEM_ORIGINS.includes(origin)) return false;
  return !pipe._id.includes(':singlenode');
}

/** sesam-py's get_pipe_type, in its order: embedded source → input; `*_endpoint` sink → endpoint; ... */
export function classifyPipe(pipe: PipeInfo): PipeKind {
  const source = objectAt(pipe.config?.effective, 'source');
  const sink = objectAt(pipe.config?.effective, 'sink');
  if (source.type === 'embedded') return 'input';
  if (typeof sink.type === 'string' && sink.type.endsWith('_endpoint')) return 'endpoint';
  if ((truthy(source.dataset) || truthy(source.datasets)) && truthy(sink.dataset)) return 'internal';
  if (!truthy(sink.dataset)) return 'output';
  return 'internal';
}

/** The user pipes that tests can cover (output and endpoint pipes), in API order. */
export function testablePipes(pipes: PipeInfo[]): PipeInfo[] {
  return pipes.filter((p) => isUserPipe(p) && ['output', 'endpoint'].includes(classifyPipe(p)));
}

/** The node's config errors for a pipe whose runtime says `is-valid-config: false`, else undefined. */
export function invalidConfigReason(pipe: PipeInfo): string | undefined {
  if (pipe.runtime?.['is-valid-config'] !== false) return undefined;
  const errors = pipe.runtime['config-errors'];
  if (Array.isArray(errors) && errors.length) {
    return errors.map((e) => (isJsonObject(e) && typeof e.msg === 'string' ? e.msg : JSON.stringify(e))).join('; ');
  }
  return 'unknown';
}

function objectAt(value: unknown, key: string): JsonObject {
  if (!isJsonObject(value as never)) return {};
  const child = (value as JsonObject)[key];
  return isJsonObject(child) ? child : {};
}

/** Python truthiness for the JSON values a config holds. */
function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isJsonObject(v as never)) return Object.keys(v as object).length > 0;
  return true;
}
