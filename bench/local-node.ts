// Embedded node benchmarks. (b) one pipe over 100,000 entities doing copy + 5 adds + a hops join against a
// 100,000-entity dataset, versus a hand-written JS loop doing the same on in-memory arrays (target ≤ 5×).
// (c) run-until-stable of 200 chained pipes × 1,000 entities.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../src/format/json.js';
import { NodeEngine } from '../src/local-node/engine.js';
import type { RunParams } from '../src/local-node/runner.js';

/** Run-until-stable parameters of the benches that drive an engine: sesam-py's limits, input checks, statistics. */
export const RUN_UNTIL_STABLE: RunParams = {
  extraZeroRuns: 2,
  maxRuns: 100,
  maxRunTime: 900,
  deleteInputDatasets: true,
  checkInputPipes: true,
  resetPipesAndDeleteSinkDatasets: true,
  outputRunStatistics: true,
};

const N = 100_000;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function sourceEntities(): JsonObject[] {
  return Array.from({ length: N }, (_, i) => ({ _id: `e${i}`, a: i, b: `name ${i}`, ref: `r${(i * 7) % N}` }));
}

function otherEntities(): JsonObject[] {
  return Array.from({ length: N }, (_, i) => ({ _id: `r${i}`, v: i, label: `label ${i}` }));
}

const RULES = {
  default: [
    ['copy', '*'],
    ['add', 'x1', ['upper', '_S.b']],
    ['add', 'x2', ['plus', '_S.a', 1]],
    ['add', 'x3', ['concat', '_S.b', '-', '_S.ref']],
    ['add', 'x4', ['lower', '_S.b']],
    ['add', 'x5', ['string', '_S.a']],
    ['add', 'joined', ['hops', { datasets: ['other o'], where: [['eq', '_S.ref', 'o._id']], return: 'o.v' }]],
  ],
};

/** The same work by hand: copy, 5 adds, a join through a Map built from the other array. */
function handWritten(source: JsonObject[], other: JsonObject[]): JsonObject[] {
  const index = new Map<string, JsonObject[]>();
  for (const o of other) {
    const k = o._id as string;
    const list = index.get(k);
    if (list) list.push(o);
    else index.set(k, [o]);
  }
  const out: JsonObject[] = [];
  for (const s of source) {
    const t: JsonObject = { ...s };
    t.x1 = String(s.b).toUpperCase();
    t.x2 = (s.a as number) + 1;
    t.x3 = `${String(s.b)}-${String(s.ref)}`;
    t.x4 = String(s.b).toLowerCase();
    t.x5 = String(s.a);
    t.joined = (index.get(s.ref as string) ?? []).map((o) => o.v!);
    out.push(t);
  }
  return out;
}

async function benchPipe(): Promise<string[]> {
  const engine = NodeEngine.open({ memory: true });
  const errors = engine.putConfig(
    [
      { _id: 'src', type: 'pipe', source: { type: 'embedded', entities: sourceEntities() } },
      { _id: 'other', type: 'pipe', source: { type: 'embedded', entities: otherEntities() } },
      {
        _id: 'work',
        type: 'pipe',
        source: { type: 'dataset', dataset: 'src' },
        transform: { type: 'dtl', rules: RULES },
      },
    ] as JsonObject[],
    { force: false },
  );
  if (errors.length) throw new Error(JSON.stringify(errors).slice(0, 500));
  engine.pumpOperation('src', 'start', {});
  engine.pumpOperation('other', 'start', {});

  // Transform only (read from the store + DTL, no writes): the pipe's after-transforms stage.
  let t = process.hrtime.bigint();
  const computed = engine.pipeEntities('work', { stage: 'after-transforms' });
  const computeS = seconds(t);
  if (computed.length !== N) throw new Error(`expected ${N} entities, got ${computed.length}`);

  // A full pump run: read, DTL, hash and write 100,000 new versions in one transaction.
  t = process.hrtime.bigint();
  const pump = engine.pumpOperation('work', 'start', {});
  const runS = seconds(t);
  const message = String((pump.runtime as JsonObject)['last-message']);
  if (!message.includes(`${N} written`)) throw new Error(`pump run did not write ${N}: ${message}`);
  engine.close();

  const source = sourceEntities();
  const other = otherEntities();
  handWritten(source, other); // warm-up
  t = process.hrtime.bigint();
  const baseline = handWritten(source, other);
  const baseS = seconds(t);
  if (baseline.length !== N) throw new Error('baseline size');

  const rate = (s: number) => Math.round(N / s).toLocaleString('en-US');
  const ratioCompute = computeS / baseS;
  const ratioRun = runS / baseS;
  return [
    '### (b) One pipe: copy + 5 adds + hops join, 100,000 × 100,000',
    '',
    '| measurement | seconds | entities/s | ratio to hand-written loop |',
    '|---|---|---|---|',
    `| hand-written JS loop on arrays | ${baseS.toFixed(3)} | ${rate(baseS)} | 1.0× |`,
    `| pipe entities (store read + DTL, after-transforms) | ${computeS.toFixed(3)} | ${rate(computeS)} | ${ratioCompute.toFixed(1)}× |`,
    `| pump run (read + DTL + hash + SQLite write) | ${runS.toFixed(3)} | ${rate(runS)} | ${ratioRun.toFixed(1)}× |`,
    '',
    `Target ≤ 5× the hand-written loop: ${ratioCompute <= 5 ? 'met' : 'not met'} for the transform path (${ratioCompute.toFixed(1)}×), ` +
      `${ratioRun <= 5 ? 'met' : 'not met'} for a full pump run with durable writes (${ratioRun.toFixed(1)}×).`,
  ];
}

