import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/format/json.js';
import { NodeEngine } from '../../src/local-node/engine.js';
import { dtl, embedded, engineWith, fromDataset, T0 } from './helpers.js';

const fresh = () => NodeEngine.open({ memory: true, now: () => T0 });

describe('putConfig validation', () => {
  it('rejects bad entities and changes nothing without force', () => {
    const engine = fresh();
    engine.putConfig([embedded('keep', [])], { force: false });
    const errors = engine.putConfig(
      [
        { type: 'pipe' },
        { _id: 'bad-source', type: 'pipe', source: { type: 'nosuch' } },
        { _id: 'bad-sink', type: 'pipe', source: { type: 'embedded' }, sink: { type: 'dataset', dataset: 5 } },
        { _id: 'thing', type: 'widget' },
        { _id: 'env', type: 'pipe', source: { type: 'dataset', dataset: '$ENV(missing-var)' } },
        { _id: 'ok', type: 'pipe', source: { type: 'sql', system: 'db', table: 't' } },
      ],
      { force: false },
    );
    const byId = Object.fromEntries(errors.map((e) => [String(e['posted-config']._id), e['config-errors']]));
    expect(Object.keys(byId)).toEqual(['undefined', 'bad-source', 'bad-sink', 'thing', 'env']);
    expect(byId['bad-source']).toEqual([
      { level: 'error', msg: "Unknown source type 'nosuch'", elements: "$['source']['type']" },
    ]);
    expect(byId.env![0]).toMatchObject({
      msg: "Unknown environment variable 'missing-var'",
      elements: "$['source']['dataset']",
    });
    expect(byId.thing![0]!.msg).toMatch(/Unknown config entity type 'widget'/);
    expect(engine.listPipes().map((p) => p._id)).toEqual(['keep']);
  });

  it('reports DTL compile errors naming the pipe and function', () => {
    const engine = fresh();
    const errors = engine.putConfig(
      [fromDataset('p', 'x', { transform: dtl({ default: [['add', 'a', ['no-such-function', 1]]] }) })],
      { force: false },
    );
    expect(errors).toHaveLength(1);
    const msg = errors[0]!['config-errors'][0]!.msg;
    expect(msg).toContain('no-such-function');
    expect(msg).toContain('p');
  });

  it('stores bad config with force and marks the pipe invalid', () => {
    const engine = fresh();
    const errors = engine.putConfig([{ _id: 'bad', type: 'pipe', source: { type: 'nosuch' } }, embedded('good', [])], {
      force: true,
    });
    expect(errors).toHaveLength(1);
    expect(engine.getConfig().map((e) => e._id)).toEqual(['bad', 'good']);
    expect(engine.getPipe('bad')!.runtime['is-valid-config']).toBe(false);
    expect(engine.getPipe('good')!.runtime['is-valid-config']).toBe(true);
    expect(() => engine.pumpOperation('bad', 'start', {})).toThrow(/invalid config/);
  });

  it('returns the uploaded config unchanged and replaces all of it', () => {
    const engine = fresh();
    const config = [
      { _id: 'node', type: 'metadata', namespaced_identifiers: true },
      embedded('a', [{ _id: '1' }]),
      { _id: 'sys', type: 'system:url', url: 'http://x' },
    ];
    engine.putConfig(config, { force: false });
    expect(engine.getConfig()).toEqual(config);
    engine.putConfig([embedded('b', [])], { force: false });
    expect(engine.getConfig().map((e) => e._id)).toEqual(['b']);
    expect(engine.listSystems()).toEqual([]);
  });
});

