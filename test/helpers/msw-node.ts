// A fake Sesam node for command tests: an msw request handler over in-memory state (config, env, pipes,
// entities, publishers, receivers, datasets, secrets, the pipe runner) with per-route fault injection.
//
//   const node = useFakeNode();                    // in a test file: listens for the whole file, fresh state per test
//   node.setConfig([{ _id: 'a', type: 'pipe', ... }]);
//   node.fault('GET /pipes', { status: 503 }, 1);  // first call answers 503, later calls work
//   const r = await runMain(['status'], { cwd, env: node.env() });
//
// Routes are named `METHOD /path` with `:param` segments exactly as listed in ROUTES below; '*' matches all.
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { clientTuning, pollTiming } from '../../src/commands/timing.js';
import {
  isJsonObject,
  JsonFloat,
  parseJson,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '../../src/format/json.js';

/** A syntactically valid JWT with an empty payload; long enough to be redacted. */
export const FAKE_JWT = 'eyJhbGciOiJIUzI1NiJ9.e30.fake-signature-0123456789abcdef';
export const FAKE_URL = 'https://datahub-fake0001.sesam.cloud/api';

export type Fault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'malformed' }
  | { kind: 'drop' };

export interface RecordedRequest {
  method: string;
  /** Path below the API root as sent (still percent-encoded). */
  rawPath: string;
  /** The route it matched, e.g. `GET /pipes/:id`. */
  route: string;
  query: URLSearchParams;
  headers: Headers;
  body?: string;
}

export interface FakeNodeOptions {
  baseUrl?: string;
  /** The JWT the node accepts; undefined accepts any request. Default FAKE_JWT. */
  jwt?: string | null;
}

type Params = Record<string, string>;
type Handler = (req: Request, params: Params, url: URL) => Promise<Response> | Response;

export class FakeNode {
  readonly baseUrl: string;
  readonly jwt?: string;
  // ---- state (reset before each test by useFakeNode) ----
  developerMode = true;
  /** Every config entity: pipes, systems, the node metadata. */
  config: JsonObject[] = [];
  envVars: JsonObject = {};
  /** Extra runtime fields per pipe id (merged over the defaults). */
  pipeRuntime = new Map<string, JsonObject>();
  /** Answers for GET /pipes/{id}/entities, per pipe id. */
  pipeEntities = new Map<string, JsonValue[]>();
  /** Answers for GET /publishers/{id}/{endpoint}, keyed `id/endpoint`. */
  published = new Map<string, { body: string | Uint8Array; contentType?: string }>();
  /** Bodies posted to receivers, in order. */
  received: { pipe: string; body: string }[] = [];
  datasets = new Map<string, JsonValue[]>();
  secrets: Record<string, string> = {};
  nodeStartTime = '2026-01-01T00:00:00Z';
  /** GET /status calls after a restart/reset before node_start_time changes. */
  restartPolls = 1;
  /** GET /status calls answered 503 right after a restart/reset, as a node that is down for a while. */
  restartDowntime = 0;
  adminResult: JsonObject = { message: 'OK' };
  adminCalls: string[] = [];
  /** Pipes report `Deploying` for this many GET /pipes calls after a config upload. */
  deployPolls = 0;
  /** Extra validation: errors in the node's validation_errors shape. */
  validate?: (entities: JsonObject[]) => JsonValue[];
  configUploads: { force: boolean; kind: 'zip' | 'json'; entities: JsonObject[] }[] = [];
  runResult: JsonObject = { status: 'success' };
  /** Statuses returned by get-pipe-runner-status in order; the last repeats. */
  runnerStatuses: string[] = ['success'];
  runnerLog: { timestamp: string; loglevel: string; logdata: JsonValue }[] = [];
  runCalls: URLSearchParams[] = [];
  stopCalls = 0;
  requests: RecordedRequest[] = [];
  /** Accounts POST /jwt accepts: email -> password. */
  accounts: Record<string, string> = { 'dev@example.com': 'correct horse' };