async function benchChain(): Promise<string[]> {
  const PIPES = 200;
  const ENTITIES = 1000;
  const config: JsonObject[] = [
    {
      _id: 'p0',
      type: 'pipe',
      source: { type: 'embedded', entities: Array.from({ length: ENTITIES }, (_, i) => ({ _id: `e${i}`, n: i })) },
    },
  ];
  for (let i = 1; i < PIPES; i++) {
    config.push({
      _id: `p${i}`,
      type: 'pipe',
      source: { type: 'dataset', dataset: `p${i - 1}` },
      transform: {
        type: 'dtl',
        rules: {
          default: [
            ['copy', '*'],
            ['add', `s${i % 5}`, i],
          ],
        },
      },
    });
  }
  // Listed in reverse so the runner has to order them.
  config.reverse();
  const engine = NodeEngine.open({ memory: true });
  const errors = engine.putConfig(config, { force: false });
  if (errors.length) throw new Error(JSON.stringify(errors).slice(0, 500));
  const t = process.hrtime.bigint();
  const result = await engine.runAllPipes(RUN_UNTIL_STABLE);
  const s = seconds(t);
  if (result.status !== 'success') throw new Error(JSON.stringify(result));
  const last = engine.datasetEntities(`p${PIPES - 1}`, { history: false });
  engine.close();
  if (last.length !== ENTITIES) throw new Error('chain output size');
  return [
    `### (c) Run until stable: ${PIPES} chained pipes × ${ENTITIES.toLocaleString('en-US')} entities`,
    '',
    `${(PIPES * ENTITIES).toLocaleString('en-US')} entity writes through ${PIPES} pipes (each a DTL copy + add), ` +
      `pass 0 plus 2 zero-change passes: **${s.toFixed(2)} s** (${Math.round((PIPES * ENTITIES) / s).toLocaleString('en-US')} entities/s). ` +
      `Runner: ${String(result.additional_info)}.`,
    '',
    'No fixed target; recorded to catch regressions (a `sesam test` on a typical project is far smaller).',
  ];
}

// (a) `sesam test --node local` on the bundled example, as a user runs it: the built CLI spawned in a fresh temp
// copy of templates/example (needs `npm run build`), wall time, median of 3. The breakdown comes from the
// millisecond timestamps of `--logformat log` lines: start-up until the first line, upload, run, verify + exit.
const SESAM_TEST_RUNS = 3;
const SESAM_TEST_TARGET_S = 5;

interface SesamTestTiming {
  wallS: number;
  startupS: number;
  uploadS: number;
  runS: number;
  verifyS: number;
}

export function repoRoot(): string {
  // Compiled to dist-bench/bench/local-node.js; the sources are in bench/local-node.ts: the root is two or one up.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', '..'), join(here, '..')]) {
    if (existsSync(join(candidate, 'templates', 'example')) && existsSync(join(candidate, 'bin', 'sesam.js')))
      return candidate;
  }
  throw new Error(`Cannot find the repository root (templates/example and bin/sesam.js) above ${here}`);
}