describe('effective config', () => {
  it('fills the default dataset sink and pump, and classifies pipes as sesam-py does', () => {
    const engine = engineWith([
      embedded('in', []),
      fromDataset('internal', 'in'),
      fromDataset('endpoint', 'in', { sink: { type: 'http_endpoint' } }),
      fromDataset('named', 'in', { sink: { type: 'dataset' } }),
    ]);
    const eff = (id: string) => engine.getPipe(id)!.config.effective;
    expect(eff('in')).toMatchObject({ sink: { type: 'dataset', dataset: 'in' }, pump: { schedule_interval: 900 } });
    expect(eff('internal')).toMatchObject({
      sink: { type: 'dataset', dataset: 'internal' },
      pump: { schedule_interval: 30 },
    });
    expect(eff('endpoint').sink).toEqual({ type: 'http_endpoint' });
    expect(eff('named').sink).toEqual({ type: 'dataset', dataset: 'named' });
    expect(engine.getPipe('in')!.config.original).toEqual(embedded('in', []));
  });

  it('expands $ENV and resolves conditional sources, sinks and transforms', () => {
    const conditional = (alternatives: JsonObject): JsonObject => ({
      type: 'conditional',
      condition: '$ENV(node-env)',
      alternatives,
    });
    const engine = engineWith(
      [
        {
          _id: 'p',
          type: 'pipe',
          source: conditional({
            prod: { type: 'sql', system: 'db' },
            test: { type: 'embedded', entities: [{ _id: 'x', n: '$ENV(count)' }] },
          }),
          sink: conditional({ prod: { type: 'null' }, test: { type: 'dataset', dataset: '$ENV(prefix)-out' } }),
        },
      ],
      { 'node-env': 'test', count: 3, prefix: 'my' },
    );
    const effective = engine.getPipe('p')!.config.effective;
    expect(effective.source).toEqual({ type: 'embedded', entities: [{ _id: 'x', n: 3 }] });
    expect(effective.sink).toEqual({ type: 'dataset', dataset: 'my-out' });
    engine.pumpOperation('p', 'start', {});
    expect(engine.datasetEntities('my-out', {}).map((e) => e.n)).toEqual([3]);
  });

  it('keeps a pipe valid but unable to run when the environment no longer has a used variable', () => {
    const engine = engineWith([fromDataset('p', '$ENV(src)')], { src: 'a' });
    expect(engine.getPipe('p')!.config.effective.source).toEqual({ type: 'dataset', dataset: 'a' });
    engine.putEnv({});
    const runtime = engine.getPipe('p')!.runtime;
    expect(runtime['is-valid-config']).toBe(true);
    expect(runtime['config-errors']).toEqual([
      { level: 'warning', msg: "Unknown environment variable 'src'", elements: "$['source']['dataset']" },
    ]);
    expect(runtime['runtime-error']).toBe("the pipe needs the environment variable 'src', which is not set");
    engine.pumpOperation('p', 'start', {});
    expect(engine.getPipe('p')!.runtime['last-message']).toMatch(/^pump-failed: .*'src'/);
  });

  it('reports an unknown conditional alternative', () => {
    const engine = NodeEngine.open({ memory: true });
    engine.putEnv({ 'node-env': 'dev' });
    const errors = engine.putConfig(
      [
        {
          _id: 'p',
          type: 'pipe',
          source: { type: 'conditional', condition: '$ENV(node-env)', alternatives: { prod: { type: 'empty' } } },
        },
      ],
      { force: false },
    );
    expect(errors[0]!['config-errors'][0]!.msg).toMatch(/condition 'dev' matches none of the alternatives \(prod\)/);
  });

  it('keeps secrets write-only and reports unknown secrets in systems as warnings', () => {
    const engine = NodeEngine.open({ memory: true });
    engine.putSecrets({ pw: 'hunter2' }, false);
    engine.putConfig([{ _id: 's', type: 'system:url', password: '$SECRET(pw)', other: '$SECRET(nope)' }], {
      force: false,
    });
    expect(engine.getSecretNames()).toEqual(['pw']);
    const system = engine.getSystem('s')!;
    expect(JSON.stringify(system)).not.toContain('hunter2');
    expect(JSON.stringify(system)).toContain("Unknown secret 'nope'");
    engine.deleteSecret('pw');
    expect(engine.getSecretNames()).toEqual([]);
  });
});

describe('node status', () => {
  it('reports developer mode and changes node_start_time on restart; reset wipes everything', () => {
    let t = T0;
    const engine = NodeEngine.open({ memory: true, now: () => t });
    const before = engine.status();
    expect(before.developer_mode).toBe(true);
    engine.restart();
    expect(engine.status().node_start_time).not.toBe(before.node_start_time);
    engine.putEnv({ a: 1 });
    engine.putConfig([embedded('p', [{ _id: 'x' }])], { force: false });
    engine.pumpOperation('p', 'start', {});
    t += 1000;
    engine.reset();
    expect(engine.getConfig()).toEqual([]);
    expect(engine.getEnv()).toEqual({});
    expect(engine.listDatasets()).toEqual([]);
  });
});
