// What a real node accepts and how it runs it (issue 9): documented defaults, unknown $ENV names, waiting on
// unpopulated datasets, failures that do not stop the other pipes, and the config shapes real projects use.
import { describe, expect, it } from 'vitest';
import { compileDtl, evaluateExpression, type DatasetProvider } from '../../src/dtl/index.js';
import { parseJson, type JsonObject, type JsonValue } from '../../src/format/json.js';
import { NodeEngine } from '../../src/local-node/engine.js';
import { openLocalNode } from '../../src/local-node/index.js';
import { dtl, embedded, engineWith, fromDataset, runParams, strip, T0 } from './helpers.js';

const hop = (dataset: string, where: JsonValue[]): JsonValue => [
  'hops',
  { datasets: [`${dataset} h`], where, return: 'h.v' },
];

function upload(config: JsonObject[], env: JsonObject = {}): { engine: NodeEngine; errors: JsonObject[] } {
  const engine = NodeEngine.open({ memory: true, now: () => T0 });
  engine.putEnv(env);
  const errors = engine.putConfig(config, { force: false }) as unknown as JsonObject[];
  return { engine, errors };
}

describe('documented defaults (configuration-pipes.rst, configuration-sinks-dataset.rst)', () => {
  it('treats a sink without type as a dataset sink writing the dataset named by the pipe', async () => {
    const engine = engineWith([embedded('p', [{ _id: 'a' }], { sink: { indexes: '$ids' } })]);
    const pipe = engine.getPipe('p')!;
    expect(pipe.config.effective.sink).toEqual({ type: 'dataset', indexes: '$ids', dataset: 'p' });
    expect(pipe.config.effective.pump).toEqual({ schedule_interval: 900 });
    await engine.runAllPipes(runParams());
    expect(strip(engine.datasetEntities('p', {}))).toEqual([{ _id: 'a' }]);
  });

  it('accepts integers beyond 2^53 in embedded entities (lossless JSON)', async () => {
    const big = parseJson('{"_id": "a", "n": 12345678901234567890}') as JsonObject;
    const engine = engineWith([embedded('p', [big])]);
    await engine.runAllPipes(runParams());
    expect(strip(engine.datasetEntities('p', {}))).toEqual([big]);
  });

  it('fills the dataset sink and the 30 s schedule of a dataset to dataset pipe', () => {
    const engine = engineWith([fromDataset('q', 'p', { sink: { type: 'dataset' } })]);
    const effective = engine.getPipe('q')!.config.effective;
    expect(effective.sink).toEqual({ type: 'dataset', dataset: 'q' });
    expect(effective.pump).toEqual({ schedule_interval: 30 });
  });
});

describe('pipe-level namespace switches (configuration-pipes.rst example)', () => {
  it('honours add_namespaces and remove_namespaces on the pipe when the source and sink do not say', () => {
    const engine = engineWith([
      { _id: 'node', type: 'metadata', namespaced_identifiers: true },
      fromDataset('p', 'in', { add_namespaces: true, remove_namespaces: true }),
      embedded('q', [{ _id: 'a', x: 1 }], { add_namespaces: false }),
      embedded('r', [], { source: { type: 'embedded', entities: [], add_namespaces: true }, add_namespaces: false }),
    ]);
    const defs = (engine as unknown as { defs: Map<string, { addNamespaces: boolean; removeNamespaces: boolean }> })
      .defs;
    expect(['p', 'q', 'r'].map((id) => defs.get(id)!.addNamespaces)).toEqual([true, false, true]);
    expect(defs.get('p')!.removeNamespaces).toBe(true);
  });
});

