// End to end with the real engine: the API client (src/node/client.ts) talking to the in-process node through
// openLocalNode().fetch, and plain fetch against `startServer` on a loopback port. Also checks that the skeleton
// template's expected output is what the node computes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../../src/commands/new.js';
import { isSesamError } from '../../../src/errors.js';
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../../../src/format/json.js';
import { connectLocalNode, openLocalNode, LOCAL_NODE_API_URL, type LocalNode } from '../../../src/local-node/index.js';
import { startServer } from '../../../src/local-node/server.js';
import { createLogger } from '../../../src/log.js';
import { createNodeApi } from '../../../src/node/client.js';
import type { NodeApi } from '../../../src/node/types.js';
import { tempDir } from '../../helpers/tmp.js';

const skeleton = join(TEMPLATES_DIR, 'skeleton');
const read = (path: string) => readFileSync(join(skeleton, path), 'utf8');

/** The skeleton's config as sesam-py zips it: pipes/, systems/ and node-metadata.conf.json. */
function skeletonZip(): Uint8Array {
  const files: Record<string, Uint8Array> = { 'node-metadata.conf.json': strToU8(read('node-metadata.conf.json')) };
  for (const name of readdirSync(join(skeleton, 'pipes'))) files[`pipes/${name}`] = strToU8(read(`pipes/${name}`));
  return zipSync(files);
}

/** sesam-py's verify filter: drop `_` keys except _id and _deleted:true, at every depth. */
function stripInternal(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(stripInternal);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('_') && k !== '_id' && !(k === '_deleted' && v === true)) continue;
    out[k] = stripInternal(v);
  }
  return out;
}

const byId = (a: JsonValue, b: JsonValue) => String((a as JsonObject)._id).localeCompare(String((b as JsonObject)._id));

let node: LocalNode;
let api: NodeApi;

beforeAll(async () => {
  node = await openLocalNode({ memory: true });
  const log = createLogger({ stream: { write: () => true }, verbosity: 0, color: false });
  api = createNodeApi({ baseUrl: LOCAL_NODE_API_URL, fetch: node.fetch, log, label: 'local', retries: 0 });
});
afterAll(async () => {
  await node.close();
});

describe('the API client against the in-process node', () => {
  it('passes the developer-mode gate', async () => {
    expect(((await api.getInfo()).status as JsonObject).developer_mode).toBe(true);
  });

  it('uploads env and the skeleton config, runs until stable and computes the expected output', async () => {
    await api.putEnv(parseJson(read('test-env.json')) as JsonObject);
    const upload = await api.putConfig({ zip: skeletonZip() }, { force: false });
    expect(upload.validationErrors).toEqual([]);

    const pipes = await api.getPipes();
    expect(pipes.map((p) => p._id).sort()).toEqual(['person', 'person-endpoint']);
    const endpoint = pipes.find((p) => p._id === 'person-endpoint')!;
    expect((endpoint.config.effective.sink as JsonObject).type).toBe('http_endpoint');
    expect(endpoint.runtime['is-valid-config']).toBe(true);

    await api.stopRunner();
    const run = await api.runAllPipes({ extraZeroRuns: 2, maxRunTime: 900, maxRuns: 100, requestMode: 'sync' });
    expect(run.status).toBe('success');

    const actual = (stripInternal(await api.getPipeEntities('person-endpoint')) as JsonValue[]).sort(byId);
    const expected = (parseJson(read('expected/person-endpoint.json')) as JsonValue[]).sort(byId);
    expect(actual).toEqual(expected);

    const published = parseJson(new TextDecoder().decode(await api.getPublished('person-endpoint', 'entities')));
    expect((stripInternal(published) as JsonValue[]).sort(byId)).toEqual(expected);
  });

  it('downloads the config as a zip that uploads again unchanged', async () => {
    const zip = await api.getConfigZip();
    expect((await api.putConfig({ zip }, { force: false })).validationErrors).toEqual([]);
    const json = await api.getConfigJson();
    expect(json.map((e) => (e as JsonObject)._id).sort()).toEqual(['node', 'person', 'person-endpoint']);
  });

  it('turns a 400 with validation errors into a node error naming the pipe', async () => {
    const bad = { _id: 'broken', type: 'pipe', source: { type: 'no-such-source' } };
    let caught: unknown;
    try {
      await api.putConfig({ json: [bad] }, { force: false });
    } catch (err) {
      caught = err;
    }
    expect(isSesamError(caught) && caught.kind).toBe('node');
    expect(String((caught as Error).message) + String((caught as { reason?: string }).reason)).toContain('broken');
    // Nothing was applied.
    expect((await api.getPipe('person-endpoint'))?._id).toBe('person-endpoint');
    expect(await api.getPipe('broken')).toBeNull();
  });

  it('runs pump operations and answers 404 as absent', async () => {
    const pump = await api.pumpOperation('person', 'enable');
    expect((pump.runtime as JsonObject)['is-disabled']).toBe(false);
    expect(await api.getPipe('nope')).toBeNull();
    expect(await api.getDataset('nope')).toBeNull();
  });
});

describe('connectLocalNode (--node local)', () => {
  it('keeps the state under <project>/.sesam/local-node between connections', async () => {
    const projectDir = tempDir();
    const log = createLogger({ stream: { write: () => true }, verbosity: 0, color: false });
    const first = await connectLocalNode({ projectDir, log });
    expect(first.baseUrl).toBe('local');
    expect(first.label).toBe('local');
    await first.putEnv({ 'node-env': 'test' });
    await first.putConfig(
      { json: [{ _id: 'p', type: 'pipe', source: { type: 'embedded', entities: [] } }] },
      { force: false },
    );
    await first.close();
    expect(existsSync(join(projectDir, '.sesam', 'local-node'))).toBe(true);

    const second = await connectLocalNode({ projectDir, log });
    try {
      expect(await second.getEnv()).toEqual({ 'node-env': 'test' });
      expect((await second.getPipes()).map((p) => p._id)).toEqual(['p']);
    } finally {
      await second.close();
    }
  });
});

describe('startServer', () => {
  it('serves the real engine on a loopback port until closed', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', memory: true });
    try {
      const info = (await (await fetch(`${server.url}/api/`)).json()) as { status: { developer_mode: boolean } };
      expect(info.status.developer_mode).toBe(true);
      const put = await fetch(`${server.url}/api/config`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ _id: 'p', type: 'pipe', source: { type: 'embedded', entities: [{ _id: 'a' }] } }]),
      });
      expect(put.status).toBe(200);
      const pipes = (await (await fetch(`${server.url}/api/pipes`)).json()) as { _id: string }[];
      expect(pipes.map((p) => p._id)).toEqual(['p']);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api/`)).rejects.toThrow();
  });
});
