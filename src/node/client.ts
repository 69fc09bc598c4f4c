// The Sesam API client: the only module that speaks HTTP to a node. It adds auth and Accept headers, encodes ids,
// bounds every call with a timeout, retries what is safe to retry, parses bodies losslessly and turns every
// failure into a SesamError of kind 'node' with a message a person can act on.
import type { Agent } from 'undici';
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import { attachedJson } from '../format/json-transfer.js';
import type { Logger } from '../log.js';
import {
  configRejectedError,
  httpStatusError,
  malformedError,
  timeoutError,
  unreachableError,
  type CallName,
} from './http-errors.js';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import type { ConfigUploadResult, NodeApi, PipeInfo, PipeStage, RunAllPipesParams, RunnerLogLine } from './types.js';

export interface NodeClientOptions {
  /** `https://host/api` (no trailing slash needed). */
  baseUrl: string;
  jwt?: string;
  log: Logger;
  fetch?: typeof fetch;
  /** Timeout for ordinary calls; default 120 s. Also used for the long calls unless longTimeoutMs is given. */
  timeoutMs?: number;
  /** Timeout for config and bulk data calls; default 600 s (sesamclient's). */
  longTimeoutMs?: number;
  /** Extra attempts for retryable failures; default 3. */
  retries?: number;
  /** First backoff delay in ms; default 500. */
  retryBaseDelayMs?: number;
  /** Injectable wait, so tests do not sleep. */
  sleep?: RetryPolicy['sleep'];
  random?: () => number;
  signal?: AbortSignal;
  label: string;
}

type Expect = 'json' | 'bytes' | 'none';
type TimeoutClass = 'short' | 'long' | 'none';

interface CallSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below the API root, already encoded, starting with `/`. */
  path: string;
  query?: [string, string][];
  body?: () => NonNullable<RequestInit['body']>;
  contentType?: string;
  accept?: string;
  expect: Expect;
  timeout?: TimeoutClass;
  /** Return null instead of throwing on 404. */
  nullOn404?: boolean;
  /** Custom handling of a failed response before the generic mapping (e.g. config validation errors). */
  onError?: (status: number, body: string) => Error | undefined;
}

let insecureAgent: Agent | undefined;

/**
 * fetch without TLS certificate checks, for --skip-tls-verification (sesam-py's `verify=False`): undici's own
 * fetch with an Agent that does not verify. (Node's global fetch bundles another undici, whose dispatcher
 * interface an npm undici Agent does not reliably fit.)
 */
export const insecureFetch: typeof fetch = async (input, init) => {
  // undici takes ~100 ms to import: only --skip-tls-verification needs it.
  const { Agent, fetch: undiciFetch } = await import('undici');
  insecureAgent ??= new Agent({ connect: { rejectUnauthorized: false } });
  // undici's fetch does not know the global Request and FormData classes: let a global Request serialise the
  // body (a FormData gets its multipart boundary) and pass the bytes, so the request has a Content-Length.
  const request = new Request(input, init);
  const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  const response = await undiciFetch(request.url, {
    method: request.method,
    headers: [...request.headers],
    body,
    signal: init?.signal ?? undefined,
    dispatcher: insecureAgent,
  });
  return response as unknown as Response;
};

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_LONG_TIMEOUT_MS = 600_000;
const RETRY_IDEMPOTENT = new Set([429, 502, 503, 504]);
const RETRY_ANY = new Set([429, 503]);

const enc = encodeURIComponent;

/** Python's str(bool), which is what sesam-py puts in run-all-pipes query strings. */
const pyBool = (b: boolean) => (b ? 'True' : 'False');