describe('unknown $ENV names', () => {
  it('are warnings naming component, path and variable; only a running pipe that needs one fails', async () => {
    const config: JsonObject[] = [
      { _id: 'crm', type: 'system:url', url_pattern: '$ENV(crm-url)/%s' },
      {
        _id: 'input',
        type: 'pipe',
        source: {
          type: 'conditional',
          condition: '$ENV(node-env)',
          alternatives: {
            prod: { type: 'sql', system: 'crm', table: '$ENV(unused-table)' },
            test: { type: 'embedded', entities: [{ _id: 'a', v: 1 }] },
          },
        },
        pump: { cron_expression: '$ENV(cron)' },
      },
      { _id: 'rest-in', type: 'pipe', source: { type: 'rest', system: 'crm', url: '$ENV(rest-path)' } },
      fromDataset('needs-env', 'input', { transform: dtl({ default: [['add', 'x', '$ENV(threshold)']] }) }),
      fromDataset('fine', 'input'),
    ];
    const { engine, errors } = upload(config, { 'node-env': 'test' });
    const warnings = errors.flatMap((e) =>
      (e['config-errors'] as JsonObject[]).map(
        (c) => `${(e['posted-config'] as JsonObject)._id} ${c.level} ${c.msg} ${c.elements}`,
      ),
    );
    expect(warnings).toEqual([
      "crm warning Unknown environment variable 'crm-url' $['url_pattern']",
      "input warning Unknown environment variable 'unused-table' $['source']['alternatives']['prod']['table']",
      "input warning Unknown environment variable 'cron' $['pump']['cron_expression']",
      "rest-in warning Unknown environment variable 'rest-path' $['source']['url']",
      "needs-env warning Unknown environment variable 'threshold' $['transform']['rules']['default'][0][2]",
    ]);
    expect(engine.listPipes().every((p) => p.runtime['is-valid-config'] === true)).toBe(true);

    const result = await engine.runAllPipes(runParams());
    expect(result).toEqual({
      status: 'failed',
      additional_info: "needs-env: the pipe needs the environment variable 'threshold', which is not set",
    });
    expect(strip(engine.datasetEntities('fine', {}))).toEqual([{ _id: 'a', v: 1 }]);
    const runtime = engine.getPipe('needs-env')!.runtime;
    expect(runtime['last-run-status']).toBe('failed');
    expect(runtime['last-message']).toMatch(/^pump-failed: .*'threshold'/);
    expect(engine.pipeLog('needs-env').map((l) => l.event)).toEqual(['pump-failed']);
    expect(engine.getPipe('rest-in')!.runtime['last-run-status']).toBe('ok');
  });

  it('records the failure in the pipe execution log served at /pipes/<id>/log', async () => {
    const node = await openLocalNode({ memory: true });
    try {
      await node.engine.putConfig(
        [embedded('p', [{ _id: 'a' }], { transform: dtl({ default: [['add', 'x', '$ENV(x)']] }) })],
        {
          force: false,
        },
      );
      await node.engine.runAllPipes(runParams());
      const response = await node.fetch('http://node/api/pipes/p/log');
      const log = (await response.json()) as JsonObject[];
      expect(log.map((l) => [l.event, l.message])).toEqual([
        ['pump-failed', "the pipe needs the environment variable 'x', which is not set"],
      ]);
    } finally {
      await node.close();
    }
  });

  it('make a pipe whose condition is an unknown variable fail at run time, naming it', async () => {
    const { engine, errors } = upload([
      {
        _id: 'p',
        type: 'pipe',
        source: {
          type: 'conditional',
          condition: '$ENV(node-env)',
          alternatives: { test: { type: 'embedded', entities: [{ _id: 'a' }] } },
        },
      },
    ]);
    expect(errors).toHaveLength(1);
    expect((engine.getPipe('p')!.config.effective.source as JsonObject).type).toBe('conditional');
    const result = await engine.runAllPipes(runParams({ checkInputPipes: true }));
    expect(result.additional_info).toBe("p: the pipe needs the environment variable 'node-env', which is not set");
  });
});

describe('$conditional_properties with an unknown condition', () => {
  it('is accepted and fails the pipe at run time, naming the variable', async () => {
    const { engine, errors } = upload([
      embedded('p', [{ _id: 'a' }], {
        sink: {
          type: 'dataset',
          $conditional_properties: { condition: '$ENV(stage)', alternatives: { test: { dataset: 'p-test' } } },
        },
      }),
    ]);
    expect(errors.flatMap((e) => e['config-errors'] as JsonObject[]).map((c) => c.level)).toEqual(['warning']);
    const result = await engine.runAllPipes(runParams({ checkInputPipes: true }));
    expect(result.additional_info).toBe("p: the pipe needs the environment variable 'stage', which is not set");
  });
});

