// Datasets, receivers, publishers and systems over the fake engine.
import { beforeEach, describe, expect, it } from 'vitest';
import { createNodeHandler, type NodeHandler } from '../../../src/local-node/http/handler.js';
import { call, jsonBody } from './call.js';
import { FakeEngine } from './fake-engine.js';

let engine: FakeEngine;
let handler: NodeHandler;

beforeEach(() => {
  engine = new FakeEngine();
  handler = createNodeHandler(engine);
  engine.putConfig(
    [
      { _id: 'recv', type: 'pipe', source: { type: 'http_endpoint' } },
      {
        _id: 'out',
        type: 'pipe',
        source: { type: 'embedded', entities: [{ _id: 'a' }, { _id: 'b' }] },
        sink: { type: 'csv_endpoint' },
      },
      { _id: 'sys', type: 'system:url', url_pattern: 'http://example/%s' },
    ],
    { force: false },
  );
  engine.datasets.set('ds:1', [
    { _id: 'x', v: 12345678901234567890n },
    { _id: 'y', _deleted: true },
  ]);
});

describe('datasets', () => {
  it('lists, gets, reads entities (with params) and deletes', async () => {
    expect((await call(handler, 'GET', '/api/datasets')).plain.map((d: { _id: string }) => d._id)).toEqual(['ds:1']);
    expect((await call(handler, 'GET', '/api/datasets/ds%3A1')).plain).toEqual({
      _id: 'ds:1',
      runtime: { 'count-index-exists': 2 },
    });
    const all = await call(handler, 'GET', '/api/datasets/ds:1/entities');
    expect(all.text).toContain('12345678901234567890');
    expect(all.plain).toHaveLength(2);
    const some = await call(handler, 'GET', '/api/datasets/ds:1/entities?history=False&deleted=False&limit=10');
    // `plain` is JSON.parse: the big integer arrives as the nearest double, on purpose.
    expect(some.plain).toEqual([{ _id: 'x', v: 12345678901234567000, _history: false }]);
    const del = await call(handler, 'DELETE', '/api/datasets/ds:1');
    expect(del.status).toBe(200);
    expect(engine.datasets.has('ds:1')).toBe(false);
  });

  it('GET /datasets/{id}/entity returns one entity or 404', async () => {
    const r = await call(handler, 'GET', '/api/datasets/ds:1/entity?entity_id=y');
    expect(r.plain).toEqual({ _id: 'y', _deleted: true, _history: false });
    expect((await call(handler, 'GET', '/api/datasets/ds:1/entity?entity_id=zz')).status).toBe(404);
    expect((await call(handler, 'GET', '/api/datasets/ds:1/entity')).plain.message).toMatch(/'entity_id' is missing/);
    expect((await call(handler, 'GET', '/api/datasets/ds:1/entity?entity_id=x&offset=3')).status).toBe(400);
  });

  it('404s for an unknown dataset', async () => {
    for (const [method, path] of [
      ['GET', '/api/datasets/none'],
      ['GET', '/api/datasets/none/entities'],
      ['DELETE', '/api/datasets/none'],
    ] as const) {
      const r = await call(handler, method, path);
      expect(r.status).toBe(404);
      expect(r.plain.message).toBe("No dataset with the id 'none'.");
    }
  });
});