function spawnSesam(
  root: string,
  cwd: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string; started: number; ended: number }> {
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(root, 'bin', 'sesam.js'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code: code ?? -1, stdout, stderr, started, ended: Date.now() }));
  });
}

/** The timestamp of the first `--logformat log` line containing `text`. */
export function stampOf(stderr: string, text: string): number {
  const line = stderr.split('\n').find((l) => l.includes(text));
  const stamp = line?.match(/^(\d{4}-\d\d-\d\dT[\d:.]+Z) - /)?.[1];
  if (!stamp) throw new Error(`sesam test printed no timestamped line with '${text}':\n${stderr}`);
  return Date.parse(stamp);
}

async function timeSesamTest(root: string): Promise<SesamTestTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'sesam-bench-test-'));
  try {
    cpSync(join(root, 'templates', 'example'), dir, { recursive: true, filter: (src) => !src.includes('/.sesam') });
    const r = await spawnSesam(root, dir, ['test', '--node', 'local', '--logformat', 'log']);
    if (r.code !== 0) throw new Error(`sesam test --node local failed with exit ${r.code}:\n${r.stderr}\n${r.stdout}`);
    const begin = stampOf(r.stderr, 'Running test');
    const uploaded = stampOf(r.stderr, 'Config uploaded successfully');
    const ran = stampOf(r.stderr, 'Successfully ran all pipes');
    return {
      wallS: (r.ended - r.started) / 1000,
      startupS: (begin - r.started) / 1000,
      uploadS: (uploaded - begin) / 1000,
      runS: (ran - uploaded) / 1000,
      verifyS: (r.ended - ran) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchSesamTest(): Promise<string[]> {
  const root = repoRoot();
  if (!existsSync(join(root, 'dist', 'cli', 'main.js')))
    throw new Error('bench (a) spawns the built CLI: run `npm run build` first');
  const timings: SesamTestTiming[] = [];
  for (let i = 0; i < SESAM_TEST_RUNS; i++) timings.push(await timeSesamTest(root));
  const versionRuns: number[] = [];
  for (let i = 0; i < SESAM_TEST_RUNS; i++) {
    const v = await spawnSesam(root, root, ['--version']);
    if (v.code !== 0) throw new Error(`sesam --version failed: ${v.stderr}`);
    versionRuns.push((v.ended - v.started) / 1000);
  }
  const m = (key: keyof SesamTestTiming) => median(timings.map((t) => t[key]));
  const wall = m('wallS');
  const f = (s: number) => s.toFixed(2);
  return [
    `### (a) \`sesam test --node local\` on templates/example (12 pipes, 4 test specs)`,
    '',
    `The built CLI spawned in a fresh temp copy of the example (a new embedded-node store each time), wall time ` +
      `from spawn to exit, median of ${SESAM_TEST_RUNS} runs (all: ${timings.map((t) => f(t.wallS)).join(', ')} s). ` +
      `Breakdown from the \`--logformat log\` timestamps (medians per phase).`,
    '',
    '| phase | seconds |',
    '|---|---|',
    `| process start, option parsing, opening the node store (until the first log line) | ${f(m('startupS'))} |`,
    `| upload (env, config zip, deploy wait) | ${f(m('uploadS'))} |`,
    `| run all pipes until stable | ${f(m('runS'))} |`,
    `| verify 4 specs and exit | ${f(m('verifyS'))} |`,
    `| **total wall time** | **${f(wall)}** |`,
    `| for scale: \`sesam --version\` (Node start + CLI import) | ${f(median(versionRuns))} |`,
    '',
    `Target ≤ ${SESAM_TEST_TARGET_S} s ("locally in seconds", where a cloud dev node takes minutes): ${wall <= SESAM_TEST_TARGET_S ? 'met' : 'not met'} (${f(wall)} s).`,
  ];
}

export async function run(): Promise<string> {
  const lines = ['## Embedded node (local-node)', ''];
  lines.push(...(await benchSesamTest()), '');
  lines.push(...(await benchPipe()), '');
  lines.push(...(await benchChain()));
  return lines.join('\n');
}
