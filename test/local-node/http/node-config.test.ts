// The node, config, env and secrets routes over the fake engine.
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeEach, describe, expect, it } from 'vitest';
import { JsonFloat } from '../../../src/format/json.js';
import { createNodeHandler, type NodeHandler } from '../../../src/local-node/http/handler.js';
import { call, formBody, jsonBody } from './call.js';
import { FakeEngine } from './fake-engine.js';

let engine: FakeEngine;
let handler: NodeHandler;

beforeEach(() => {
  engine = new FakeEngine();
  handler = createNodeHandler(engine);
});

const pipeA = { _id: 'a', type: 'pipe', source: { type: 'embedded', entities: [{ _id: '1', x: 1.0 }] } };
const systemS = { _id: 's', type: 'system:url', url_pattern: 'http://x/%s' };
const metadata = { _id: 'node', type: 'metadata', namespaced_identifiers: true };

function multipartUpload(part: Blob, name = 'file'): { body: FormData } {
  const fd = new FormData();
  fd.append(name, part, 'config');
  return { body: fd };
}

describe('node info and admin', () => {
  it('GET /api/ says developer mode, with or without the trailing slash', async () => {
    for (const path of ['/api/', '/api']) {
      const r = await call(handler, 'GET', path);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.plain.status.developer_mode).toBe(true);
      expect(r.plain.status.node_start_time).toBe('t1000');
    }
  });

  it('GET /api/status is the engine status', async () => {
    expect((await call(handler, 'GET', '/api/status')).plain).toEqual({ node_start_time: 't1000' });
  });

  it('POST /api/admin restart and reset answer {"message":"OK"} and reach the engine', async () => {
    engine.env = { a: 1 };
    const restart = await call(handler, 'POST', '/api/admin', formBody({ operation: 'restart' }));
    expect(restart.status).toBe(200);
    expect(restart.text).toBe('{"message": "OK"}');
    expect(engine.startTime).toBe(1001);
    expect(engine.env).toEqual({ a: 1 });
    await call(handler, 'POST', '/api/admin', formBody({ operation: 'reset' }));
    expect(engine.startTime).toBe(1002);
    expect(engine.env).toEqual({});
  });

  it('POST /api/admin without or with an unknown operation is a 400', async () => {
    const missing = await call(handler, 'POST', '/api/admin', formBody({}));
    expect(missing.status).toBe(400);
    expect(missing.plain.message).toMatch(/'operation' is missing/);
    const unknown = await call(handler, 'POST', '/api/admin', formBody({ operation: 'explode' }));
    expect(unknown.status).toBe(400);
    expect(unknown.plain.message).toMatch(/doesn't support the operation 'explode'/);
  });

  it('ping and health answer from the engine, 503 when it fails', async () => {
    expect((await call(handler, 'GET', '/api/ping')).plain).toEqual({ status: 'running' });
    expect((await call(handler, 'GET', '/api/health')).status).toBe(200);
    engine.failNext = 'status';
    const sick = await call(handler, 'GET', '/api/health');
    expect(sick.status).toBe(503);
    expect(sick.plain.message).toMatch(/not healthy: the status store is broken/);
  });

  it('POST /api/jwt returns a three-part token for any email and password', async () => {
    const r = await call(handler, 'POST', '/api/jwt', formBody({ email: 'dev@example.com', password: 'x' }));
    expect(r.status).toBe(200);
    const token = r.plain as string;
    const parts = token.split('.');
    expect(parts).toHaveLength(3);
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    expect(payload.sub).toBe('dev@example.com');
    expect(payload.principals).toBeUndefined();
    const json = await call(handler, 'POST', '/api/jwt', jsonBody({ email: 'a@b.c', password: 'y' }));
    expect(json.status).toBe(200);
    expect((await call(handler, 'POST', '/api/jwt', formBody({ password: 'x' }))).status).toBe(400);
  });

  it('any bearer token (or none) is accepted', async () => {
    const r = await call(handler, 'GET', '/api/status', { headers: { authorization: 'Bearer not.a.jwt' } });
    expect(r.status).toBe(200);
  });
});

