// A generated Sesam project shaped like a large real one, for bench/project.ts: 300 pipes — 100 conditional inputs
// (an external source in prod, embedded entities in test), 20 merges, 80 internal pipes in chains of hops, 100
// output pipes (http_endpoint, csv_endpoint and external sinks), one test spec each — 60 systems of external types,
// node metadata with namespaced identifiers, and a test-env.json. Deterministic: the same files every time.
//
// With `shapes` it also carries shapes a real node accepts that the embedded node once refused: sinks without a
// `type`, a system using an `$ENV` name the env file does not define (a warning), and a hop into a dataset that no
// pipe in the project populates (the pipe waits for it, as on a real node). bench/project.ts times the project
// with all three.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedProject {
  pipes: number;
  systems: number;
  specs: number;
  inputEntities: number;
  /** The node shapes the project carries, described. */
  shapes: string[];
}

export type NodeShape = 'sink-without-type' | 'unknown-env' | 'hop-into-unpopulated';
export const NODE_SHAPES: readonly NodeShape[] = ['sink-without-type', 'unknown-env', 'hop-into-unpopulated'];

export function describeShape(shape: NodeShape): string {
  switch (shape) {
    case 'sink-without-type':
      return 'sinks without a type (4 pipes: chain-*-1 of every fifth group)';
    case 'unknown-env':
      return 'an $ENV name the env file lacks (system sys-59 uses $ENV(prod-only-host))';
    case 'hop-into-unpopulated':
      return 'a hop into a dataset nothing populates (chain-0-3 hops into legacy-archive)';
  }
}

export const INPUTS = 100;
const GROUPS = 20; // one merge and one chain of 4 hop pipes per group of 5 inputs
const CHAIN = 4;
const OUTPUTS_PER_GROUP = 5;
const SYSTEMS = 60;
const ENTITIES_PER_INPUT = 20;

const SYSTEM_TYPES = [
  'system:postgresql',
  'system:mssql',
  'system:oracle',
  'system:rest',
  'system:url',
  'system:microservice',
] as const;

