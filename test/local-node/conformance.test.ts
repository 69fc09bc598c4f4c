// Conformance with sesam-py's own fixture projects (real node output in expected/): upload the project, push
// testdata, run until stable, compare what sesam-py would verify. Skips when ../shared/fixtures is absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../../src/format/json.js';
import { NodeEngine } from '../../src/local-node/engine.js';
import { runParams, text } from './helpers.js';

const fixtures = resolve(import.meta.dirname, '../../../shared/fixtures/sesam-py');
const missing = !existsSync(fixtures);
const why = missing ? ' (skipped: ../shared/fixtures is not present in this clone)' : '';

const readJson = (path: string) => parseJson(readFileSync(path, 'utf8'));

function loadProject(dir: string): { engine: NodeEngine; hasTestdata: boolean } {
  const engine = NodeEngine.open({ memory: true, now: () => 1_700_000_000_000 });
  engine.putEnv(readJson(join(dir, 'test-env.json')) as JsonObject);
  const config: JsonObject[] = [readJson(join(dir, 'node-metadata.conf.json')) as JsonObject];
  for (const f of readdirSync(join(dir, 'pipes')).sort()) {
    const value = readJson(join(dir, 'pipes', f));
    config.push(...((Array.isArray(value) ? value : [value]) as JsonObject[]));
  }
  expect(engine.putConfig(config, { force: false })).toEqual([]);
  const testdata = join(dir, 'testdata');
  const hasTestdata = existsSync(testdata);
  if (hasTestdata) {
    for (const f of readdirSync(testdata)) {
      const value = readJson(join(testdata, f));
      engine.receive(f.replace(/\.json$/, ''), (Array.isArray(value) ? value : [value]) as JsonObject[], {});
    }
  }
  return { engine, hasTestdata };
}

/** sesam-py's filter: drop `_` keys except `_id` and `_deleted: true`, at every depth. */
function filterEntity(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(filterEntity);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    if (k.startsWith('_') && !(k === '_id' || (k === '_deleted' && value[k] === true))) continue;
    out[k] = filterEntity(value[k]!);
  }
  return out;
}

const canonical = (entities: JsonValue[]) => entities.map((e) => stringifyJson(e, { sortKeys: true })).sort();

async function verifyProject(dir: string): Promise<void> {
  const { engine, hasTestdata } = loadProject(dir);
  const result = await engine.runAllPipes(runParams({ deleteInputDatasets: !hasTestdata }));
  expect(result.status).toBe('success');
  const expectedDir = join(dir, 'expected');
  for (const f of readdirSync(expectedDir).filter((n) => n.endsWith('.test.json'))) {
    const spec = {
      endpoint: 'json',
      pipe: f.replace(/\.test\.json$/, ''),
      file: f.replace(/\.test\.json$/, '.json'),
      ...(readJson(join(expectedDir, f)) as JsonObject),
    };
    const file = join(expectedDir, String(spec.file).replace(/^expected\//, ''));
    if (spec.endpoint === 'json') {
      const current = engine
        .pipeEntities(String(spec.pipe), {})
        .map(filterEntity)
        .filter((e) => !(isJsonObject(e) && e._deleted === true));
      expect(canonical(current), `${f}`).toEqual(canonical(readJson(file) as JsonValue[]));
    } else {
      const published = engine.publish(String(spec.pipe), String(spec.endpoint), {});
      expect(text(published.body), `${f}`).toBe(readFileSync(file, 'utf8'));
    }
  }
}

describe(`sesam-py fixture projects${why}`, () => {
  it.skipIf(missing)('fair_weather_test: json and csv outputs match the real node', async () => {
    await verifyProject(join(fixtures, 'fair_weather_test'));
  });

  it.skipIf(missing)(
    'embedded_conversion_test (after convert): testdata pushed to receivers reaches the output',
    async () => {
      await verifyProject(join(fixtures, 'embedded_conversion_test-expected_after'));
    },
  );
});
