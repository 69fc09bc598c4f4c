import { describe, expect, it, vi } from 'vitest';
import { createNodeApi } from '../../src/node/client.js';
import { JsonFloat } from '../../src/format/json.js';
import { isSesamError, type SesamError } from '../../src/errors.js';
import { FAKE_JWT, useFakeNode } from '../helpers/msw-node.js';
import { captureLogger } from '../helpers/logger.js';

const node = useFakeNode();

function client(extra: Partial<Parameters<typeof createNodeApi>[0]> = {}) {
  const { log, text } = captureLogger(3);
  const sleep = vi.fn(async (_ms: number) => {});
  const api = createNodeApi({
    baseUrl: node.baseUrl,
    jwt: FAKE_JWT,
    log,
    label: 'datahub-fake0001',
    sleep,
    random: () => 0,
    ...extra,
  });
  return { api, sleep, logText: text };
}

async function failure(p: Promise<unknown>): Promise<SesamError> {
  try {
    await p;
  } catch (err) {
    if (isSesamError(err)) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const pipe = {
  _id: 'a',
  type: 'pipe',
  source: { type: 'embedded', entities: [{ _id: '1', x: new JsonFloat(1), big: 12345678901234567890n }] },
};

describe('node client', () => {
  it('sends the JWT and Accept header and parses losslessly', async () => {
    node.setConfig([pipe]);
    const { api } = client();
    const pipes = await api.getPipes();
    expect(pipes.map((p) => p._id)).toEqual(['a']);
    const src = pipes[0]!.config.original.source as { entities: { x: unknown; big: unknown }[] };
    expect(src.entities[0]!.x).toBeInstanceOf(JsonFloat);
    expect(src.entities[0]!.big).toBe(12345678901234567890n);
    expect(pipes[0]!.config.effective.sink).toEqual({ type: 'dataset', dataset: 'a' });
    const req = node.calls('GET /pipes')[0]!;
    expect(req.headers.get('authorization')).toBe(`Bearer ${FAKE_JWT}`);
    expect(req.headers.get('accept')).toBe('application/json,*/*');
  });

  it('encodes ids and returns null for a missing pipe', async () => {
    const { api } = client();
    expect(await api.getPipe('a:b/c d')).toBeNull();
    expect(node.requests.at(-1)!.rawPath).toBe('/pipes/a%3Ab%2Fc%20d');
  });

  it.each([
    [401, /rejected the JWT \(401/],
    [403, /refused access \(403/],
    [404, /Not found on the node \(404.*GET \/pipes/],
    [409, /conflict \(409/],
    [400, /rejected GET \/pipes \(400/],
  ])('maps %i to a clear node error', async (status, pattern) => {
    node.fault('GET /pipes', { status, body: JSON.stringify({ message: 'node says no' }) });
    const { api } = client();
    const err = await failure(api.getPipes());
    expect(err.kind).toBe('node');
    expect(err.status).toBe(status);
    expect(err.message).toMatch(pattern);
    expect(err.reason).toBe('node says no');
    expect(node.calls('GET /pipes')).toHaveLength(1);
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    node.fault('GET /env', { status: 429, headers: { 'Retry-After': '2' } }, 1);
    node.envVars = { a: 1 };
    const { api, sleep } = client();
    expect(await api.getEnv()).toEqual({ a: 1 });
    expect(sleep).toHaveBeenCalledTimes(1);
    expect(sleep.mock.calls[0]![0]).toBe(2000);
  });

  it('retries idempotent calls on 502/503/504 with exponential backoff and gives up with the attempt count', async () => {
    node.fault('GET /pipes', { status: 503 });
    const { api, sleep } = client({ retries: 2, retryBaseDelayMs: 100 });
    const err = await failure(api.getPipes());
    expect(err.message).toMatch(/failed \(503.*after 3 attempts/);
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([100, 200]);
  });

  it('does not retry a 500 or a POST that failed with 500', async () => {
    node.setConfig([pipe]);
    node.fault('POST /receivers/:id/entities', { status: 500 });
    const { api } = client();
    const err = await failure(api.postReceiverEntities('a', '[]'));
    expect(err.message).toMatch(/failed \(500/);
    expect(node.calls('POST /receivers/:id/entities')).toHaveLength(1);
  });

  it('retries a POST on 503', async () => {
    node.setConfig([pipe]);
    node.fault('POST /receivers/:id/entities', { status: 503 }, 2);
    const { api } = client();
    await api.postReceiverEntities('a', '[{"_id": "1"}]');
    expect(node.received).toEqual([{ pipe: 'a', body: '[{"_id": "1"}]' }]);
    expect(node.calls('POST /receivers/:id/entities')).toHaveLength(3);
  });

  it('retries a dropped connection for GET, and names the URL when it keeps failing', async () => {
    node.fault('GET /status', { kind: 'drop' }, 1);
    const { api } = client();
    expect(await api.getStatus()).toEqual({ node_start_time: '2026-01-01T00:00:00Z' });
    node.fault('GET /status', { kind: 'drop' });
    const err = await failure(api.getStatus());
    expect(err.message).toBe(`Cannot reach the node at ${node.baseUrl} (GET /status).`);
    expect(err.reason).toBeTruthy();
  });

  it('names ECONNREFUSED and DNS failures on the Reason line', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const { api } = client({ fetch: async () => Promise.reject(refused), retries: 0 });
    const err = await failure(api.getInfo());
    expect(err.reason).toMatch(/connection refused.*ECONNREFUSED/);
    const dns = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
    });
    const { api: api2 } = client({ fetch: async () => Promise.reject(dns), retries: 0 });
    expect((await failure(api2.getInfo())).reason).toBe(
      'DNS lookup failed for datahub-fake0001.sesam.cloud (ENOTFOUND)',
    );
  });

  it('times out a hanging call with a clear message', async () => {
    node.fault('GET /pipes', { kind: 'hang' });
    const { api } = client({ timeoutMs: 50 });
    const err = await failure(api.getPipes());
    expect(err.message).toBe('The node sent no answer within 0.05 s for GET /pipes.');
    expect(node.calls('GET /pipes')).toHaveLength(1);
  });

  it('reports malformed JSON naming the call', async () => {
    node.fault('GET /pipes', { kind: 'malformed' });
    const { api } = client();
    const err = await failure(api.getPipes());
    expect(err.message).toBe('The node sent invalid JSON for GET /pipes.');
  });

  it('uploads config as multipart with force and maps validation errors', async () => {
    const { api } = client();
    const zip = node.setConfig([pipe]).configZip();
    node.setConfig([]);
    await api.putConfig({ zip }, { force: false });
    expect(node.config.map((e) => e._id)).toEqual(['a']);
    const req = node.calls('PUT /config')[0]!;
    expect(req.query.get('force')).toBe('false');
    expect(req.body).toBe('file=config;type=application/zip');
    expect(req.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);

    node.validate = (entities) =>
      entities.map((e) => ({
        'posted-config': e,
        'config-errors': [
          { level: 'error', msg: 'Unknown source type', elements: "$['source']['type']" },
          { level: 'warning', msg: 'meh', elements: null },
        ],
      }));
    const err = await failure(api.putConfig({ json: [pipe] }, { force: false }));
    expect(err.message).toBe('The node rejected the config (1 error).');
    expect(err.reason).toBe("a: Unknown source type ($['source']['type'])");
    const forced = await api.putConfig({ json: [pipe] }, { force: true });
    expect(forced.validationErrors).toHaveLength(1);
    expect(node.calls('PUT /config').at(-1)!.query.get('force')).toBe('true');
    expect(node.calls('PUT /config').at(-1)!.body).toBe('file=config;type=application/json');
  });

  it('sends run-all-pipes parameters in sesam-py order with Python booleans', async () => {
    const { api } = client();
    await api.runAllPipes({
      extraZeroRuns: 2,
      maxRunTime: 900,
      maxRuns: 100,
      deleteInputDatasets: false,
      checkInputPipes: true,
      schedulerMode: 'active',
      requestMode: 'sync',
    });
    expect(node.runCalls[0]!.toString()).toBe(
      'extra_zero_runs=2&max_run_time=900&max_runs=100&delete_input_datasets=False&check_input_pipes=True&scheduler_mode=active&request_mode=sync',
    );
  });

  it('covers the remaining endpoints', async () => {
    node.setConfig([pipe]);
    node.pipeEntities.set('a', [{ _id: '1' }]);
    node.published.set('a/csv', { body: '_id\r\n1\r\n', contentType: 'text/csv' });
    node.datasets.set('ds', [{ _id: '1' }, { _id: '2' }]);
    node.runnerLog = [{ timestamp: '2026-01-01T00:00:01', loglevel: 'INFO', logdata: 'hi' }];
    const { api } = client();
    expect(await api.getInfo()).toMatchObject({ status: { developer_mode: true } });
    await api.putEnv({ x: 'y' });
    expect(await api.getEnv()).toEqual({ x: 'y' });
    expect(await api.getConfigJson()).toHaveLength(1);
    expect(await api.getPipeEntities('a', { stage: 'source' })).toEqual([{ _id: '1' }]);
    expect(node.requests.at(-1)!.query.get('stage')).toBe('source');
    expect(new TextDecoder().decode(await api.getPublished('a', 'csv', { p: '1' }))).toBe('_id\r\n1\r\n');
    expect(await api.pumpOperation('a', 'enable')).toMatchObject({ runtime: { 'is-disabled': false } });
    expect(await api.getPump('a')).toMatchObject({ _id: 'pump:a' });
    expect(await api.getDataset('nope')).toBeNull();
    expect(await api.getDatasetEntities('ds', { limit: '1' })).toEqual([{ _id: '1' }]);
    await api.deleteDataset('ds');
    expect(node.datasets.has('ds')).toBe(false);
    await api.putSecrets({ s: 'v' });
    expect(await api.getSecrets()).toEqual(['s']);
    expect(await api.getRunnerLog({ since: '2026-01-01T00:00:00' })).toEqual([
      { timestamp: '2026-01-01T00:00:01', loglevel: 'INFO', logdata: 'hi' },
    ]);
    expect(await api.getRunnerStatus('t')).toEqual({ status: 'success' });
    await api.stopRunner();
    expect(node.stopCalls).toBe(1);
    expect(await api.admin('restart')).toEqual({ message: 'OK' });
    expect(node.adminCalls).toEqual(['restart']);
  });

  it('logs each request at -vvv without the JWT', async () => {
    const { api, logText } = client();
    await api.getInfo();
    expect(logText()).toMatch(/GET https:\/\/datahub-fake0001\.sesam\.cloud\/api\/ -> 200 \(\d+ ms\)/);
    expect(logText()).not.toContain(FAKE_JWT);
  });
});
