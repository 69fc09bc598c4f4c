// Pipes, pumps, pipe entities and the runner routes over the fake engine.
import { beforeEach, describe, expect, it } from 'vitest';
import { createNodeHandler, type NodeHandler } from '../../../src/local-node/http/handler.js';
import { call, formBody, jsonBody } from './call.js';
import { FakeEngine } from './fake-engine.js';

let engine: FakeEngine;
let handler: NodeHandler;

const entities = [
  { _id: '1', n: 1 },
  { _id: '2', n: 2 },
];

beforeEach(() => {
  engine = new FakeEngine();
  handler = createNodeHandler(engine);
  engine.putConfig([{ _id: 'ns:in', type: 'pipe', source: { type: 'embedded', entities } }], { force: false });
});

describe('pipes', () => {
  it('lists pipes and gets one by a percent-encoded or plain id', async () => {
    const list = await call(handler, 'GET', '/api/pipes');
    expect(list.plain.map((p: { _id: string }) => p._id)).toEqual(['ns:in']);
    for (const path of ['/api/pipes/ns%3Ain', '/api/pipes/ns:in']) {
      const one = await call(handler, 'GET', path);
      expect(one.status).toBe(200);
      expect(one.plain.config.effective.sink).toEqual({ type: 'dataset', dataset: 'ns:in' });
    }
  });

  it('404s for an unknown pipe on every pipe route', async () => {
    for (const [method, path] of [
      ['GET', '/api/pipes/nope'],
      ['DELETE', '/api/pipes/nope'],
      ['GET', '/api/pipes/nope/config'],
      ['GET', '/api/pipes/nope/pump'],
      ['POST', '/api/pipes/nope/pump'],
      ['GET', '/api/pipes/nope/entities'],
    ] as const) {
      const r = await call(handler, method, path, method === 'POST' ? formBody({ operation: 'start' }) : {});
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.plain.message).toBe("No pipe with the id 'nope'.");
    }
  });

  it('POST /api/pipes adds pipes (201) and answers 409 when one exists', async () => {
    const r = await call(handler, 'POST', '/api/pipes', jsonBody([{ _id: 'b', source: { type: 'embedded' } }]));
    expect(r.status).toBe(201);
    expect(r.plain[0]._id).toBe('b');
    expect(engine.config.map((e) => e._id)).toEqual(['ns:in', 'b']);
    expect(engine.config[1]!.type).toBe('pipe');
    const again = await call(handler, 'POST', '/api/pipes', jsonBody({ _id: 'b', type: 'pipe' }));
    expect(again.status).toBe(409);
    expect(again.plain.message).toMatch(/'b' already exists/);
  });

  it('POST /api/pipes with an invalid pipe is a 400 with validation_errors', async () => {
    const r = await call(
      handler,
      'POST',
      '/api/pipes',
      jsonBody([{ _id: 'bad', type: 'pipe', source: { type: 'bogus' } }]),
    );
    expect(r.status).toBe(400);
    expect(r.plain.validation_errors[0]['posted-config']._id).toBe('bad');
    expect((await call(handler, 'POST', '/api/pipes', jsonBody([{ type: 'system:url', _id: 'x' }]))).status).toBe(400);
  });

  it('GET/PUT /api/pipes/{id}/config reads and replaces one pipe', async () => {
    expect((await call(handler, 'GET', '/api/pipes/ns:in/config')).plain._id).toBe('ns:in');
    const r = await call(
      handler,
      'PUT',
      '/api/pipes/ns:in/config',
      jsonBody({ source: { type: 'embedded', entities: [] } }),
    );
    expect(r.status).toBe(200);
    expect(r.plain.config.original).toEqual({ source: { type: 'embedded', entities: [] }, _id: 'ns:in', type: 'pipe' });
    const mismatch = await call(handler, 'PUT', '/api/pipes/ns:in/config', jsonBody({ _id: 'other', type: 'pipe' }));
    expect(mismatch.status).toBe(400);
    expect(mismatch.plain.message).toMatch(/does not match/);
  });

  it('DELETE /api/pipes/{id} removes the pipe from the config', async () => {
    const r = await call(handler, 'DELETE', '/api/pipes/ns%3Ain');
    expect(r.status).toBe(200);
    expect(r.plain._id).toBe('ns:in');
    expect(engine.config).toEqual([]);
  });
});

