// Sources, transforms, sinks, namespaces and stages through the engine API.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/format/json.js';
import { dtl, embedded, engineWith, fromDataset, strip, text } from './helpers.js';

const start = (engine: ReturnType<typeof engineWith>, ...ids: string[]) => {
  for (const id of ids) engine.pumpOperation(id, 'start', {});
};

describe('sources', () => {
  it('embedded: every run is full, so removed entities are deletion-tracked', () => {
    const engine = engineWith([
      embedded('in', [
        { _id: 'a', v: 1 },
        { _id: 'b', v: 2 },
      ]),
    ]);
    start(engine, 'in');
    expect(strip(engine.datasetEntities('in', {}))).toEqual([
      { _id: 'a', v: 1 },
      { _id: 'b', v: 2 },
    ]);
    engine.putConfig([embedded('in', [{ _id: 'b', v: 3 }])], { force: false });
    start(engine, 'in');
    // Latest versions in offset order: b changed first, then a was deletion-tracked.
    expect(strip(engine.datasetEntities('in', { history: false }))).toEqual([
      { _id: 'b', v: 3 },
      { _id: 'a', v: 1, _deleted: true },
    ]);
  });

  it('dataset: incremental after last-seen, latest per id with deletes, full on update-last-seen ""', () => {
    const engine = engineWith([embedded('in', [{ _id: 'a' }, { _id: 'b' }]), fromDataset('copy', 'in')]);
    start(engine, 'in', 'copy');
    expect(engine.getPipe('copy')!.runtime['last-seen']).toBe('1');
    expect(strip(engine.datasetEntities('copy', {}))).toEqual([{ _id: 'a' }, { _id: 'b' }]);
    engine.putConfig([embedded('in', [{ _id: 'b', n: 1 }]), fromDataset('copy', 'in')], { force: false });
    start(engine, 'in');
    expect(engine.getPipe('copy')!.runtime.queues).toEqual({ source: 2, dependencies: {} });
    start(engine, 'copy');
    expect(strip(engine.datasetEntities('copy', { history: false }))).toEqual([
      { _id: 'b', n: 1 },
      { _id: 'a', _deleted: true },
    ]);
    expect(engine.getPipe('copy')!.runtime['last-seen']).toBe('3');
    const pump = engine.pumpOperation('copy', 'update-last-seen', { 'last-seen': '' });
    expect((pump.runtime as { 'last-seen': unknown })['last-seen']).toBeNull();
  });

  it('dataset: include_previous_versions streams every version', () => {
    const engine = engineWith([embedded('in', [{ _id: 'a', v: 1 }])]);
    start(engine, 'in');
    engine.putConfig(
      [
        embedded('in', [{ _id: 'a', v: 2 }]),
        {
          _id: 'all',
          type: 'pipe',
          source: { type: 'dataset', dataset: 'in', include_previous_versions: true },
          sink: { type: 'http_endpoint' },
        },
      ],
      { force: false },
    );
    start(engine, 'in');
    expect(engine.pipeEntities('all', {}).map((e) => e.v)).toEqual([1, 2]);
  });

  it('union_datasets prefixes ids with the dataset unless prefix_ids is false', () => {
    const engine = engineWith([
      embedded('a', [{ _id: '1', x: 'a' }]),
      embedded('b', [{ _id: '1', x: 'b' }]),
      { _id: 'u', type: 'pipe', source: { type: 'union_datasets', datasets: ['a', 'b'] } },
      {
        _id: 'u2',
        type: 'pipe',
        source: { type: 'union_datasets', datasets: ['a', 'b'], prefix_ids: false },
        sink: { type: 'http_endpoint' },
      },
    ]);
    start(engine, 'a', 'b', 'u');
    expect(strip(engine.datasetEntities('u', {}))).toEqual([
      { _id: 'a:1', x: 'a' },
      { _id: 'b:1', x: 'b' },
    ]);
    expect(engine.pipeEntities('u2', { stage: 'source' }).map((e) => e._id)).toEqual(['1', '1']);
  });

  it('merge_datasets returns the latest version per id across datasets', () => {
    let t = 1000;
    const engine = engineWith([
      embedded('a', [
        { _id: '1', from: 'a' },
        { _id: '2', from: 'a' },
      ]),
      embedded('b', [{ _id: '1', from: 'b' }]),
    ]);
    // Separate runs at different times give different _ts values.
    (engine as unknown as { now: () => number }).now = () => t;
    start(engine, 'a');
    t = 2000;
    start(engine, 'b');
    engine.putConfig(
      [
        embedded('a', [
          { _id: '1', from: 'a' },
          { _id: '2', from: 'a' },
        ]),
        embedded('b', [{ _id: '1', from: 'b' }]),
        {
          _id: 'm',
          type: 'pipe',
          source: { type: 'merge_datasets', datasets: ['a', 'b'] },
          sink: { type: 'http_endpoint' },
        },
      ],
      { force: false },
    );
    expect(engine.pipeEntities('m', { stage: 'source' }).map((e) => [e._id, e.from])).toEqual([
      ['2', 'a'],
      ['1', 'b'],
    ]);
  });

  it('diff_datasets: the merged versions of ids that differ, with a $diff of the differing properties', () => {
    const products: JsonObject[] = [
      { _id: 'same', name: 'x', tags: ['a', 'b'] },
      { _id: 'price', name: 'y', price: 10, tags: ['a'] },
      { _id: 'only-here', name: 'z' },
    ];
    const other: JsonObject[] = [
      { _id: 'same', name: 'x', tags: ['a', 'b'] },
      { _id: 'price', name: 'y', price: 12, tags: ['a', 'a'] },
    ];
    const diffPipe = (source: JsonObject): JsonObject => ({
      _id: 'd',
      type: 'pipe',
      source: { type: 'diff_datasets', datasets: ['products', 'other'], ...source },
      sink: { type: 'http_endpoint' },
    });
    const run = (source: JsonObject) => {
      const engine = engineWith([embedded('products', products), embedded('other', other), diffPipe(source)]);
      start(engine, 'products', 'other');
      return engine.pipeEntities('d', { stage: 'source' }).map((e) => [e._id, e.$diff]);
    };
    // The documented result shape: property -> dataset -> value; equal ids are left out.
    expect(run({})).toEqual([
      ['price', { price: { products: 10, other: 12 }, tags: { products: ['a'], other: ['a', 'a'] } }],
      ['only-here', { name: { products: 'z', other: null } }],
    ]);
    expect(run({ treat_lists_as_sets: true, blacklist: ['price'] })).toEqual([
      ['only-here', { name: { products: 'z', other: null } }],
    ]);
    expect(run({ whitelist: ['tags'], treat_lists_as_sets: true })).toEqual([
      ['only-here', { tags: { products: null, other: null } }],
    ]);
    const engine = engineWith([embedded('products', products), embedded('other', other), diffPipe({})]);
    start(engine, 'products', 'other');
    const merged = engine.pipeEntities('d', { stage: 'source' })[0]!;
    expect(strip([merged.products as JsonObject, merged.other as JsonObject])).toEqual([products[1], other[1]]);
  });

  it('merge: the documented example (transitive equality, $ids, composite ids, deleted never merged)', () => {
    const engine = engineWith([
      embedded('A', [
        { _id: 'a1', f1: 1 },
        { _id: 'a2', f1: 2 },
      ]),
      embedded('B', [
        { _id: 'b1', f1: 1, f2: 'x' },
        { _id: 'b2', f1: 3 },
      ]),
      embedded('C', [
        { _id: 'c1', f3: 'X' },
        { _id: 'c2', _deleted: true, f3: 'Y' },
        { _id: 'c3', _deleted: true, f3: 'X' },
      ]),
      {
        _id: 'result',
        type: 'pipe',
        source: {
          type: 'merge',
          datasets: ['A a', 'B b', 'C c'],
          equality: [
            ['eq', 'a.f1', 'b.f1'],
            ['eq', 'b.f2', ['lower', 'c.f3']],
          ],
        },
      },
    ]);
    start(engine, 'A', 'B', 'C', 'result');
    expect(strip(engine.datasetEntities('result', {}))).toEqual([
      { _id: '0|a1|1|b1|2|c1', $ids: ['~:a1', '~:b1', '~:c1'], f1: [1, 1], f2: 'x', f3: 'X' },
      { _id: '0|a2', $ids: ['~:a2'], f1: 2 },
      { _id: '1|b2', $ids: ['~:b2'], f1: 3 },
      { _id: '2|c2', $ids: ['~:c2'], f3: 'Y', _deleted: true },
      { _id: '2|c3', $ids: ['~:c3'], f3: 'X', _deleted: true },
    ]);
  });

  it('merge: identity first, compact strategy, and replaced ids when a later entity joins a group', () => {
    const config = (bEntities: JsonObject[]): JsonObject[] => [
      embedded('A', [{ _id: 'a1', k: 1, tags: [1, 1] }]),
      embedded('B', bEntities),
      {
        _id: 'm',
        type: 'pipe',
        source: {
          type: 'merge',
          datasets: ['A a', 'B b'],
          equality_sets: [['a.k', 'b.k']],
          identity: 'first',
          strategy: 'compact',
        },
      },
      { _id: 'mc', type: 'pipe', source: { type: 'merge', datasets: ['A a', 'B b'], equality_sets: [['a.k', 'b.k']] } },
    ];
    const engine = engineWith(config([{ _id: 'b1', k: 2 }]));
    start(engine, 'A', 'B', 'm', 'mc');
    expect(strip(engine.datasetEntities('m', {}))).toEqual([
      { _id: 'a1', $ids: ['~:a1'], k: 1, tags: [1, 1] }, // compact: a lone entity's lists are its own
      { _id: 'b1', $ids: ['~:b1'], k: 2 },
    ]);
    engine.putConfig(config([{ _id: 'b1', k: 1 }]), { force: false });
    start(engine, 'B', 'mc');
    const latest = strip(engine.datasetEntities('mc', { history: false }));
    expect(latest).toEqual([
      { _id: '0|a1|1|b1', $ids: ['~:a1', '~:b1'], k: [1, 1], tags: [1, 1] },
      { _id: '0|a1', $ids: ['~:a1'], $replaced: true, _deleted: true },
      { _id: '1|b1', $ids: ['~:b1'], $replaced: true, _deleted: true },
    ]);
  });

  it('merge with namespaced identifiers: unqualified paths match namespaced keys, $ids are namespaced NIs', () => {
    const engine = engineWith([
      { _id: 'node', type: 'metadata', namespaced_identifiers: true },
      embedded('A', [{ _id: 'a1', k: 1 }]),
      embedded('B', [{ _id: 'b1', k: 1 }]),
      {
        _id: 'm',
        type: 'pipe',
        source: {
          type: 'merge',
          version: 2,
          datasets: ['A a', 'B b'],
          equality_sets: [['a.k', 'b.k']],
          identity: 'first',
        },
      },
    ]);
    start(engine, 'A', 'B', 'm');
    expect(strip(engine.datasetEntities('m', {}))).toEqual([
      { _id: 'A:a1', $ids: ['~:A:a1', '~:B:b1'], 'A:k': 1, 'B:k': 1 },
    ]);
  });

  it('empty and external sources: empty reads nothing, sql reads as empty with a run-log note', async () => {
    const engine = engineWith([
      { _id: 'e', type: 'pipe', source: { type: 'empty' } },
      { _id: 'ext', type: 'pipe', source: { type: 'sql', system: 'db', table: 't' } },
    ]);
    const result = await engine.runAllPipes({
      extraZeroRuns: 1,
      maxRuns: 10,
      maxRunTime: 60,
      deleteInputDatasets: true,
      checkInputPipes: true,
      resetPipesAndDeleteSinkDatasets: true,
      outputRunStatistics: false,
    });
    expect(result).toEqual({ status: 'success' });
    expect(engine.datasetEntities('e', {})).toEqual([]);
    const log = engine
      .runnerLog({})
      .map((l) => l.logdata)
      .join('\n');
    expect(log).toContain("pipe 'ext': source type 'sql' needs an external system");
  });

  it('http_endpoint: received entities go through transforms to the sink at once; full sequences deletion-track', () => {
    const engine = engineWith([
      {
        _id: 'recv',
        type: 'pipe',
        source: { type: 'http_endpoint' },
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'seen', true],
          ],
        }),
      },
      embedded('not-a-receiver', []),
    ]);
    engine.receive('recv', [{ _id: 'a' }, { _id: 'b' }], {});
    expect(strip(engine.datasetEntities('recv', {}))).toEqual([
      { _id: 'a', seen: true },
      { _id: 'b', seen: true },
    ]);
    expect(engine.getDataset('recv')!.runtime).toMatchObject({ populated: true });
    engine.receive('recv', [{ _id: 'c' }], { is_full: 'true', is_first: 'true', is_last: 'false' });
    engine.receive('recv', [{ _id: 'b' }], { is_full: 'true', is_first: 'false', is_last: 'true' });
    expect(
      engine
        .datasetEntities('recv', { history: false, deleted: false })
        .map((e) => e._id)
        .sort(),
    ).toEqual(['b', 'c']);
    expect(engine.datasetEntities('recv', { history: false }).find((e) => e._id === 'a')!._deleted).toBe(true);
    expect(
      engine
        .pipeEntities('recv', { stage: 'source' })
        .filter((e) => e._deleted !== true)
        .map((e) => e._id)
        .sort(),
    ).toEqual(['b', 'c']);
    expect(() => engine.receive('not-a-receiver', [], {})).toThrow(/no http_endpoint source/);
    expect(() => engine.receive('recv', [{ name: 'no id' }], {})).toThrow(/string _id/);
  });
});

