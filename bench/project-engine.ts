// Child process of bench/project.ts: the embedded node's own work on a generated project, in-process and cold (as in
// one `sesam test`), without the CLI around it: install the config, run all pipes until stable, compute the entities
// of every output pipe. Prints one JSON line of CPU milliseconds per step. Usage: node project-engine.js DIR
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject, parseJson, type JsonObject } from '../src/format/json.js';
import { NodeEngine } from '../src/local-node/engine.js';
import { RUN_UNTIL_STABLE } from './local-node.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: project-engine.js PROJECT_DIR');
const read = (path: string) => parseJson(readFileSync(join(dir, path), 'utf8')) as JsonObject;
const config: JsonObject[] = [];
for (const folder of ['pipes', 'systems'])
  for (const f of readdirSync(join(dir, folder)).sort()) config.push(read(join(folder, f)));
config.push(read('node-metadata.conf.json'));

const cpuMs = (from: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(from);
  return Math.round((c.user + c.system) / 1000);
};
const engine = NodeEngine.open({ memory: true });
engine.putEnv(read('test-env.json'));
let t = process.cpuUsage();
const errors = engine.putConfig(config, { force: false });
const install = cpuMs(t);
// Warnings (an $ENV name the env lacks) do not stop an upload; errors do.
const refused = errors.filter(
  (e) =>
    isJsonObject(e) &&
    Array.isArray(e['config-errors']) &&
    e['config-errors'].some((c) => isJsonObject(c) && c.level === 'error'),
);
if (refused.length) throw new Error(`config rejected: ${JSON.stringify(refused).slice(0, 500)}`);
t = process.cpuUsage();
const result = await engine.runAllPipes(RUN_UNTIL_STABLE);
const run = cpuMs(t);
if (result.status !== 'success') throw new Error(`run failed: ${JSON.stringify(result)}`);
t = process.cpuUsage();
let entities = 0;
for (const p of config) {
  const sink = isJsonObject(p.sink) ? p.sink : {};
  if (typeof p._id === 'string' && typeof sink.type === 'string' && sink.type !== 'dataset')
    entities += engine.pipeEntities(p._id, {}).length;
}
const outputs = cpuMs(t);
engine.close();
process.stdout.write(`${JSON.stringify({ install, run, outputs, entities })}\n`);