  private faults: { route: string; fault: Fault; remaining: number }[] = [];
  private deployLeft = 0;
  private restartLeft = -1;
  private downLeft = 0;
  readonly server: ReturnType<typeof setupServer>;

  constructor(options: FakeNodeOptions = {}) {
    this.baseUrl = (options.baseUrl ?? FAKE_URL).replace(/\/+$/, '');
    this.jwt = options.jwt === null ? undefined : (options.jwt ?? FAKE_JWT);
    this.server = setupServer(this.handler());
  }

  /** Env for runMain: NODE and JWT pointing at this node. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { NODE: this.baseUrl, ...(this.jwt ? { JWT: this.jwt } : {}), ...extra };
  }

  reset(): void {
    this.developerMode = true;
    this.config = [];
    this.envVars = {};
    this.pipeRuntime.clear();
    this.pipeEntities.clear();
    this.published.clear();
    this.received = [];
    this.datasets.clear();
    this.secrets = {};
    this.nodeStartTime = '2026-01-01T00:00:00Z';
    this.restartPolls = 1;
    this.restartDowntime = 0;
    this.downLeft = 0;
    this.adminResult = { message: 'OK' };
    this.adminCalls = [];
    this.deployPolls = 0;
    this.validate = undefined;
    this.configUploads = [];
    this.runResult = { status: 'success' };
    this.runnerStatuses = ['success'];
    this.runnerLog = [];
    this.runCalls = [];
    this.stopCalls = 0;
    this.requests = [];
    this.accounts = { 'dev@example.com': 'correct horse' };
    this.faults = [];
    this.deployLeft = 0;
    this.restartLeft = -1;
  }

  setConfig(entities: JsonObject[]): this {
    this.config = entities.map((e) => clone(e) as JsonObject);
    return this;
  }

  /** Make `route` fail `times` times (default: always). */
  fault(route: string, fault: Fault, times = Infinity): this {
    this.faults.push({ route, fault, remaining: times });
    return this;
  }

  calls(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  pipes(): JsonObject[] {
    return this.config.filter((e) => e.type === 'pipe').map((p) => this.pipeInfo(p));
  }

  /** The zip GET /config serves: one file per component, as a node writes them (indent 2). */
  configZip(): Uint8Array {
    const files: Record<string, Uint8Array> = {};
    for (const e of this.config) {
      const text = stringifyJson(e, { indent: 2 });
      if (e.type === 'pipe') files[`pipes/${e._id}.conf.json`] = strToU8(text);
      else if (e.type === 'metadata') files['node-metadata.conf.json'] = strToU8(text);
      else files[`systems/${e._id}.conf.json`] = strToU8(text);
    }
    return zipSync(files);
  }

  private pipeInfo(p: JsonObject): JsonObject {
    const id = String(p._id);
    const effective = clone(p) as JsonObject;
    if (!isJsonObject(effective.sink)) effective.sink = { type: 'dataset', dataset: id };
    const runtime: JsonObject = {
      state: this.deployLeft > 0 ? 'Deploying' : 'Ready',
      'is-valid-config': true,
      'config-errors': [],
      'is-running': false,
      'is-disabled': true,
      ...(this.pipeRuntime.get(id) ?? {}),
    };
    return { _id: id, config: { original: p, effective }, runtime };
  }

  private findPipe(id: string): JsonObject | undefined {
    return this.config.find((e) => e.type === 'pipe' && e._id === id);
  }

  // ---- HTTP ----
  handler(): HttpHandler {
    return http.all(`${this.baseUrl}/*`, async ({ request }) => this.handle(request));
  }

  private async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const rawPath = url.pathname.slice(new URL(this.baseUrl).pathname.length) || '/';
    const match = this.route(request.method, rawPath);
    const routeName = match ? match.route : `${request.method} ${rawPath}`;
    const contentType = request.headers.get('content-type') ?? '';
    const body = contentType.startsWith('multipart/') ? undefined : await request.clone().text();
    this.requests.push({
      method: request.method,
      rawPath,
      route: routeName,
      query: url.searchParams,
      headers: request.headers,
      body,
    });

    const f = this.faults.find((x) => (x.route === routeName || x.route === '*') && x.remaining > 0);
    if (f) {
      f.remaining--;
      const fault = f.fault;
      if ('status' in fault)
        return new HttpResponse(fault.body ?? JSON.stringify({ message: `injected ${fault.status}` }), {
          status: fault.status,
          headers: { 'Content-Type': 'application/json', ...fault.headers },
        });
      if (fault.kind === 'drop') return HttpResponse.error();
      if (fault.kind === 'malformed')
        return new HttpResponse('{"_id": "x", oops', { status: 200, headers: { 'Content-Type': 'application/json' } });
      // hang: answer only when the client gives up
      await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
      return HttpResponse.error();
    }
    if (match?.route === 'POST /jwt') return match.handler(request, match.params, url);
    if (this.jwt && request.headers.get('authorization') !== `Bearer ${this.jwt}`) {
      return HttpResponse.json({ message: 'Invalid or missing JWT' }, { status: 401 });
    }
    if (!match) return HttpResponse.json({ message: `No such API: ${request.method} ${rawPath}` }, { status: 404 });
    return match.handler(request, match.params, url);
  }