describe('transforms', () => {
  it('dtl with hops, conditional transforms and emit_children', () => {
    const engine = engineWith(
      [
        embedded('people', [{ _id: 'p1', name: 'Ann', org: 'o1', kids: [{ _id: 'k1' }, { _id: 'k2' }] }]),
        embedded('orgs', [{ _id: 'o1', title: 'Acme' }]),
        fromDataset('joined', 'people', {
          transform: {
            type: 'conditional',
            condition: '$ENV(node-env)',
            alternatives: {
              prod: dtl({ default: [['copy', '*']] }),
              test: [
                dtl({
                  default: [
                    ['copy', '_id'],
                    ['add', 'name', ['upper', '_S.name']],
                    [
                      'add',
                      'org',
                      ['hops', { datasets: ['orgs o'], where: [['eq', '_S.org', 'o._id']], return: 'o.title' }],
                    ],
                    ['add', '$children', '_S.kids'],
                  ],
                }),
              ],
            },
          },
        }),
        fromDataset('children', 'joined', { transform: { type: 'emit_children' } }),
      ],
      { 'node-env': 'test' },
    );
    start(engine, 'people', 'orgs', 'joined', 'children');
    expect(engine.getPipe('joined')!.runtime.dependencies).toEqual(['orgs']);
    expect(strip(engine.datasetEntities('joined', {}))).toEqual([
      { _id: 'p1', name: 'ANN', org: ['Acme'], $children: [{ _id: 'k1' }, { _id: 'k2' }] },
    ]);
    expect(strip(engine.datasetEntities('children', {}))).toEqual([{ _id: 'k1' }, { _id: 'k2' }]);
  });

  it('gives DTL is-changed the previous version of a dataset-source entity', () => {
    const config = (v: number, w: number): JsonObject[] => [
      embedded('in', [{ _id: 'a', v, w }]),
      fromDataset('chg', 'in', {
        transform: dtl({
          default: [
            ['copy', '_id'],
            ['add', 'v-changed', ['is-changed', '_.v']],
          ],
        }),
      }),
    ];
    const engine = engineWith(config(1, 1));
    engine.pumpOperation('in', 'start', {});
    engine.pumpOperation('chg', 'start', {});
    expect(engine.datasetEntities('chg', {}).at(-1)!['v-changed']).toBeNull(); // no previous version yet
    engine.putConfig(config(1, 2), { force: false });
    engine.pumpOperation('in', 'start', {});
    engine.pumpOperation('chg', 'start', {});
    expect(engine.datasetEntities('chg', {}).at(-1)!['v-changed']).toBe(false);
    engine.putConfig(config(2, 2), { force: false });
    engine.pumpOperation('in', 'start', {});
    engine.pumpOperation('chg', 'start', {});
    expect(engine.datasetEntities('chg', {}).at(-1)!['v-changed']).toBe(true);
  });

  it('external transforms pass entities through with a note', async () => {
    const engine = engineWith([embedded('in', [{ _id: 'a' }], { transform: { type: 'rest', system: 'x' } })]);
    await engine.runAllPipes({
      extraZeroRuns: 1,
      maxRuns: 10,
      maxRunTime: 60,
      deleteInputDatasets: true,
      checkInputPipes: true,
      resetPipesAndDeleteSinkDatasets: true,
      outputRunStatistics: false,
    });
    expect(strip(engine.datasetEntities('in', {}))).toEqual([{ _id: 'a' }]);
    expect(
      engine
        .runnerLog({})
        .map((l) => l.logdata)
        .join('\n'),
    ).toContain("transform type 'rest' needs an external system");
  });
});