describe('pump', () => {
  it('GET returns the pump; POST operations answer the updated pump', async () => {
    expect((await call(handler, 'GET', '/api/pipes/ns:in/pump')).plain.runtime['is-disabled']).toBe(true);
    const enabled = await call(handler, 'POST', '/api/pipes/ns:in/pump', formBody({ operation: 'enable' }));
    expect(enabled.status).toBe(200);
    expect(enabled.plain.runtime['is-disabled']).toBe(false);
    const seen = await call(
      handler,
      'POST',
      '/api/pipes/ns:in/pump',
      formBody({ operation: 'update-last-seen', 'last-seen': '42' }),
    );
    expect(seen.plain.runtime['last-seen']).toBe('42');
  });

  it('an unsupported operation is the engine 400; a missing one is a 400 too', async () => {
    const r = await call(handler, 'POST', '/api/pipes/ns:in/pump', formBody({ operation: 'fly' }));
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/doesn't support the operation 'fly'/);
    const missing = await call(handler, 'POST', '/api/pipes/ns:in/pump', formBody({}));
    expect(missing.status).toBe(400);
    expect(missing.plain.message).toMatch(/'operation' is missing/);
  });

  it('an engine 409 (already running) answers with its pump body', async () => {
    engine.pumps.get('ns:in')!.running = true;
    const r = await call(handler, 'POST', '/api/pipes/ns:in/pump', formBody({ operation: 'start' }));
    expect(r.status).toBe(409);
    expect(r.plain._id).toBe('pump:ns:in');
  });
});

describe('pipe entities', () => {
  it('returns the entities, passing stage and limit', async () => {
    expect((await call(handler, 'GET', '/api/pipes/ns:in/entities')).plain).toEqual(entities);
    const staged = await call(handler, 'GET', '/api/pipes/ns:in/entities?stage=source&limit=1');
    expect(staged.plain).toEqual([{ _id: '1', n: 1, stage: 'source' }]);
  });

  it('rejects an unknown stage or a bad limit with a 400', async () => {
    const stage = await call(handler, 'GET', '/api/pipes/ns:in/entities?stage=middle');
    expect(stage.status).toBe(400);
    expect(stage.plain.message).toMatch(/Unknown stage 'middle'/);
    const limit = await call(handler, 'GET', '/api/pipes/ns:in/entities?limit=ten');
    expect(limit.status).toBe(400);
    expect(limit.plain.message).toMatch(/'limit' must be an integer/);
  });
});

describe('pipe runner', () => {
  it('run-all-pipes takes the query parameters exactly as sesam-py sends them', async () => {
    const r = await call(
      handler,
      'POST',
      '/api/pipes/run-all-pipes?extra_zero_runs=3&max_run_time=60&max_runs=7&delete_input_datasets=False&check_input_pipes=True&reset_pipes_and_delete_sink_datasets=False&output_run_statistics=True&scheduler_mode=active&request_mode=sync',
    );
    expect(r.status).toBe(200);
    expect(r.plain).toEqual({ status: 'success' });
    expect(engine.runs[0]).toEqual({
      extraZeroRuns: 3,
      maxRunTime: 60,
      maxRuns: 7,
      deleteInputDatasets: false,
      checkInputPipes: true,
      resetPipesAndDeleteSinkDatasets: false,
      outputRunStatistics: true,
    });
  });

  it('run-all-pipes defaults what is not sent', async () => {
    await call(handler, 'POST', '/api/pipes/run-all-pipes');
    expect(engine.runs[0]).toEqual({
      extraZeroRuns: 2,
      maxRunTime: 900,
      maxRuns: 100,
      deleteInputDatasets: true,
      checkInputPipes: false,
      resetPipesAndDeleteSinkDatasets: true,
      outputRunStatistics: false,
    });
  });

  it('async mode answers a token; status and log follow it', async () => {
    const r = await call(handler, 'POST', '/api/pipes/run-all-pipes?request_mode=async&check_input_pipes=true');
    expect(r.plain).toEqual({ token: 'run-1' });
    expect(engine.runs[0]!.checkInputPipes).toBe(true);
    expect((await call(handler, 'GET', '/api/pipes/get-pipe-runner-status?token=run-1')).plain).toEqual({
      status: 'success',
    });
    expect((await call(handler, 'GET', '/api/pipes/get-pipe-runner-status?token=zzz')).plain).toEqual({
      status: 'not-running',
    });
    const log = await call(handler, 'GET', '/api/pipes/get-run-all-pipes-log?since=2026-01-01T00:00:01Z&token=run-1');
    expect(log.plain).toEqual([{ timestamp: '2026-01-01T00:00:02Z', loglevel: 'INFO', logdata: 'done run-1' }]);
    expect((await call(handler, 'GET', '/api/pipes/get-run-all-pipes-log?since=')).plain).toHaveLength(2);
  });

  it('rejects bad run parameters with a 400 naming the parameter', async () => {
    for (const [query, message] of [
      ['request_mode=later', /'request_mode' can only be 'sync' or 'async'/],
      ['scheduler_mode=lazy', /'scheduler_mode' can only be 'active' or 'poll'/],
      ['delete_input_datasets=maybe', /'delete_input_datasets' must be true or false/],
      ['max_runs=-1', /'max_runs' must not be negative/],
    ] as const) {
      const r = await call(handler, 'POST', `/api/pipes/run-all-pipes?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.plain.message).toMatch(message);
    }
    expect(engine.runs).toEqual([]);
  });

  it('stop-run-all-pipes answers 200 even when idle', async () => {
    const r = await call(handler, 'POST', '/api/pipes/stop-run-all-pipes?terminate_timeout=30');
    expect(r.status).toBe(200);
    expect(engine.runnerStops).toBe(1);
  });
});