  private route(method: string, rawPath: string): { route: string; handler: Handler; params: Params } | undefined {
    const segments = rawPath.split('/').filter(Boolean);
    for (const [name, handler] of this.routes) {
      const [m, pattern] = name.split(' ') as [string, string];
      if (m !== method) continue;
      const parts = pattern.split('/').filter(Boolean);
      if (parts.length !== segments.length) continue;
      const params: Params = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        if (parts[i]!.startsWith(':')) params[parts[i]!.slice(1)] = decodeURIComponent(segments[i]!);
        else if (parts[i] !== segments[i]) ok = false;
      }
      if (ok) return { route: name, handler, params };
    }
    return undefined;
  }

  private json(value: JsonValue, status = 200): Response {
    return new HttpResponse(stringifyJson(value), { status, headers: { 'Content-Type': 'application/json' } });
  }

  private notFound(what: string): Response {
    return this.json({ message: `${what} not found` }, 404);
  }

  private readonly routes: [string, Handler][] = [
    [
      'POST /jwt',
      async (req) => {
        const form = new URLSearchParams(await req.text());
        const email = form.get('email') ?? '';
        if (!email || this.accounts[email] !== form.get('password'))
          return new HttpResponse('Invalid email or password', { status: 401 });
        return new HttpResponse(this.jwt ?? FAKE_JWT, { headers: { 'Content-Type': 'text/plain' } });
      },
    ],
    ['GET /', () => this.json({ status: { developer_mode: this.developerMode, 'git-revision': 'fake' } })],
    [
      'GET /status',
      () => {
        if (this.downLeft > 0) {
          this.downLeft--;
          return this.json({ message: 'starting up' }, 503);
        }
        if (this.restartLeft === 0) {
          this.nodeStartTime = new Date(Date.parse(this.nodeStartTime) + 60_000).toISOString();
          this.restartLeft = -1;
        } else if (this.restartLeft > 0) this.restartLeft--;
        return this.json({ node_start_time: this.nodeStartTime });
      },
    ],
    [
      'POST /admin',
      async (req) => {
        const op = new URLSearchParams(await req.text()).get('operation') ?? '';
        this.adminCalls.push(op);
        if (op === 'reset') {
          this.config = [];
          this.envVars = {};
          this.datasets.clear();
          this.secrets = {};
        }
        this.restartLeft = this.restartPolls;
        this.downLeft = this.restartDowntime;
        return this.json(this.adminResult);
      },
    ],
    ['GET /env', () => this.json(this.envVars)],
    [
      'PUT /env',
      async (req) => {
        const v = parseJson(await req.text());
        if (!isJsonObject(v)) return this.json({ message: 'env must be an object' }, 400);
        this.envVars = v;
        return this.json({});
      },
    ],
    [
      'GET /config',
      (req) => {
        if ((req.headers.get('accept') ?? '').includes('application/zip')) {
          return new HttpResponse(this.configZip() as Uint8Array<ArrayBuffer>, {
            headers: { 'Content-Type': 'application/zip' },
          });
        }
        return this.json(this.config);
      },
    ],
    ['PUT /config', (req, _p, url) => this.putConfig(req, url)],
    [
      'GET /pipes',
      () => {
        const list = this.pipes();
        if (this.deployLeft > 0) this.deployLeft--;
        return this.json(list);
      },
    ],
    [
      'POST /pipes/run-all-pipes',
      (_r, _p, url) => {
        this.runCalls.push(url.searchParams);
        if (url.searchParams.get('request_mode') === 'async') return this.json({ token: 'fake-token-1' });
        return this.json(this.runResult);
      },
    ],
    [
      'POST /pipes/stop-run-all-pipes',
      () => {
        this.stopCalls++;
        return this.json({ message: 'OK' });
      },
    ],
    [
      'GET /pipes/get-pipe-runner-status',
      () => {
        const status = this.runnerStatuses.length > 1 ? this.runnerStatuses.shift()! : this.runnerStatuses[0]!;
        return this.json({ status });
      },
    ],
    [
      'GET /pipes/get-run-all-pipes-log',
      (_r, _p, url) => {
        const since = url.searchParams.get('since');
        return this.json(this.runnerLog.filter((l) => !since || l.timestamp > since));
      },
    ],
    [
      'GET /pipes/:id',
      (_r, p) => {
        const pipe = this.findPipe(p.id!);
        return pipe ? this.json(this.pipeInfo(pipe)) : this.notFound(`Pipe '${p.id}'`);
      },
    ],
    [
      'GET /pipes/:id/entities',
      (_r, p) =>
        this.findPipe(p.id!) ? this.json(this.pipeEntities.get(p.id!) ?? []) : this.notFound(`Pipe '${p.id}'`),
    ],
    [
      'GET /pipes/:id/pump',
      (_r, p) => {
        const pipe = this.findPipe(p.id!);
        if (!pipe) return this.notFound(`Pipe '${p.id}'`);
        return this.json({ _id: `pump:${p.id}`, type: 'pump', runtime: this.pipeInfo(pipe).runtime as JsonObject });
      },
    ],
    [
      'POST /pipes/:id/pump',
      async (req, p) => {
        if (!this.findPipe(p.id!)) return this.notFound(`Pipe '${p.id}'`);
        const op = new URLSearchParams(await req.text()).get('operation');
        const runtime = { ...(this.pipeRuntime.get(p.id!) ?? {}) };
        if (op === 'enable') runtime['is-disabled'] = false;
        else if (op === 'disable') runtime['is-disabled'] = true;
        this.pipeRuntime.set(p.id!, runtime);
        return this.json({ _id: `pump:${p.id}`, type: 'pump', runtime });
      },
    ],
    [
      'GET /publishers/:id/:endpoint',
      (_r, p) => {
        const pub = this.published.get(`${p.id}/${p.endpoint}`);
        if (!pub) return this.notFound(`Publisher '${p.id}/${p.endpoint}'`);
        const body = typeof pub.body === 'string' ? strToU8(pub.body) : pub.body;
        return new HttpResponse(body as Uint8Array<ArrayBuffer>, {
          headers: { 'Content-Type': pub.contentType ?? 'application/octet-stream' },
        });
      },
    ],
    [
      'POST /receivers/:id/entities',
      async (req, p) => {
        if (!this.findPipe(p.id!)) return this.notFound(`Receiver '${p.id}'`);
        const text = await req.text();
        try {
          parseJson(text);
        } catch {
          return this.json({ message: 'invalid JSON' }, 400);
        }
        this.received.push({ pipe: p.id!, body: text });
        return this.json({});
      },
    ],
    [
      'GET /datasets/:id',
      (_r, p) =>
        this.datasets.has(p.id!)
          ? this.json({ _id: p.id!, runtime: { count: this.datasets.get(p.id!)!.length } })
          : this.notFound(`Dataset '${p.id}'`),
    ],
    [
      'GET /datasets/:id/entities',
      (_r, p, url) => {
        const all = this.datasets.get(p.id!);
        if (!all) return this.notFound(`Dataset '${p.id}'`);
        const limit = url.searchParams.get('limit');
        return this.json(limit ? all.slice(0, Number(limit)) : all);
      },
    ],
    [
      'DELETE /datasets/:id',
      (_r, p) => {
        this.datasets.delete(p.id!);
        return this.json({});
      },
    ],
    ['GET /secrets', () => this.json(Object.keys(this.secrets))],
    [
      'PUT /secrets',
      async (req) => {
        const v = parseJson(await req.text());
        if (!isJsonObject(v)) return this.json({ message: 'secrets must be an object' }, 400);
        this.secrets = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
        return this.json({});
      },
    ],
  ];

  private async putConfig(req: Request, url: URL): Promise<Response> {
    const force = url.searchParams.get('force') === 'true';
    let kind: 'zip' | 'json';
    let data: Uint8Array;
    const type = req.headers.get('content-type') ?? '';
    if (type.startsWith('multipart/form-data')) {
      const form = await req.formData();
      const file = form.get('file');
      if (!file || typeof file === 'string') return this.json({ message: "multipart field 'file' missing" }, 400);
      kind = file.type === 'application/zip' ? 'zip' : 'json';
      data = new Uint8Array(await file.arrayBuffer());
      this.requests[this.requests.length - 1]!.body = `file=${(file as File).name};type=${file.type}`;
    } else {
      kind = type.includes('zip') ? 'zip' : 'json';
      data = new Uint8Array(await req.arrayBuffer());
    }
    const entities: JsonObject[] = [];
    const add = (v: JsonValue) => {
      for (const e of Array.isArray(v) ? v : [v]) if (isJsonObject(e)) entities.push(e);
    };
    try {
      if (kind === 'zip') for (const bytes of Object.values(unzipSync(data))) add(parseJson(strFromU8(bytes)));
      else add(parseJson(strFromU8(data)));
    } catch (err) {
      return this.json({ message: `could not read the config: ${(err as Error).message}` }, 400);
    }
    this.configUploads.push({ force, kind, entities });
    const errors: JsonValue[] = [];
    for (const e of entities) {
      if (typeof e._id !== 'string' || typeof e.type !== 'string') {
        errors.push({
          'posted-config': e,
          'config-errors': [{ level: 'error', msg: "'_id' and 'type' are required", elements: '$' }],
        });
      }
    }
    errors.push(...(this.validate?.(entities) ?? []));
    if (errors.length && !force) return this.json({ validation_errors: errors }, 400);
    this.config = entities;
    this.deployLeft = this.deployPolls;
    return this.json({ validation_errors: errors });
  }
}