describe('sinks and publishers', () => {
  const input = embedded('input-pipe1', [
    { _id: 'test1', name: 'test1' },
    { _id: 'test2', name: 'test2' },
  ]);

  for (const ni of [true, false]) {
    it(`namespaced identifiers ${ni ? 'on' : 'off'}: the fair_weather_test shape comes out of an http_endpoint unchanged`, () => {
      const engine = engineWith([
        { _id: 'node', type: 'metadata', namespaced_identifiers: ni },
        input,
        fromDataset('output-pipe1', 'input-pipe1', { sink: { type: 'http_endpoint' } }),
        fromDataset('output-pipe-csv', 'input-pipe1', { sink: { type: 'csv_endpoint', columns: ['_id', 'name'] } }),
      ]);
      start(engine, 'input-pipe1');
      const stored = strip(engine.datasetEntities('input-pipe1', {}));
      expect(stored[0]).toEqual(
        ni ? { _id: 'input-pipe1:test1', 'input-pipe1:name': 'test1' } : { _id: 'test1', name: 'test1' },
      );
      expect(strip(engine.pipeEntities('output-pipe1', {}))).toEqual([
        { _id: 'test1', name: 'test1' },
        { _id: 'test2', name: 'test2' },
      ]);
      const csv = engine.publish('output-pipe-csv', 'csv', {});
      expect(csv.contentType).toMatch(/text\/csv/);
      expect(text(csv.body)).toBe('_id,name\r\ntest1,test1\r\ntest2,test2\r\n');
      const json = engine.publish('output-pipe1', 'entities', {});
      expect(JSON.parse(text(json.body)).map((e: { _id: string }) => e._id)).toEqual(['test1', 'test2']);
    });
  }

  it('computes stages: source, before-transforms (namespaced), after-transforms, sink (namespaces removed)', () => {
    const engine = engineWith([
      { _id: 'node', type: 'metadata', namespaced_identifiers: true },
      embedded('in', [{ _id: 'a', name: 'x' }], {
        sink: { type: 'http_endpoint' },
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'n', 1],
          ],
        }),
      }),
    ]);
    expect(engine.pipeEntities('in', { stage: 'source' })).toEqual([{ _id: 'a', name: 'x' }]);
    expect(engine.pipeEntities('in', { stage: 'before-transforms' })).toEqual([{ _id: 'in:a', 'in:name': 'x' }]);
    expect(engine.pipeEntities('in', { stage: 'after-transforms' })).toEqual([
      { _id: 'in:a', 'in:name': 'x', 'in:n': 1 },
    ]);
    expect(engine.pipeEntities('in', { stage: 'sink' })).toEqual([{ _id: 'a', name: 'x', n: 1 }]);
    expect(engine.pipeEntities('in', { limit: 0 })).toEqual([]);
    expect(() => engine.pipeEntities('in', { stage: 'nope' })).toThrow(/unknown stage/);
    expect(() => engine.pipeEntities('missing', {})).toThrow(/No pipe with id 'missing'/);
  });

  it('binds publisher parameters to _B and serves xml', () => {
    const engine = engineWith([
      embedded('in', [{ _id: 'a', name: 'x' }], {
        transform: dtl({
          default: [
            ['add', '_id', '_S._id'],
            ['add', 'who', '_B.who'],
            ['add', '<item>', '_S.name'],
          ],
        }),
        sink: { type: 'xml_endpoint', wrapper: 'items' },
      }),
    ]);
    const out = engine.publish('in', 'xml', { who: 'me' });
    expect(text(out.body)).toBe('<items><item who="me">x</item></items>');
    expect(() => engine.publish('in', 'csv', {})).toThrow(/serves 'xml', not 'csv'/);
  });

  it('refuses publishers for pipes without endpoint sinks', () => {
    const engine = engineWith([embedded('in', [])]);
    expect(() => engine.publish('in', 'entities', {})).toThrow(/no endpoint sink/);
  });

  it('a filtering DTL deletes from the dataset sink', () => {
    const rules = (keep: string) =>
      dtl({
        default: [
          ['filter', ['eq', '_S._id', keep]],
          ['copy', '*'],
        ],
      });
    const engine = engineWith([
      embedded('in', [{ _id: 'a' }, { _id: 'b' }]),
      fromDataset('f', 'in', { transform: rules('a') }),
    ]);
    start(engine, 'in', 'f');
    expect(engine.datasetEntities('f', { deleted: false, history: false }).map((e) => e._id)).toEqual(['a']);
  });

  it('null sinks discard; output pipes still compute their entities', () => {
    const engine = engineWith([embedded('in', [{ _id: 'a' }]), fromDataset('out', 'in', { sink: { type: 'null' } })]);
    start(engine, 'in', 'out');
    expect(engine.getDataset('out')).toBeUndefined();
    expect(strip(engine.pipeEntities('out', {}))).toEqual([{ _id: 'a' }]);
  });
});

describe('pump operations', () => {
  it('answers unsupported operations with "doesn\'t support the operation" and toggles is-disabled', () => {
    const engine = engineWith([embedded('in', []), fromDataset('ep', 'in', { sink: { type: 'http_endpoint' } })]);
    expect(() => engine.pumpOperation('ep', 'start', {})).toThrow(/doesn't support the operation 'start'/);
    const enabled = engine.pumpOperation('ep', 'enable', {});
    expect(enabled).toMatchObject({ _id: 'pump:ep', type: 'pump', runtime: { 'is-disabled': false } });
    expect(engine.pumpOperation('ep', 'disable', {}).runtime).toMatchObject({ 'is-disabled': true });
  });

  it('records a failed run in last-message', () => {
    const engine = engineWith([embedded('in', [{ _id: 'a' }], { transform: dtl({ default: [['fail!', 'boom']] }) })]);
    const pump = engine.pumpOperation('in', 'start', {});
    expect(String((pump.runtime as { 'last-message': string })['last-message'])).toMatch(/pump-failed: .*boom/);
  });
});