/** mulberry32: a small seeded PRNG, so the project is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Niklaus'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Wirth'];
const COUNTRIES = ['NO', 'SE', 'DK', 'FI', 'GB', 'US', 'DE', 'NL'];
const TAGS = ['vip', 'new', 'churn', 'b2b', 'b2c', 'partner', 'trial'];

const input = (i: number) => `in-${i}`;
const merge = (g: number) => `global-${g}`;
const chain = (g: number, k: number) => `chain-${g}-${k}`;
const system = (s: number) => `sys-${s}`;

function write(dir: string, path: string, value: unknown): void {
  const file = join(dir, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function inputEntities(i: number, random: () => number): Record<string, unknown>[] {
  return Array.from({ length: ENTITIES_PER_INPUT }, (_, j) => {
    // Person j appears in every input (with the e-mail in varying case), so merges and hops find partners.
    const email = `p${j}@example.com`;
    const day = 1 + Math.floor(random() * 28);
    return {
      _id: `${i}-${j}`,
      name: `${FIRST[j % FIRST.length]} ${LAST[(i + j) % LAST.length]}`,
      email: i % 3 === 0 ? email.toUpperCase() : email,
      country: COUNTRIES[(i * 7 + j) % COUNTRIES.length],
      amount: Math.floor(random() * 1000),
      score: Math.round(random() * 10000) / 100,
      tags: TAGS.filter(() => random() < 0.3),
      created: `~t2024-${String(1 + ((i + j) % 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:00:00Z`,
      address: { street: `Street ${j}`, zip: String(1000 + ((i * 31 + j) % 9000)), city: `City ${j % 7}` },
      lines: Array.from({ length: 1 + (j % 3) }, (_, n) => ({ sku: `sku-${(i + n) % 50}`, qty: 1 + n })),
    };
  });
}

function inputPipe(i: number, random: () => number): Record<string, unknown> {
  const sys = i % SYSTEMS;
  const prod =
    i % 2 === 0
      ? { type: 'sql', system: system(sys), table: `table_${i}` }
      : { type: 'json', system: system(sys), url: `entities/${i}` };
  return {
    _id: input(i),
    type: 'pipe',
    source: {
      type: 'conditional',
      alternatives: { prod, test: { type: 'embedded', entities: inputEntities(i, random) } },
      condition: '$ENV(node-env)',
    },
  };
}

function mergePipe(g: number): Record<string, unknown> {
  const members = Array.from({ length: 5 }, (_, n) => input(g * 5 + n));
  return {
    _id: merge(g),
    type: 'pipe',
    source: {
      type: 'merge',
      datasets: members.map((m, n) => `${m} m${n}`),
      equality: members.slice(1).map((_, n) => ['eq', ['lower', 'm0.email'], ['lower', `m${n + 1}.email`]]),
      identity: 'first',
      version: 2,
    },
  };
}

/** The four pipes of a group's chain: each reads the previous one and hops into other datasets. */
function chainPipe(g: number, k: number, shapes: ReadonlySet<NodeShape>): Record<string, unknown> {
  const other = input(((g + 1) % GROUPS) * 5 + 2);
  const rules: Record<string, unknown[]> = {};
  let sourceDataset: string;
  if (k === 0) {
    sourceDataset = merge(g);
    rules.default = [
      ['copy', '_id'],
      ['add', 'name', ['first', '_S.name']],
      ['add', 'email', ['lower', ['first', '_S.email']]],
      ['add', 'amount', ['sum', '_S.amount']],
      ['add', 'tags', ['sorted', ['distinct', ['flatten', '_S.tags']]]],
      ['add', 'country', ['ni', 'country', ['first', '_S.country']]],
      ['add', 'created', ['min', '_S.created']],
      [
        'add',
        'orders',
        [
          'sorted',
          '_.sku',
          [
            'apply-hops',
            'order',
            { datasets: [`${other} o`], where: ['eq', ['lower', ['first', '_S.email']], ['lower', 'o.email']] },
          ],
        ],
      ],
    ];
    rules.order = [
      ['add', 'sku', ['first', '_S.lines.sku']],
      ['add', 'qty', ['sum', '_S.lines.qty']],
      ['add', 'from', ['ni-id', '_S._id']],
    ];
  } else if (k === 1) {
    sourceDataset = chain(g, 0);
    rules.default = [
      ['copy', '*'],
      [
        'add',
        'friends',
        [
          'sorted',
          [
            'hops',
            {
              datasets: [`${chain((g + 1) % GROUPS, 0)} f`],
              where: ['eq', '_S.email', 'f.email'],
              return: 'f._id',
            },
          ],
        ],
      ],
      ['add', 'band', ['case', ['gt', '_S.amount', 3000], 'high', ['gt', '_S.amount', 1500], 'mid', 'low']],
      ['filter', ['neq', ['first', '_S.tags'], 'churn']],
    ];
  } else if (k === 2) {
    sourceDataset = chain(g, 1);
    rules.default = [
      ['copy', ['list', '_id', 'email', 'band', 'friends']],
      ['add', 'label', ['concat', ['upper', '_S.name'], ' <', '_S.email', '>']],
      ['add', 'month', ['datetime-format', '%Y-%m', '_S.created']],
      ['add', 'lines', ['apply', 'line', ['enumerate', 1, '_S.orders']]],
      ['add', 'tag-count', ['count', '_S.tags']],
      ['if', ['is-not-empty', '_S.friends'], ['add', 'has-friends', true], ['add', 'has-friends', false]],
      ['create', ['apply', 'tag', ['map', ['dict', 'tag', '_.', 'owner', '_S._id'], '_S.tags']]],
    ];
    rules.line = [
      ['add', 'n', '_S.key'],
      ['add', 'sku', '_S.value.sku'],
      ['add', 'qty', '_S.value.qty'],
    ];
    rules.tag = [
      ['add', '_id', ['concat', ['ni-id', '_S.owner'], '-', '_S.tag']],
      ['add', 'tag', '_S.tag'],
      ['add', 'owner', '_S.owner'],
    ];
  } else {
    sourceDataset = chain(g, 2);
    rules.default = [
      ['copy', '*', 'tag*'],
      ['filter', ['is-not-null', '_S.label']],
      [
        'add',
        'origin',
        [
          'hops',
          {
            datasets: [`${chain(g, 0)} c`, `${input(g * 5)} i`],
            where: [
              ['eq', '_S._id', 'c._id'],
              ['eq', 'c.email', ['lower', 'i.email']],
            ],
            return: { cid: 'c._id', country: 'c.country', zip: 'i.address.zip' },
          },
        ],
      ],
      ['add', 'total', ['sum', '_S.lines.qty']],
    ];
    if (shapes.has('hop-into-unpopulated') && g === 0) {
      // A hop into a dataset no pipe of this project populates (a prod-only feed on a real node).
      rules.default.push([
        'add',
        'archived',
        ['hops', { datasets: ['legacy-archive a'], where: ['eq', '_S._id', 'a.ref'], return: 'a.note' }],
      ]);
    }
  }
  const pipe: Record<string, unknown> = {
    _id: chain(g, k),
    type: 'pipe',
    source: { type: 'dataset', dataset: sourceDataset },
    transform: { type: 'dtl', rules },
  };
  // A sink with no type is a dataset sink on a real node.
  if (shapes.has('sink-without-type') && k === 1 && g % 5 === 0) pipe.sink = { dataset: chain(g, k) };
  return pipe;
}