/** Short waits and timeouts for command tests (restart polls, deploy polls, client timeouts and backoff). */
export function useFastTimings(overrides: { timeoutMs?: number } = {}): void {
  const savedPoll = { ...pollTiming };
  const savedClient = { ...clientTuning };
  beforeAll(() => {
    Object.assign(pollTiming, { restartPollMs: 1, wipePollMs: 1, deployPollMs: 1, testdataRetryBaseMs: 1 });
    Object.assign(clientTuning, { timeoutMs: overrides.timeoutMs ?? 2000, retryBaseDelayMs: 1 });
  });
  afterAll(() => {
    Object.assign(pollTiming, savedPoll);
    for (const key of Object.keys(clientTuning) as (keyof typeof clientTuning)[]) delete clientTuning[key];
    Object.assign(clientTuning, savedClient);
  });
}

/** One fake node for a test file: listening for the whole file, its state reset before each test. */
export function useFakeNode(options: FakeNodeOptions = {}): FakeNode {
  const node = new FakeNode(options);
  beforeAll(() => node.server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => node.reset());
  afterEach(() => node.server.resetHandlers());
  afterAll(() => node.server.close());
  return node;
}

/** Deep copy of a JSON model value (structuredClone would turn JsonFloat into a plain object). */
function clone(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(clone);
  if (v instanceof JsonFloat) return new JsonFloat(v.value);
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}
