import { describe, expect, it } from 'vitest';
import { pipeOrder } from '../../src/local-node/runner.js';
import { dtl, embedded, engineWith, fromDataset, runParams, strip } from './helpers.js';

const hopJoin = (alias: string, dataset: string, ret: string) => [
  'hops',
  { datasets: [`${dataset} ${alias}`], where: [['eq', '_S._id', `${alias}._id`]], return: ret },
];

describe('pipe order', () => {
  it('runs producers before consumers of source and hop datasets, keeping config order otherwise', () => {
    const engine = engineWith([
      fromDataset('c', 'b'),
      fromDataset('b', 'a', {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'h', hopJoin('h', 'h', 'h.v')],
          ],
        }),
      }),
      embedded('h', []),
      embedded('a', []),
      embedded('z', []),
    ]);
    const defs = (engine as unknown as { defs: Map<string, import('../../src/local-node/pipes.js').PipeDefinition> })
      .defs;
    expect(pipeOrder([...defs.values()]).map((p) => p.id)).toEqual(['h', 'a', 'b', 'c', 'z']);
  });
});

describe('run until stable', () => {
  it('runs a chain in dependency order and reports success; endpoint pipes are never pumped', async () => {
    const engine = engineWith([
      fromDataset('out', 'mid', { sink: { type: 'http_endpoint' } }),
      fromDataset('mid', 'in', {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'org', hopJoin('o', 'orgs', 'o.name')],
          ],
        }),
      }),
      embedded('in', [{ _id: '1', v: 'x' }]),
      embedded('orgs', [{ _id: '1', name: 'Acme' }]),
    ]);
    const result = await engine.runAllPipes(runParams({ outputRunStatistics: true }));
    expect(result.status).toBe('success');
    expect(String(result.additional_info)).toMatch(/stable after 3 pipe runs/);
    expect(strip(engine.pipeEntities('out', {}))).toEqual([{ _id: '1', v: 'x', org: ['Acme'] }]);
    expect(engine.getDataset('out')).toBeUndefined();
    const log = engine.runnerLog({});
    expect(log.every((l) => typeof l.timestamp === 'string' && l.loglevel && l.logdata)).toBe(true);
    expect(engine.runnerLog({ since: String(log[1]!.timestamp) })).toEqual(log.slice(2));
  });

  it('reruns a pipe whose hop dataset changed (dependency tracking), also across a cycle', async () => {
    const engine = engineWith([
      embedded('in', [{ _id: '1', v: 1 }]),
      fromDataset('a', 'in', {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'fromB', hopJoin('b', 'b', 'b.v')],
          ],
        }),
      }),
      fromDataset('b', 'a', {
        transform: dtl({
          default: [
            ['copy', '_id'],
            ['add', 'v', '_S.v'],
          ],
        }),
      }),
    ]);
    const result = await engine.runAllPipes(runParams());
    expect(result).toEqual({ status: 'success' });
    expect(strip(engine.datasetEntities('a', { history: false }))).toEqual([{ _id: '1', v: 1, fromB: [1] }]);
    const log = engine.runnerLog({}).map((l) => l.logdata);
    expect(log.filter((l) => String(l).startsWith('Pass '))).toEqual([
      'Pass 0 finished: 3 changes, pipes with pending work remain',
      'Pass 1 finished: 1 changes',
      'Pass 2 finished: 0 changes',
      'Pass 3 finished: 0 changes',
    ]);
  });

  it('reruns on a hop change with a manual start (full rescan) and picks up the new hop value', () => {
    const config = (name: string) => [
      embedded('orgs', [{ _id: '1', name }]),
      embedded('in', [{ _id: '1' }]),
      fromDataset('joined', 'in', {
        transform: dtl({
          default: [
            ['copy', '*'],
            ['add', 'org', hopJoin('o', 'orgs', 'o.name')],
          ],
        }),
      }),
    ];
    const engine = engineWith(config('Acme'));
    for (const id of ['orgs', 'in', 'joined']) engine.pumpOperation(id, 'start', {});
    engine.putConfig(config('Bolt'), { force: false });
    engine.pumpOperation('orgs', 'start', {});
    expect(engine.getPipe('joined')!.runtime.queues).toEqual({ source: 0, dependencies: { orgs: 1 } });
    engine.pumpOperation('joined', 'start', {});
    expect(engine.datasetEntities('joined', { history: false })[0]!.org).toEqual(['Bolt']);
  });

  it('fails with the pipe and reason when a pump fails, and logs it', async () => {
    const engine = engineWith([
      embedded('in', [{ _id: '1' }]),
      fromDataset('bad', 'in', { transform: dtl({ default: [['fail!', 'no good']] }) }),
    ]);
    const result = await engine.runAllPipes(runParams());
    expect(result.status).toBe('failed');
    expect(String(result.additional_info)).toMatch(/^bad: .*no good/);
    expect(engine.runnerLog({}).some((l) => l.loglevel === 'ERROR' && String(l.logdata).includes('no good'))).toBe(
      true,
    );
    // The failed run left nothing behind.
    expect(engine.datasetEntities('bad', {})).toEqual([]);
  });

  it('ignores failing input pipes unless checkInputPipes', async () => {
    const config = [embedded('in', [{ _id: '1' }], { transform: dtl({ default: [['fail!', 'input broke']] }) })];
    expect((await engineWith(config).runAllPipes(runParams())).status).toBe('success');
    const checked = await engineWith(config).runAllPipes(runParams({ checkInputPipes: true }));
    expect(checked).toMatchObject({ status: 'failed' });
    expect(String(checked.additional_info)).toContain('in: ');
  });

  it('fails after maxRuns when pipes never stabilise', async () => {
    const engine = engineWith([
      embedded('seed', [{ _id: '1', n: 0 }]),
      {
        _id: 'loop',
        type: 'pipe',
        source: { type: 'union_datasets', datasets: ['seed', 'loop'], prefix_ids: false },
        transform: dtl({
          default: [
            ['copy', '_id'],
            ['add', 'n', ['plus', 1, ['max', '_S.n']]],
          ],
        }),
      },
    ]);
    const result = await engine.runAllPipes(runParams({ maxRuns: 5 }));
    expect(result).toEqual({
      status: 'failed',
      additional_info: 'the pipes did not become stable within max_runs=5 runs',
    });
  });

  it('keeps input datasets when deleteInputDatasets is false and deletes them otherwise', async () => {
    const engine = engineWith([
      { _id: 'recv', type: 'pipe', source: { type: 'http_endpoint' } },
      fromDataset('copy', 'recv'),
    ]);
    engine.receive('recv', [{ _id: 'a' }], {});
    await engine.runAllPipes(runParams({ deleteInputDatasets: false }));
    expect(engine.datasetEntities('copy', {}).map((e) => e._id)).toEqual(['a']);
    await engine.runAllPipes(runParams({ deleteInputDatasets: true }));
    expect(engine.datasetEntities('recv', {})).toEqual([]);
    expect(engine.datasetEntities('copy', {})).toEqual([]);
  });

  it('without reset, reruns only pending work', async () => {
    const engine = engineWith([embedded('in', [{ _id: 'a' }]), fromDataset('copy', 'in')]);
    await engine.runAllPipes(runParams());
    const again = await engine.runAllPipes(
      runParams({ resetPipesAndDeleteSinkDatasets: false, outputRunStatistics: true }),
    );
    expect(String(again.additional_info)).toMatch(/0 dataset changes/);
    expect(engine.datasetEntities('copy', {})).toHaveLength(1);
  });

  it('runs asynchronously with a token, refuses a second run, and can be stopped', async () => {
    const engine = engineWith([
      embedded('a', [{ _id: '1' }]),
      embedded('b', [{ _id: '1' }]),
      embedded('c', [{ _id: '1' }]),
    ]);
    const token = engine.startRunAllPipes(runParams());
    expect(engine.runnerStatus(token)).toEqual({ status: 'running' });
    expect(() => engine.startRunAllPipes(runParams())).toThrow(/already running/);
    engine.stopRunner();
    while (engine.runnerStatus(token).status === 'running') await new Promise((r) => setImmediate(r));
    expect(engine.runnerStatus(token)).toEqual({ status: 'failed' });
    expect(engine.runnerLog({ token }).at(-1)!.logdata).toBe('Run failed: the run was stopped');
    expect(engine.runnerStatus('unknown')).toEqual({ status: 'not-running' });

    const second = engine.startRunAllPipes(runParams());
    while (engine.runnerStatus(second).status === 'running') await new Promise((r) => setImmediate(r));
    expect(engine.runnerStatus(second)).toEqual({ status: 'success' });
  });

  it('skips pipes with pump mode off', async () => {
    const engine = engineWith([embedded('in', [{ _id: '1' }], { pump: { mode: 'off' } })]);
    await engine.runAllPipes(runParams());
    expect(engine.getDataset('in')).toBeUndefined();
  });
});