describe('receivers', () => {
  it('accepts an array or a single object and passes query params', async () => {
    let r = await call(handler, 'POST', '/api/receivers/recv/entities', jsonBody([{ _id: '1' }, { _id: '2' }]));
    expect(r.status).toBe(200);
    expect(r.plain).toEqual({});
    r = await call(handler, 'POST', '/api/receivers/recv/entities?is_full=true&sequence_id=s1', jsonBody({ _id: '3' }));
    expect(r.status).toBe(200);
    expect(engine.received).toEqual([
      { id: 'recv', entities: [{ _id: '1' }, { _id: '2' }], params: {} },
      { id: 'recv', entities: [{ _id: '3' }], params: { is_full: 'true', sequence_id: 's1' } },
    ]);
  });

  it('keeps big integers exact', async () => {
    await call(handler, 'POST', '/api/receivers/recv/entities', {
      body: '[{"_id": "1", "n": 98765432109876543210}]',
      headers: { 'content-type': 'application/json' },
    });
    expect(engine.received[0]!.entities[0]!.n).toBe(98765432109876543210n);
  });

  it('rejects invalid JSON, non-object items and unknown pipes', async () => {
    const bad = await call(handler, 'POST', '/api/receivers/recv/entities', {
      body: '[{',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.plain.message).toMatch(/not valid JSON/);
    const item = await call(handler, 'POST', '/api/receivers/recv/entities', jsonBody([{ _id: '1' }, 'x']));
    expect(item.status).toBe(400);
    expect(item.plain.message).toMatch(/item 1 is not/);
    expect((await call(handler, 'POST', '/api/receivers/none/entities', jsonBody([]))).status).toBe(404);
  });
});

describe('publishers', () => {
  it('serves the engine body with its content type and passes every query parameter (for _B)', async () => {
    const r = await call(handler, 'GET', '/api/publishers/out/csv?since=5&limit=1&country=NO');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.text).toBe('a\r\nb\r\n');
    expect(engine.published).toEqual([
      { id: 'out', endpoint: 'csv', params: { since: '5', limit: '1', country: 'NO' } },
    ]);
  });

  it('the /file variant is an attachment', async () => {
    const r = await call(handler, 'GET', '/api/publishers/out/entities/file');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="out.json"');
    expect(r.plain).toEqual([{ _id: 'a' }, { _id: 'b' }]);
  });

  it('404s for an unknown pipe or an endpoint the engine does not serve', async () => {
    expect((await call(handler, 'GET', '/api/publishers/none/csv')).status).toBe(404);
    const r = await call(handler, 'GET', '/api/publishers/out/excel');
    expect(r.status).toBe(404);
    expect(r.plain.message).toMatch(/no 'excel' endpoint/);
  });
});

describe('systems', () => {
  it('lists, gets, reads and replaces config, reports status, deletes', async () => {
    expect((await call(handler, 'GET', '/api/systems')).plain.map((s: { _id: string }) => s._id)).toEqual(['sys']);
    expect((await call(handler, 'GET', '/api/systems/sys')).status).toBe(200);
    expect((await call(handler, 'GET', '/api/systems/sys/config')).plain.url_pattern).toBe('http://example/%s');
    const put = await call(
      handler,
      'PUT',
      '/api/systems/sys/config',
      jsonBody({ type: 'system:url', url_pattern: 'http://other/%s' }),
    );
    expect(put.status).toBe(200);
    expect(engine.config.find((e) => e._id === 'sys')!.url_pattern).toBe('http://other/%s');
    expect((await call(handler, 'GET', '/api/systems/sys/status')).plain).toEqual({ running: false });
    expect((await call(handler, 'DELETE', '/api/systems/sys')).status).toBe(200);
    expect((await call(handler, 'GET', '/api/systems/sys')).status).toBe(404);
  });

  it('POST adds systems (201), 409 when one exists, 400 without a system type', async () => {
    const r = await call(handler, 'POST', '/api/systems', jsonBody([{ _id: 'new', type: 'system:url' }]));
    expect(r.status).toBe(201);
    expect((await call(handler, 'POST', '/api/systems', jsonBody([{ _id: 'new', type: 'system:url' }]))).status).toBe(
      409,
    );
    const bad = await call(handler, 'POST', '/api/systems', jsonBody([{ _id: 'p', type: 'pipe' }]));
    expect(bad.status).toBe(400);
    expect(bad.plain.message).toMatch(/system:/);
  });
});

describe('entities come back with sorted keys', () => {
  it('in Python code-point order, integer-like keys included ("15" < "2"), nested dicts too', async () => {
    engine.datasets.set('ds:2', [{ b: 1, _id: 'k', '2': 'two', '15': 'fifteen', A: { z: 1, '10': 2, '9': 3 } }]);
    const expected =
      '{"15": "fifteen", "2": "two", "A": {"10": 2, "9": 3, "z": 1}, "_history": true, "_id": "k", "b": 1}';
    expect((await call(handler, 'GET', '/api/datasets/ds:2/entities')).text).toBe(`[${expected}]`);
    expect((await call(handler, 'GET', '/api/datasets/ds:2/entity?entity_id=k')).text).toBe(
      expected.replace('"_history": true', '"_history": false'),
    );
  });

  it('for a pipe', async () => {
    engine.putConfig(
      [{ _id: 'p', type: 'pipe', source: { type: 'embedded', entities: [{ _id: 'a', '2': 1, '15': 2, B: 3 }] } }],
      { force: false },
    );
    expect((await call(handler, 'GET', '/api/pipes/p/entities')).text).toBe('[{"15": 2, "2": 1, "B": 3, "_id": "a"}]');
  });
});
