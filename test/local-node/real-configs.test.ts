// Conformance over public real-world projects (../shared/fixtures/real-configs) and expanded connector
// configurations (../shared/fixtures/connectors/*/golden-expanded): each one must get through
// `sesam test --node local` as on a real node — upload accepted, every runnable pipe run (or waiting for a dataset,
// or failing only for a node-only env variable it needs), external sources read as empty with a note.
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isJsonObject, parseJson, type JsonObject } from '../../src/format/json.js';
import { NodeEngine } from '../../src/local-node/engine.js';
import { localConfigEntries } from '../../src/workspace/config-zip.js';
import { readProfileEnv } from '../../src/workspace/project.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir } from '../helpers/tmp.js';
import { runParams } from './helpers.js';

const SHARED = fileURLToPath(new URL('../../../shared/fixtures', import.meta.url));
const FIXTURES = join(SHARED, 'real-configs');
const CONNECTORS = join(SHARED, 'connectors');

const folders = (root: string) =>
  existsSync(root)
    ? readdirSync(root, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
    : [];
/** Real projects, and connector configurations as `sesam expand` wrote them (systems of external types, many
 * templated pipes). */
const projects = [
  ...folders(FIXTURES).map((name) => ({ name, dir: join(FIXTURES, name) })),
  ...folders(CONNECTORS)
    .filter((name) => existsSync(join(CONNECTORS, name, 'golden-expanded')))
    .map((name) => ({ name: `expanded ${name}`, dir: join(CONNECTORS, name, 'golden-expanded') })),
];

function copy(from: string): string {
  const dir = tempDir('sesam-real-config-');
  cpSync(from, dir, { recursive: true });
  return dir;
}

describe.skipIf(projects.length === 0)(`real-world projects (skipped when ${SHARED} is absent)`, () => {
  it.each(projects)('$name gets through sesam test --node local', async ({ dir: from }) => {
    const dir = copy(from);
    const r = await runMain(['test', '--node', 'local'], { cwd: dir });
    expect(r.stderr).not.toMatch(/rejected the config|Traceback|\n\s+at /);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).toContain('Config uploaded successfully');
    // The "pipes/systems/variables" layout keeps whitelists in deployment/whitelist-<name>.txt.
    const deployment = join(dir, 'deployment');
    const whitelists = existsSync(deployment)
      ? readdirSync(deployment).filter((f) => /^whitelist-.*\.txt$/.test(f))
      : [];
    for (const file of whitelists) {
      const w = await runMain(['test', '--node', 'local', '-whitelist-file', `deployment/${file}`], { cwd: dir });
      expect([file, w.code]).toEqual([file, expect.toBeOneOf([0, 1])]);
    }
  });

  it.each(projects)('$name: every runnable pipe runs, waits or fails on its own', async ({ dir: from }) => {
    const dir = copy(from);
    const engine = NodeEngine.open({ memory: true });
    try {
      engine.putEnv(readProfileEnv(dir, 'test'));
      const config = localConfigEntries(dir).flatMap((f) => {
        const value = parseJson(f.text);
        return (Array.isArray(value) ? value : [value]).filter(isJsonObject) as JsonObject[];
      });
      const refused = engine
        .putConfig(config, { force: false })
        .filter((e) => e['config-errors'].some((c) => c.level === 'error'));
      expect(refused).toEqual([]);
      const result = await engine.runAllPipes(runParams());
      const runnable = engine
        .listPipes()
        .filter((p) => ['input', 'internal'].includes(kindOf(p.config.effective as JsonObject)));
      expect(runnable.length).toBeGreaterThan(0);
      for (const pipe of runnable) {
        const runtime = pipe.runtime as JsonObject;
        expect([pipe._id, runtime['last-run-status']]).not.toEqual([pipe._id, null]);
        // Only input pipes may fail for other reasons than a node-only variable (they do not fail the run).
        const kind = kindOf(pipe.config.effective as JsonObject);
        if (runtime['last-run-status'] === 'failed' && kind !== 'input') {
          expect([pipe._id, runtime['runtime-error']]).toEqual([pipe._id, expect.any(String)]);
        }
      }
      if (result.status === 'failed') expect(String(result.additional_info)).toMatch(/environment variable/);
      const externals = runnable.filter((p) => /^(sql|rest|json|csv|ldap|http)$/.test(String(sourceType(p))));
      const log = engine.runnerLog({}).map((l) => String(l.logdata));
      for (const pipe of externals.filter((p) => p.runtime['last-run-status'] === 'ok')) {
        expect(log.some((l) => l.includes(`pipe '${pipe._id}'`) && l.includes('reads it as empty'))).toBe(true);
      }
    } finally {
      engine.close();
    }
  });
});

function sourceType(pipe: { config: { effective: JsonObject } }): unknown {
  const source = pipe.config.effective.source;
  return isJsonObject(source) ? source.type : undefined;
}

/** sesam-py's classification from the effective config (input/internal pipes are the ones the runner pumps). */
function kindOf(effective: JsonObject): string {
  const source = isJsonObject(effective.source) ? effective.source : {};
  const sink = isJsonObject(effective.sink) ? effective.sink : {};
  if (source.type === 'http_endpoint') return 'receiver';
  if (String(sink.type).endsWith('_endpoint')) return 'endpoint';
  if (sink.type !== 'dataset') return 'output';
  return ['dataset', 'union_datasets', 'merge', 'merge_datasets', 'diff_datasets'].includes(String(source.type))
    ? 'internal'
    : 'input';
}