type OutputKind = 'json' | 'csv' | 'external';

function outputPipe(g: number, m: number): { pipe: Record<string, unknown>; kind: OutputKind } {
  const id = `out-${g}-${m}`;
  const source = [chain(g, 3), chain(g, 2), chain(g, 1), merge(g), input(g * 5)][m]!;
  const kind: OutputKind = m === 3 ? 'external' : m === 4 && g % 2 === 0 ? 'csv' : 'json';
  const rules =
    m === 3
      ? [
          ['copy', '_id'],
          ['add', 'names', ['sorted', ['distinct', '_S.name']]],
          ['add', 'emails', ['sorted', ['distinct', ['lower', '_S.email']]]],
          ['add', 'total', ['sum', '_S.amount']],
        ]
      : m === 4
        ? [
            ['copy', ['list', '_id', 'name', 'email', 'amount', 'country']],
            ['add', 'zip', '_S.address.zip'],
          ]
        : [
            ['copy', '*', ['list', 'created', 'tags']],
            ['rename', 'email', 'mail'],
            ['add', 'key', ['hash128', 'murmur3', ['string', '_S._id']]],
          ];
  const sink =
    kind === 'csv'
      ? { type: 'csv_endpoint', columns: ['_id', 'name', 'email', 'amount', 'country', 'zip'] }
      : kind === 'external'
        ? { type: 'sql', system: system((g * 3) % SYSTEMS), table: `export_${g}` }
        : { type: 'http_endpoint' };
  return {
    kind,
    pipe: {
      _id: id,
      type: 'pipe',
      source: { type: 'dataset', dataset: source },
      transform: { type: 'dtl', rules: { default: rules } },
      sink,
    },
  };
}

function systemConfig(s: number, shapes: ReadonlySet<NodeShape>): Record<string, unknown> {
  const type = SYSTEM_TYPES[s % SYSTEM_TYPES.length]!;
  const env = shapes.has('unknown-env') && s === SYSTEMS - 1 ? 'prod-only-host' : `sys-${s}-host`;
  const base: Record<string, unknown> = { _id: system(s), type };
  if (type === 'system:microservice')
    return {
      ...base,
      docker: { image: `example/service-${s}:1.0`, port: 5000, environment: { HOST: `$ENV(${env})` } },
    };
  if (type === 'system:rest' || type === 'system:url')
    return { ...base, url_pattern: `https://$ENV(${env})/api/%s`, verify_ssl: true };
  return { ...base, host: `$ENV(${env})`, database: `db${s}`, username: 'sesam' };
}

/** Write the project into `dir` (an empty directory). */
export function generateProject(dir: string, options: { shapes: readonly NodeShape[] }): GeneratedProject {
  const random = prng(20261208);
  const shapeSet = new Set(options.shapes);
  write(dir, 'node-metadata.conf.json', { _id: 'node', type: 'metadata', namespaced_identifiers: true });
  const env: Record<string, string> = { 'node-env': 'test' };
  for (let s = 0; s < SYSTEMS; s++) env[`sys-${s}-host`] = `host-${s}.example.internal`;
  write(dir, 'test-env.json', env);
  for (let s = 0; s < SYSTEMS; s++) write(dir, `systems/${system(s)}.conf.json`, systemConfig(s, shapeSet));
  let pipes = 0;
  for (let i = 0; i < INPUTS; i++, pipes++) write(dir, `pipes/${input(i)}.conf.json`, inputPipe(i, random));
  for (let g = 0; g < GROUPS; g++, pipes++) write(dir, `pipes/${merge(g)}.conf.json`, mergePipe(g));
  for (let g = 0; g < GROUPS; g++)
    for (let k = 0; k < CHAIN; k++, pipes++) write(dir, `pipes/${chain(g, k)}.conf.json`, chainPipe(g, k, shapeSet));
  let specs = 0;
  for (let g = 0; g < GROUPS; g++) {
    for (let m = 0; m < OUTPUTS_PER_GROUP; m++, pipes++, specs++) {
      const { pipe, kind } = outputPipe(g, m);
      const id = String(pipe._id);
      write(dir, `pipes/${id}.conf.json`, pipe);
      const spec: Record<string, unknown> = { _id: id, type: 'test', pipe: id };
      if (kind === 'csv') Object.assign(spec, { endpoint: 'csv', file: `${id}.csv` });
      write(dir, `expected/${id}.test.json`, spec);
    }
  }
  const shapes = NODE_SHAPES.filter((s) => shapeSet.has(s)).map(describeShape);
  return { pipes, systems: SYSTEMS, specs, inputEntities: INPUTS * ENTITIES_PER_INPUT, shapes };
}