describe('unknown routes and errors', () => {
  it('answers 404 with a message for unknown paths and paths outside /api', async () => {
    const r = await call(handler, 'GET', '/api/nonsense/here');
    expect(r.status).toBe(404);
    expect(r.plain.message).toMatch(/\/api\/nonsense\/here is no endpoint/);
    expect((await call(handler, 'GET', '/other')).status).toBe(404);
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    const r = await call(handler, 'DELETE', '/api/config');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, PUT, POST');
  });

  it('answers HEAD like GET without a body', async () => {
    const r = await call(handler, 'HEAD', '/api/status');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.bytes.length).toBe(0);
  });

  it('answers 400 for a malformed percent escape', async () => {
    const r = await call(handler, 'GET', '/api/pipes/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/percent-encoding/);
  });

  it('answers 500 with a message, never a stack, for unexpected errors', async () => {
    engine.config = [pipeA];
    engine.failNext = 'pipeEntities';
    const r = await call(handler, 'GET', '/api/pipes/a/entities');
    expect(r.status).toBe(500);
    expect(r.plain).toEqual({ message: 'Internal error in the embedded node: the pipeEntities store is broken' });
    expect(r.text).not.toMatch(/at .*\.ts/);
  });
});

describe('/api/config', () => {
  it('PUT with a multipart zip part replaces the config and answers 200 with no validation errors', async () => {
    engine.config = [{ _id: 'old', type: 'pipe', source: { type: 'embedded' } }];
    const zip = zipSync({
      'pipes/a.conf.json': strToU8(JSON.stringify(pipeA)),
      'systems/s.conf.json': strToU8(JSON.stringify([systemS])),
      'node-metadata.conf.json': strToU8(JSON.stringify(metadata)),
    });
    const r = await call(
      handler,
      'PUT',
      '/api/config?force=false',
      multipartUpload(new Blob([zip], { type: 'application/zip' })),
    );
    expect(r.status).toBe(200);
    expect(r.plain).toEqual({ validation_errors: [] });
    expect(engine.config.map((e) => e._id).sort()).toEqual(['a', 'node', 's']);
  });

  it('PUT with a multipart JSON part and with raw JSON and zip bodies', async () => {
    let r = await call(
      handler,
      'PUT',
      '/api/config',
      multipartUpload(new Blob([JSON.stringify([pipeA, metadata])], { type: 'application/json' })),
    );
    expect(r.status).toBe(200);
    expect(engine.config.map((e) => e._id)).toEqual(['a', 'node']);

    r = await call(handler, 'PUT', '/api/config', jsonBody([systemS]));
    expect(r.status).toBe(200);
    expect(engine.config.map((e) => e._id)).toEqual(['s']);

    const zip = zipSync({ 'pipes/a.conf.json': strToU8(JSON.stringify(pipeA)) });
    r = await call(handler, 'PUT', '/api/config', { body: zip, headers: { 'content-type': 'application/zip' } });
    expect(r.status).toBe(200);
    expect(engine.config.map((e) => e._id)).toEqual(['a']);
  });

  it('recognises a zip or JSON part without a content type by its bytes', async () => {
    const zip = zipSync({ 'pipes/a.conf.json': strToU8(JSON.stringify(pipeA)) });
    expect((await call(handler, 'PUT', '/api/config', multipartUpload(new Blob([zip])))).status).toBe(200);
    expect(engine.config.map((e) => e._id)).toEqual(['a']);
    expect((await call(handler, 'PUT', '/api/config', multipartUpload(new Blob(['[]'])))).status).toBe(200);
    expect(engine.config).toEqual([]);
  });

  it('wipe: PUT [] removes everything', async () => {
    engine.config = [pipeA, systemS];
    expect((await call(handler, 'PUT', '/api/config', jsonBody([]))).status).toBe(200);
    expect(engine.config).toEqual([]);
  });

  it('answers 400 with validation_errors unless force, and applies with force', async () => {
    const bad = { _id: 'bad', type: 'pipe', source: { type: 'bogus' } };
    const r = await call(handler, 'PUT', '/api/config?force=false', jsonBody([bad]));
    expect(r.status).toBe(400);
    expect(r.plain.validation_errors[0]['posted-config']._id).toBe('bad');
    expect(r.plain.validation_errors[0]['config-errors'][0]).toEqual({
      level: 'error',
      msg: "Unknown source type 'bogus'",
      elements: "$['source']['type']",
    });
    expect(engine.config).toEqual([]);

    const forced = await call(handler, 'PUT', '/api/config?force=True', jsonBody([bad]));
    expect(forced.status).toBe(200);
    expect(forced.plain.validation_errors).toHaveLength(1);
    expect(engine.config.map((e) => e._id)).toEqual(['bad']);
  });

  it('warnings alone do not block an upload', async () => {
    const r = await call(handler, 'PUT', '/api/config', jsonBody([{ ...pipeA, comment: 'warn' }]));
    expect(r.status).toBe(200);
    expect(r.plain.validation_errors[0]['config-errors'][0].level).toBe('warning');
  });

  it.each([
    ['invalid JSON', jsonBody('x').body.slice(1), 'application/json', /not valid JSON/],
    ['an empty body', '', 'application/json', /empty/],
    ['a JSON non-object item', '[1]', 'application/json', /item 0 is 1/],
    ['a bad zip', 'PK\u0003\u0004 not really a zip', 'application/zip', /not a readable zip/],
  ])('PUT with %s is a 400 with the reason', async (_label, body, type, message) => {
    const r = await call(handler, 'PUT', '/api/config', { body, headers: { 'content-type': type } });
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(message);
  });

  it('PUT with a zip holding invalid JSON or a non-JSON file names the file', async () => {
    let zip = zipSync({ 'pipes/a.conf.json': strToU8('{"_id": ') });
    let r = await call(handler, 'PUT', '/api/config', { body: zip, headers: { 'content-type': 'application/zip' } });
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/'pipes\/a\.conf\.json' in the config zip is not valid JSON/);
    zip = zipSync({ 'README.md': strToU8('hi') });
    r = await call(handler, 'PUT', '/api/config', { body: zip, headers: { 'content-type': 'application/zip' } });
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/'README\.md'/);
  });

  it('PUT multipart without the part "file" or with a broken body is a 400', async () => {
    let r = await call(handler, 'PUT', '/api/config', multipartUpload(new Blob(['[]']), 'upload'));
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/no part named 'file' \(parts: 'upload'\)/);
    r = await call(handler, 'PUT', '/api/config', {
      body: '--zz\r\nnothing',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
    });
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/multipart\/form-data body is malformed/);
    r = await call(handler, 'PUT', '/api/config', { body: 'x', headers: { 'content-type': 'multipart/form-data' } });
    expect(r.status).toBe(400);
    expect(r.plain.message).toMatch(/no boundary/);
  });

  it('GET returns a JSON array, or a zip in sesam-py layout when asked for one', async () => {
    const floatPipe = { ...pipeA, source: { type: 'embedded', entities: [{ _id: '1', x: new JsonFloat(1) }] } };
    engine.config = [floatPipe, systemS, metadata];
    const json = await call(handler, 'GET', '/api/config', { headers: { accept: 'application/json' } });
    expect(json.plain).toEqual([pipeA, systemS, metadata]);
    // Lossless: the float 1.0 stays a float.
    expect(json.text).toContain('"x": 1.0');

    const zip = await call(handler, 'GET', '/api/config', { headers: { accept: 'application/zip' } });
    expect(zip.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(zip.bytes);
    expect(Object.keys(files).sort()).toEqual(['node-metadata.conf.json', 'pipes/a.conf.json', 'systems/s.conf.json']);
    expect(new TextDecoder().decode(files['pipes/a.conf.json'])).toContain('"x": 1.0');
    expect(JSON.parse(new TextDecoder().decode(files['systems/s.conf.json']))).toEqual(systemS);
    // The same config zips to the same bytes.
    const again = await call(handler, 'GET', '/api/config', { headers: { accept: 'application/zip' } });
    expect(again.bytes).toEqual(zip.bytes);
  });

  it('POST adds or replaces components and keeps the rest', async () => {
    engine.config = [pipeA, systemS];
    const changed = { ...pipeA, comment: 'new' };
    const r = await call(handler, 'POST', '/api/config', jsonBody([changed, { _id: 'b', type: 'pipe' }]));
    expect(r.status).toBe(200);
    expect(engine.config).toEqual([changed, systemS, { _id: 'b', type: 'pipe' }]);
  });
});