describe('waiting for datasets (dtl-functions-hops.rst)', () => {
  it('a pipe hopping into a dataset that does not exist waits instead of failing', async () => {
    const engine = engineWith([
      embedded('people', [{ _id: 'p1', org: 'o1' }]),
      fromDataset('enriched', 'people', {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'org', hop('orgs', [['eq', '_S.org', 'h._id']])],
          ],
        }),
      }),
      fromDataset('out', 'enriched', { sink: { type: 'http_endpoint' } }),
    ]);
    expect(await engine.runAllPipes(runParams())).toEqual({ status: 'success' });
    expect(engine.getPipe('enriched')!.runtime['last-run-status']).toBe('waiting');
    expect(engine.getPipe('enriched')!.runtime['last-message']).toBe(
      "pump-waiting: waiting for dataset 'orgs' (hopped into) to be populated",
    );
    expect(engine.getDataset('enriched')!.runtime).toMatchObject({ populated: false, 'count-index-exists': 0 });
    expect(engine.pipeEntities('out', {})).toEqual([]);
    expect(engine.runnerLog({}).map((l) => l.logdata)).toContain(
      "Pipe 'enriched' did not run: it is waiting for dataset 'orgs' (hopped into) to be populated",
    );
  });

  it('a pipe hopping into the output of a failed or waiting pipe waits too', async () => {
    const hopInto = (id: string, dataset: string) =>
      embedded(id, [{ _id: 'a' }], {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'x', hop(dataset, [['eq', '_S._id', 'h._id']])],
          ],
        }),
      });
    const engine = engineWith([
      embedded('broken', [{ _id: 'a' }], { transform: dtl({ default: [['fail!', 'no']] }) }),
      hopInto('after-broken', 'broken'),
      hopInto('first-waiter', 'nowhere'),
      hopInto('second-waiter', 'first-waiter'),
    ]);
    expect(await engine.runAllPipes(runParams())).toEqual({ status: 'success' });
    expect(
      ['after-broken', 'first-waiter', 'second-waiter'].map((id) => engine.getPipe(id)!.runtime['last-message']),
    ).toEqual([
      "pump-waiting: waiting for dataset 'broken' (hopped into) to be populated",
      "pump-waiting: waiting for dataset 'nowhere' (hopped into) to be populated",
      "pump-waiting: waiting for dataset 'first-waiter' (hopped into) to be populated",
    ]);
  });

  it('a pump started through the API waits until the hopped dataset is populated, then runs', () => {
    const engine = engineWith([
      embedded('people', [{ _id: 'p1', org: 'o1' }]),
      embedded('orgs', [{ _id: 'o1', v: 'Org' }]),
      fromDataset('enriched', 'people', {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'org', hop('orgs', [['eq', '_S.org', 'h._id']])],
          ],
        }),
      }),
    ]);
    engine.pumpOperation('people', 'start', {});
    engine.pumpOperation('enriched', 'start', {});
    expect(engine.getPipe('enriched')!.runtime['last-run-status']).toBe('waiting');
    engine.pumpOperation('orgs', 'start', {});
    engine.pumpOperation('enriched', 'start', {});
    expect(strip(engine.datasetEntities('enriched', {}))).toEqual([{ _id: 'p1', org: ['Org'] }]);
  });

  it('require_populated_input keeps a pipe waiting; a merge source with a missing dataset runs', async () => {
    const engine = engineWith([
      embedded('a', [{ _id: 'a1', k: 1 }]),
      fromDataset('strict', 'never-written', {
        source: { type: 'dataset', dataset: 'never-written', require_populated_input: true },
      }),
      {
        _id: 'merged',
        type: 'pipe',
        source: { type: 'merge', version: 2, datasets: ['a a', 'ghost g'], equality_sets: [['a.k', 'g.k']] },
      },
    ]);
    expect(await engine.runAllPipes(runParams())).toEqual({ status: 'success' });
    expect(engine.getPipe('strict')!.runtime['last-run-status']).toBe('waiting');
    expect(strip(engine.datasetEntities('merged', {}))).toEqual([{ _id: '0|a1', $ids: ['~:a1'], k: 1 }]);
    // ignore_non_existent_datasets (default true): the merge source is populated, so is its sink.
    expect(engine.getDataset('merged')!.runtime).toMatchObject({ populated: true });
  });

  it('initial_datasets and ignore_non_existent_datasets decide when a multi-dataset source is populated', async () => {
    const union = (id: string, extra: JsonObject) => ({
      _id: id,
      type: 'pipe',
      source: { type: 'union_datasets', datasets: ['a', 'missing'], ...extra },
    });
    const engine = engineWith([
      embedded('a', [{ _id: 'a1' }]),
      fromDataset('unpopulated', 'never-populated', { sink: { set_initial_offset: 'never' } }),
      union('default', {}),
      union('strict', { ignore_non_existent_datasets: false }),
      {
        ...union('initial', { initial_datasets: ['a'] }),
        source: { type: 'union_datasets', datasets: ['a', 'unpopulated'], initial_datasets: ['a'] },
      },
      { ...union('waits-for-all', {}), source: { type: 'union_datasets', datasets: ['a', 'unpopulated'] } },
    ]);
    await engine.runAllPipes(runParams());
    const populated = (id: string) => (engine.getDataset(id)!.runtime as JsonObject).populated;
    expect(['default', 'strict', 'initial', 'waits-for-all'].map(populated)).toEqual([true, false, true, false]);
    expect(strip(engine.datasetEntities('strict', {}))).toEqual([{ _id: 'a:a1' }]);
  });

  it('set_initial_offset: "never" leaves the sink unpopulated, "onload" populates it at upload', () => {
    const engine = engineWith([
      embedded('never', [{ _id: 'a' }], { sink: { set_initial_offset: 'never' } }),
      fromDataset('onload', 'nowhere', { sink: { set_initial_offset: 'onload' } }),
    ]);
    expect(engine.getDataset('onload')!.runtime).toMatchObject({ populated: true });
    engine.pumpOperation('never', 'start', {});
    expect(engine.getDataset('never')!.runtime).toMatchObject({ populated: false, 'count-index-exists': 1 });
  });

  it('dead-letter datasets are populated when the pipe is loaded, so pipes hopping into them run', async () => {
    const engine = engineWith([
      embedded('out', [], { pump: { use_dead_letter_dataset: true } }),
      embedded('named', [], { pump: { dead_letter_dataset: 'named-dead' } }),
      embedded('report', [{ _id: 'r' }], {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'dead', hop('system:dead-letter:out', [['eq', '_S._id', 'h._id']])],
          ],
        }),
      }),
    ]);
    expect(engine.getDataset('named-dead')!.runtime).toMatchObject({ populated: true });
    expect(await engine.runAllPipes(runParams())).toEqual({ status: 'success' });
    expect(strip(engine.datasetEntities('report', {}))).toEqual([{ _id: 'r', dead: [] }]);
  });

  it('a receiver dataset is populated on load unless auto_populate_dataset is false', () => {
    const receiver = (id: string, extra: JsonObject) => ({
      _id: id,
      type: 'pipe',
      source: { type: 'http_endpoint', ...extra },
    });
    const engine = engineWith([receiver('auto', {}), receiver('manual', { auto_populate_dataset: false })]);
    expect(engine.getDataset('auto')!.runtime).toMatchObject({ populated: true });
    expect(engine.getDataset('manual')!.runtime).toMatchObject({ populated: false });
  });
});

