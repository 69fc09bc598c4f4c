// Embedded node benchmarks. (b) one pipe over 100,000 entities doing copy + 5 adds + a hops join against a
// 100,000-entity dataset, versus a hand-written JS loop doing the same on in-memory arrays (target ≤ 5×).
// (c) run-until-stable of 200 chained pipes × 1,000 entities.
import type { JsonObject } from '../src/format/json.js';
import { NodeEngine } from '../src/local-node/engine.js';

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
      { _id: 'work', type: 'pipe', source: { type: 'dataset', dataset: 'src' }, transform: { type: 'dtl', rules: RULES } },
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
      transform: { type: 'dtl', rules: { default: [['copy', '*'], ['add', `s${i % 5}`, i]] } },
    });
  }
  // Listed in reverse so the runner has to order them.
  config.reverse();
  const engine = NodeEngine.open({ memory: true });
  const errors = engine.putConfig(config, { force: false });
  if (errors.length) throw new Error(JSON.stringify(errors).slice(0, 500));
  const t = process.hrtime.bigint();
  const result = await engine.runAllPipes({
    extraZeroRuns: 2,
    maxRuns: 100,
    maxRunTime: 900,
    deleteInputDatasets: true,
    checkInputPipes: true,
    resetPipesAndDeleteSinkDatasets: true,
    outputRunStatistics: true,
  });
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

export async function run(): Promise<string> {
  const lines = ['## Embedded node (local-node)', ''];
  lines.push(...(await benchPipe()), '');
  lines.push(...(await benchChain()));
  return lines.join('\n');
}