describe('/api/env and /api/secrets', () => {
  it('PUT replaces all variables; GET returns them losslessly', async () => {
    engine.env = { old: 'x' };
    const big = '{"node-env": "test", "n": 12345678901234567890, "f": 2.0}';
    const r = await call(handler, 'PUT', '/api/env', { body: big, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    expect(engine.env).toEqual({ 'node-env': 'test', n: 12345678901234567890n, f: expect.anything() });
    expect((await call(handler, 'GET', '/api/env')).text).toBe(big);
  });

  it('POST merges, DELETE removes one, PUT {} removes all', async () => {
    engine.env = { a: 1 };
    await call(handler, 'POST', '/api/env', jsonBody({ b: 2 }));
    expect(engine.env).toEqual({ a: 1, b: 2 });
    const del = await call(handler, 'DELETE', '/api/env/a');
    expect(del.plain).toEqual({ b: 2 });
    expect((await call(handler, 'DELETE', '/api/env/a')).status).toBe(404);
    await call(handler, 'PUT', '/api/env', jsonBody({}));
    expect(engine.env).toEqual({});
  });

  it('PUT /api/env with a non-object or invalid JSON is a 400', async () => {
    expect((await call(handler, 'PUT', '/api/env', jsonBody([1]))).plain.message).toMatch(/must be a JSON object/);
    expect(
      (await call(handler, 'PUT', '/api/env', { body: '{', headers: { 'content-type': 'application/json' } })).status,
    ).toBe(400);
  });

  it('secrets: names only on read; PUT replaces, POST adds, DELETE removes', async () => {
    await call(handler, 'PUT', '/api/secrets', jsonBody({ a: '1', b: '2' }));
    expect((await call(handler, 'GET', '/api/secrets')).plain).toEqual(['a', 'b']);
    await call(handler, 'POST', '/api/secrets', jsonBody({ c: '3' }));
    expect(engine.secrets).toEqual({ a: '1', b: '2', c: '3' });
    await call(handler, 'PUT', '/api/secrets', jsonBody({ d: '4' }));
    expect(engine.secrets).toEqual({ d: '4' });
    expect((await call(handler, 'DELETE', '/api/secrets/d')).plain).toEqual([]);
    expect((await call(handler, 'DELETE', '/api/secrets/d')).status).toBe(404);
    expect((await call(handler, 'PUT', '/api/secrets', jsonBody({ n: 1 }))).plain.message).toMatch(
      /'n' must be a string/,
    );
  });
});

describe('/api/metadata', () => {
  it('GET returns the stored metadata or an empty one; PUT replaces it', async () => {
    const empty = { _id: 'node', type: 'metadata' };
    expect((await call(handler, 'GET', '/api/metadata')).plain).toEqual({
      _id: 'node',
      config: { original: empty, effective: empty },
    });
    engine.config = [pipeA];
    const r = await call(handler, 'PUT', '/api/metadata', jsonBody({ namespaced_identifiers: true }));
    expect(r.plain).toEqual({ _id: 'node', config: { original: metadata, effective: metadata } });
    expect(engine.config).toEqual([pipeA, metadata]);
    await call(handler, 'DELETE', '/api/metadata');
    expect(engine.config).toEqual([pipeA]);
  });
});