describe('run-all with failing pipes', () => {
  it('runs every runnable pipe and reports all failures in one run result', async () => {
    const failing = (id: string, message: string) =>
      fromDataset(id, 'in', { transform: dtl({ default: [['fail!', message]] }) });
    const engine = engineWith([
      embedded('in', [{ _id: 'a' }]),
      failing('bad1', 'first'),
      fromDataset('good', 'in'),
      failing('bad2', 'second'),
      fromDataset('after-good', 'good'),
    ]);
    const result = await engine.runAllPipes(runParams());
    expect(result.status).toBe('failed');
    expect(String(result.additional_info)).toMatch(/^bad1: .*first.*; bad2: .*second/);
    expect(strip(engine.datasetEntities('after-good', {}))).toEqual([{ _id: 'a' }]);
    for (const id of ['bad1', 'bad2']) expect(engine.getPipe(id)!.runtime['last-error']).toMatch(/first|second/);
  });

  it('an input pipe failure fails the run only with check_input_pipes', async () => {
    const config = [embedded('in', [{ _id: 'a' }], { transform: dtl({ default: [['fail!', 'broken']] }) })];
    expect((await engineWith(config).runAllPipes(runParams())).status).toBe('success');
    expect((await engineWith(config).runAllPipes(runParams({ checkInputPipes: true }))).status).toBe('failed');
  });
});