export function createNodeApi(opts: NodeClientOptions): NodeApi {
  const base = opts.baseUrl.replace(/\/+$/, '');
  // Look the global up per call so test interceptors installed later still see our requests.
  const doFetch: typeof fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const log = opts.log;
  const shortMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const longMs =
    opts.longTimeoutMs ?? (opts.timeoutMs !== undefined ? Math.max(opts.timeoutMs, 0) : DEFAULT_LONG_TIMEOUT_MS);
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY,
    retries: opts.retries ?? DEFAULT_RETRY.retries,
    baseDelayMs: opts.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    sleep: opts.sleep ?? DEFAULT_RETRY.sleep,
    random: opts.random ?? DEFAULT_RETRY.random,
  };
  log.redact(opts.jwt);

  async function call(spec: CallSpec): Promise<{ status: number; json?: JsonValue; bytes?: Uint8Array } | null> {
    const url = new URL(base + spec.path);
    for (const [k, v] of spec.query ?? []) url.searchParams.append(k, v);
    const name: CallName = `${spec.method} ${spec.path}`;
    const idempotent = spec.method !== 'POST';
    const timeoutMs = spec.timeout === 'none' ? undefined : spec.timeout === 'long' ? longMs : shortMs;
    const headers: Record<string, string> = { Accept: spec.accept ?? 'application/json,*/*' };
    if (opts.jwt) headers.Authorization = `Bearer ${opts.jwt}`;
    if (spec.contentType) headers['Content-Type'] = spec.contentType;

    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const timer = timeoutMs !== undefined ? AbortSignal.timeout(timeoutMs) : undefined;
      const signals = [timer, opts.signal].filter((s): s is AbortSignal => s !== undefined);
      const signal = signals.length ? AbortSignal.any(signals) : undefined;
      let res: Response;
      let text: string | undefined;
      let bytes: Uint8Array | undefined;
      try {
        res = await doFetch(url, { method: spec.method, headers, body: spec.body?.(), signal });
        // The embedded node in-process hands its answer over parsed (format/json-transfer.ts): no text to read.
        const parsed = res.ok && spec.expect === 'json' ? attachedJson(res) : undefined;
        if (parsed !== undefined) {
          log.wire(`${spec.method} ${url.href} -> ${res.status} (${Date.now() - started} ms, in-process)`);
          return { status: res.status, json: parsed };
        }
        if (res.ok && spec.expect === 'bytes') bytes = new Uint8Array(await res.arrayBuffer());
        else text = await res.text();
      } catch (err) {
        const ms = Date.now() - started;
        if (opts.signal?.aborted) throw opts.signal.reason ?? err;
        if (timer?.aborted) {
          log.wire(`${spec.method} ${url.href} -> timeout (${ms} ms)`);
          throw timeoutError(name, timeoutMs!);
        }
        log.wire(`${spec.method} ${url.href} -> failed (${ms} ms): ${(err as Error).message}`);
        if (idempotent && attempt <= policy.retries) {
          const delay = backoffDelay(policy, attempt);
          log.debug(
            `Could not reach the node for ${name}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1}/${policy.retries + 1}).`,
          );
          await policy.sleep(delay, opts.signal);
          continue;
        }
        throw unreachableError(base, name, err, url);
      }
      log.wire(`${spec.method} ${url.href} -> ${res.status} (${Date.now() - started} ms)`);

      if (!res.ok) {
        const retryable = idempotent ? RETRY_IDEMPOTENT : RETRY_ANY;
        if (retryable.has(res.status) && attempt <= policy.retries) {
          const delay = backoffDelay(policy, attempt, res.headers.get('retry-after'));
          log.debug(
            `The node answered ${res.status} to ${name}; retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1}/${policy.retries + 1}).`,
          );
          await policy.sleep(delay, opts.signal);
          continue;
        }
        if (res.status === 404 && spec.nullOn404) return null;
        const custom = spec.onError?.(res.status, text ?? '');
        if (custom) throw custom;
        throw httpStatusError(name, res.status, res.statusText, text ?? '', attempt);
      }

      if (spec.expect === 'bytes') return { status: res.status, bytes };
      if (spec.expect === 'none') return { status: res.status };
      try {
        return { status: res.status, json: parseJson(text ?? '') };
      } catch (err) {
        const snippet = (text ?? '').trim() === '' ? 'the body was empty' : (err as Error).message;
        throw malformedError(name, snippet);
      }
    }
  }

  async function json(spec: Omit<CallSpec, 'expect'>): Promise<JsonValue> {
    const r = await call({ ...spec, expect: 'json' });
    return r!.json!;
  }

  async function object(spec: Omit<CallSpec, 'expect'>): Promise<JsonObject> {
    const v = await json(spec);
    if (!isJsonObject(v))
      throw malformedError(`${spec.method} ${spec.path}`, `expected a JSON object, got ${kindOf(v)}`);
    return v;
  }

  async function array(spec: Omit<CallSpec, 'expect'>): Promise<JsonValue[]> {
    const v = await json(spec);
    if (!Array.isArray(v))
      throw malformedError(`${spec.method} ${spec.path}`, `expected a JSON array, got ${kindOf(v)}`);
    return v;
  }

  async function optionalObject(spec: Omit<CallSpec, 'expect' | 'nullOn404'>): Promise<JsonObject | null> {
    const r = await call({ ...spec, expect: 'json', nullOn404: true });
    if (r === null) return null;
    if (!isJsonObject(r.json!))
      throw malformedError(`${spec.method} ${spec.path}`, `expected a JSON object, got ${kindOf(r.json!)}`);
    return r.json;
  }

  const jsonBody = (value: JsonValue) => () => stringifyJson(value);
  const formBody = (fields: Record<string, string>) => () => new URLSearchParams(fields);
  const FORM = 'application/x-www-form-urlencoded';
  const JSON_TYPE = 'application/json';

  return {
    baseUrl: opts.baseUrl,
    label: opts.label,

    getInfo: () => object({ method: 'GET', path: '/' }),
    getStatus: () => object({ method: 'GET', path: '/status' }),
    admin: (operation) => object({ method: 'POST', path: '/admin', body: formBody({ operation }), contentType: FORM }),

    getEnv: () => object({ method: 'GET', path: '/env' }),
    async putEnv(env) {
      await call({ method: 'PUT', path: '/env', body: jsonBody(env), contentType: JSON_TYPE, expect: 'none' });
    },

    async getConfigZip() {
      const r = await call({
        method: 'GET',
        path: '/config',
        accept: 'application/zip',
        expect: 'bytes',
        timeout: 'long',
      });
      return r!.bytes!;
    },
    getConfigJson: () => array({ method: 'GET', path: '/config', accept: 'application/json', timeout: 'long' }),
    async putConfig(body, options): Promise<ConfigUploadResult> {
      const form = () => {
        const fd = new FormData();
        const part =
          'zip' in body
            ? new Blob([body.zip as Uint8Array<ArrayBuffer>], { type: 'application/zip' })
            : new Blob([stringifyJson(body.json)], { type: 'application/json' });
        fd.append('file', part, 'config');
        return fd;
      };
      const v = await json({
        method: 'PUT',
        path: '/config',
        query: [['force', options.force ? 'true' : 'false']],
        body: form,
        timeout: 'long',
        onError: (status, text) => {
          if (status !== 400) return undefined;
          try {
            const parsed = parseJson(text);
            if (isJsonObject(parsed) && Array.isArray(parsed.validation_errors))
              return configRejectedError(parsed.validation_errors);
          } catch {
            // not the validation shape: generic 400 handling
          }
          return undefined;
        },
      });
      const errors = isJsonObject(v) && Array.isArray(v.validation_errors) ? v.validation_errors : [];
      return { validationErrors: errors };
    },

    async getPipes() {
      const list = await array({ method: 'GET', path: '/pipes' });
      return list.map((p) => asPipe(p, 'GET /pipes'));
    },
    async getPipe(id) {
      const path = `/pipes/${enc(id)}`;
      const v = await optionalObject({ method: 'GET', path });
      return v === null ? null : asPipe(v, `GET ${path}`);
    },
    getPump: (id) => object({ method: 'GET', path: `/pipes/${enc(id)}/pump` }),
    pumpOperation: (id, operation, params = {}) =>
      object({
        method: 'POST',
        path: `/pipes/${enc(id)}/pump`,
        body: formBody({ operation, ...params }),
        contentType: FORM,
      }),
    getPipeEntities: (id, options = {}) =>
      array({
        method: 'GET',
        path: `/pipes/${enc(id)}/entities`,
        query: options.stage ? [['stage', options.stage satisfies PipeStage]] : [],
        timeout: 'long',
      }),
    async getPublished(id, endpoint, params = {}) {
      const r = await call({
        method: 'GET',
        path: `/publishers/${enc(id)}/${endpoint.split('/').map(enc).join('/')}`,
        query: Object.entries(params),
        accept: '*/*',
        expect: 'bytes',
        timeout: 'long',
      });
      return r!.bytes!;
    },
    async postReceiverEntities(id, body) {
      await call({
        method: 'POST',
        path: `/receivers/${enc(id)}/entities`,
        body: () => body,
        contentType: JSON_TYPE,
        expect: 'none',
        timeout: 'long',
      });
    },

    runAllPipes(params: RunAllPipesParams) {
      const q: [string, string][] = [
        ['extra_zero_runs', String(params.extraZeroRuns)],
        ['max_run_time', String(params.maxRunTime)],
        ['max_runs', String(params.maxRuns)],
      ];
      if (params.deleteInputDatasets !== undefined)
        q.push(['delete_input_datasets', pyBool(params.deleteInputDatasets)]);
      if (params.checkInputPipes !== undefined) q.push(['check_input_pipes', pyBool(params.checkInputPipes)]);
      if (params.resetPipesAndDeleteSinkDatasets !== undefined)
        q.push(['reset_pipes_and_delete_sink_datasets', pyBool(params.resetPipesAndDeleteSinkDatasets)]);
      if (params.outputRunStatistics !== undefined)
        q.push(['output_run_statistics', pyBool(params.outputRunStatistics)]);
      if (params.schedulerMode) q.push(['scheduler_mode', params.schedulerMode]);
      q.push(['request_mode', params.requestMode]);
      // A sync run lasts as long as the pipes take; the node's max_run_time bounds it, not the client.
      return object({
        method: 'POST',
        path: '/pipes/run-all-pipes',
        query: q,
        timeout: params.requestMode === 'sync' ? 'none' : 'short',
      });
    },
    getRunnerStatus: (token) =>
      object({ method: 'GET', path: '/pipes/get-pipe-runner-status', query: [['token', token]] }),
    async getRunnerLog(options = {}) {
      const q: [string, string][] = [];
      if (options.since) q.push(['since', options.since]);
      if (options.token) q.push(['token', options.token]);
      const list = await array({ method: 'GET', path: '/pipes/get-run-all-pipes-log', query: q });
      return list.map((line): RunnerLogLine => {
        if (isJsonObject(line)) {
          return {
            timestamp: typeof line.timestamp === 'string' ? line.timestamp : String(line.timestamp ?? ''),
            loglevel: typeof line.loglevel === 'string' ? line.loglevel : String(line.loglevel ?? ''),
            logdata: line.logdata ?? null,
          };
        }
        return { timestamp: '', loglevel: '', logdata: line };
      });
    },
    async stopRunner() {
      await call({
        method: 'POST',
        path: '/pipes/stop-run-all-pipes',
        query: [['terminate_timeout', '30']],
        expect: 'none',
      });
    },

    getDataset: (id) => optionalObject({ method: 'GET', path: `/datasets/${enc(id)}` }),
    getDatasetEntities: (id, params = {}) =>
      array({ method: 'GET', path: `/datasets/${enc(id)}/entities`, query: Object.entries(params), timeout: 'long' }),
    async deleteDataset(id) {
      await call({ method: 'DELETE', path: `/datasets/${enc(id)}`, expect: 'none' });
    },

    async getSecrets() {
      const v = await json({ method: 'GET', path: '/secrets' });
      if (Array.isArray(v))
        return v.map((s) =>
          typeof s === 'string' ? s : isJsonObject(s) && typeof s.name === 'string' ? s.name : String(s),
        );
      if (isJsonObject(v)) return Object.keys(v);
      throw malformedError('GET /secrets', `expected a list of names, got ${kindOf(v)}`);
    },
    async putSecrets(secrets) {
      await call({ method: 'PUT', path: '/secrets', body: jsonBody(secrets), contentType: JSON_TYPE, expect: 'none' });
    },

    async getSystems() {
      const list = await array({ method: 'GET', path: '/systems' });
      return list.filter(isJsonObject);
    },
    async putSystemSecrets(systemId, secrets) {
      await call({
        method: 'PUT',
        path: `/systems/${enc(systemId)}/secrets`,
        query: [['encrypt', 'true']],
        body: jsonBody(secrets),
        contentType: JSON_TYPE,
        expect: 'none',
      });
    },
    getMetadata: () => object({ method: 'GET', path: '/metadata' }),
    async putMetadata(metadata) {
      await call({
        method: 'PUT',
        path: '/metadata',
        body: jsonBody(metadata),
        contentType: JSON_TYPE,
        expect: 'none',
      });
    },
    getPipeEntityTypes: (id, stage = 'sink') =>
      object({ method: 'GET', path: `/pipes/${enc(id)}/entity-types/${stage}`, timeout: 'long' }),
  };
}

function kindOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isJsonObject(v)) return 'an object';
  return typeof v === 'string' ? 'a string' : 'a scalar';
}

function asPipe(v: JsonValue, call: string): PipeInfo {
  if (!isJsonObject(v) || typeof v._id !== 'string') throw malformedError(call, 'a pipe without an _id');
  const config = isJsonObject(v.config) ? v.config : {};
  return {
    _id: v._id,
    config: {
      original: isJsonObject(config.original) ? config.original : {},
      effective: isJsonObject(config.effective) ? config.effective : {},
    },
    runtime: isJsonObject(v.runtime) ? v.runtime : {},
  };
}
