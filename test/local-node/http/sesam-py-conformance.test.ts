// Conformance: sesam-py's own fair_weather_test project driven through the HTTP API with the requests sesam-py
// makes (multipart zip upload, Python-style booleans, unencoded ids, lowercase "bearer"), compared with the
// expected files that sesam-py's CI recorded from a real Sesam node.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../../../src/format/json.js';
import { openLocalNode, type LocalNode } from '../../../src/local-node/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PROJECT = join(REPO, '..', 'shared', 'fixtures', 'sesam-py', 'fair_weather_test');
const present = existsSync(PROJECT);
if (!present) console.warn(`Skipping sesam-py conformance: ${PROJECT} is absent (it lives outside the repository).`);

const HEADERS = { accept: 'application/json,*/*', authorization: 'bearer eyJhbGciOiJub25lIn0.e30.c2ln' };
const BOUNDARY = '7c9f0e6d2b4a4e1f8f3d2a1b0c9e8d7f';

/** The body `requests` builds for files={'file': ('config', zip, 'application/zip')}. */
function pythonMultipart(zip: Uint8Array): Uint8Array {
  const head = strToU8(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="config"\r\nContent-Type: application/zip\r\n\r\n`,
  );
  const tail = strToU8(`\r\n--${BOUNDARY}--\r\n`);
  const body = new Uint8Array(head.length + zip.length + tail.length);
  body.set(head, 0);
  body.set(zip, head.length);
  body.set(tail, head.length + zip.length);
  return body;
}

function filterEntity(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(filterEntity);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('_') && k !== '_id' && !(k === '_deleted' && v === true)) continue;
    out[k] = filterEntity(v);
  }
  return out;
}

describe.skipIf(!present)('sesam-py fair_weather_test through the HTTP API', () => {
  let node: LocalNode;
  const send = async (
    method: string,
    path: string,
    init: { body?: Uint8Array | string; headers?: Record<string, string> } = {},
  ) =>
    node.fetch(
      new Request(`http://localhost:9042${path}`, {
        method,
        body: init.body,
        headers: { ...HEADERS, ...init.headers },
      }),
    );

  beforeAll(async () => {
    node = await openLocalNode({ memory: true });
  });
  afterAll(async () => node?.close());

  it('uploads, runs and produces the recorded node output', async () => {
    expect(
      ((await (await send('GET', '/api/')).json()) as { status: { developer_mode: boolean } }).status.developer_mode,
    ).toBe(true);

    const env = parseJson(readFileSync(join(PROJECT, 'test-env.json'), 'utf8'));
    expect(
      (await send('PUT', '/api/env', { body: stringifyJson(env), headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(200);

    // sesam-py zips the whitelisted files byte for byte.
    const files: Record<string, Uint8Array> = {};
    for (const line of readFileSync(join(PROJECT, 'whitelist.txt'), 'utf8').split(/\r?\n/).filter(Boolean)) {
      files[line] = readFileSync(join(PROJECT, line));
    }
    const upload = await send('PUT', '/api/config?force=false', {
      body: pythonMultipart(zipSync(files)),
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    });
    expect(upload.status, await upload.clone().text()).toBe(200);
    expect(await upload.json()).toEqual({ validation_errors: [] });

    const pipes = (await (await send('GET', '/api/pipes')).json()) as {
      _id: string;
      config: { effective: { sink: { type: string } } };
    }[];
    expect(pipes.map((p) => p._id).sort()).toEqual(['input-pipe1', 'output-pipe-csv', 'output-pipe1']);
    expect(pipes.find((p) => p._id === 'input-pipe1')!.config.effective.sink.type).toBe('dataset');

    expect((await send('POST', '/api/pipes/stop-run-all-pipes?terminate_timeout=30')).status).toBe(200);
    const run = await send(
      'POST',
      '/api/pipes/run-all-pipes?extra_zero_runs=2&max_run_time=900&max_runs=100&check_input_pipes=True&request_mode=sync',
    );
    expect(await run.json()).toMatchObject({ status: 'success' });

    const entities = parseJson(await (await send('GET', '/api/pipes/output-pipe1/entities')).text());
    const expected = parseJson(readFileSync(join(PROJECT, 'expected', 'output-pipe1.json'), 'utf8'));
    expect(filterEntity(entities)).toEqual(expected);

    // Endpoint pipes are enabled before their publisher is read, as sesam-py does.
    const enable = await send('POST', '/api/pipes/output-pipe-csv/pump', {
      body: 'operation=enable',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(enable.status).toBe(200);
    const csv = new Uint8Array(await (await send('GET', '/api/publishers/output-pipe-csv/csv')).arrayBuffer());
    expect(Buffer.from(csv).toString('utf8')).toBe(
      readFileSync(join(PROJECT, 'expected', 'output-pipe-csv.csv'), 'utf8'),
    );
  });
});