describe('config shapes real projects use', () => {
  it('runs a chained transform (its transforms in order) and a single transform function as a rule body', async () => {
    const engine = engineWith([
      embedded('p', [{ _id: 'a', n: 1 }], {
        transform: {
          type: 'chained',
          transforms: [
            dtl({ default: ['copy', '*'] }),
            dtl({
              default: [
                ['copy', '*'],
                ['add', 'm', ['plus', '_S.n', 1]],
              ],
            }),
          ],
        },
      }),
      embedded('q', [{ _id: 'b', n: 5 }], {
        transform: dtl({
          default: [
            'if',
            ['gt', '_S.n', 3],
            [
              ['copy', '_id'],
              ['add', 'big', true],
            ],
            [['filter']],
          ],
        }),
      }),
    ]);
    await engine.runAllPipes(runParams());
    expect(strip(engine.datasetEntities('p', {}))).toEqual([{ _id: 'a', n: 1, m: 2 }]);
    expect(strip(engine.datasetEntities('q', {}))).toEqual([{ _id: 'b', big: true }]);
  });

  it('joins with an or of eq functions in a hops where', () => {
    const where = [['or', ['eq', '_S.code', 'h.code'], ['eq', '_S.alt', 'h.alias']]];
    const datasets: DatasetProvider = {
      entities: (): JsonObject[] => [
        { _id: 'x', code: 'c1', v: 'by code' },
        { _id: 'y', alias: 'a2', v: 'by alias' },
        { _id: 'z', code: 'c9', v: 'none' },
      ],
      version: () => 1,
    };
    const value = evaluateExpression(['sorted', '_.', hop('d', where)], { code: 'c1', alt: 'a2' }, {}, datasets);
    expect(value).toEqual(['by alias', 'by code']);
  });

  it('declares the DTL features the rules use', () => {
    const settings = {
      pipeId: 'p',
      namespacedIdentifiers: false,
      identityNamespace: 'p',
      propertyNamespace: 'p',
      sinkIsDataset: true,
    };
    const compiled = compileDtl(
      dtl({
        default: [
          ['create-child', ['dict', '_id', 'c']],
          ['add', 'changed', ['is-changed', '_S.x']],
        ],
      }),
      settings,
    );
    expect(compiled.uses).toEqual({ hops: false, createChild: true, isChanged: true });
    // Function names inside literal text are not uses.
    expect(compileDtl(dtl({ default: [['add', 'note', 'create-child']] }), settings).uses.createChild).toBe(false);
  });
});

describe('merge source (configuration-sources-merge.rst)', () => {
  it('treats tuples in equality rules as composite keys', async () => {
    const engine = engineWith([
      embedded('A', [
        { _id: 'a1', x: 1, y: 2 },
        { _id: 'a2', x: 1, y: 3 },
      ]),
      embedded('B', [{ _id: 'b1', x: 1, y: 2 }]),
      {
        _id: 'm',
        type: 'pipe',
        source: {
          type: 'merge',
          version: 2,
          datasets: ['A a', 'B b'],
          equality: [['eq', ['tuples', 'a.x', 'a.y'], ['tuples', 'b.x', 'b.y']]],
          identity: 'first',
        },
      },
    ]);
    await engine.runAllPipes(runParams());
    expect(strip(engine.datasetEntities('m', {})).map((e) => e.$ids)).toEqual([['~:a1', '~:b1'], ['~:a2']]);
  });

  it('compact: the documented example, and a lone entity keeps its lists', async () => {
    const engine = engineWith([
      embedded('A', [{ _id: 'a1', k: 1, x: 1, gone: null }]),
      embedded('B', [{ _id: 'b1', k: 1, y: [2, 1], none: [] }]),
      embedded('C', [
        { _id: 'c1', k: 1, y: 2, z: [3, 3] },
        { _id: 'c2', k: 2, tags: [3, 3], empty: [], nil: null },
      ]),
      {
        _id: 'm',
        type: 'pipe',
        source: {
          type: 'merge',
          version: 2,
          datasets: ['A a', 'B b', 'C c'],
          equality_sets: [['a.k', 'b.k', 'c.k']],
          identity: 'first',
          strategy: 'compact',
        },
      },
    ]);
    await engine.runAllPipes(runParams());
    expect(strip(engine.datasetEntities('m', {}))).toEqual([
      { _id: 'a1', $ids: ['~:a1', '~:b1', '~:c1'], k: 1, x: 1, y: [2, 1], z: 3 },
      { _id: 'c2', $ids: ['~:c2'], k: 2, tags: [3, 3] },
    ]);
  });
});
