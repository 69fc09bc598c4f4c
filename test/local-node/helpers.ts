// Shared helpers for the engine tests: a memory engine with a fixed clock and run parameters like sesam-py's.
import type { JsonObject } from '../../src/format/json.js';
import { NodeEngine, type EngineRunParams } from '../../src/local-node/engine.js';

export const T0 = 1_700_000_000_000;

export function engineWith(config: JsonObject[], env: JsonObject = {}): NodeEngine {
  const engine = NodeEngine.open({ memory: true, now: () => T0 });
  engine.putEnv(env);
  const errors = engine.putConfig(config, { force: false });
  if (errors.length) throw new Error(`config errors: ${JSON.stringify(errors)}`);
  return engine;
}

export function runParams(overrides: Partial<EngineRunParams> = {}): EngineRunParams {
  return {
    extraZeroRuns: 2,
    maxRuns: 100,
    maxRunTime: 900,
    deleteInputDatasets: true,
    checkInputPipes: false,
    resetPipesAndDeleteSinkDatasets: true,
    outputRunStatistics: false,
    ...overrides,
  };
}

/** Entities without the dataset bookkeeping fields, for readable comparisons. */
export function strip(entities: JsonObject[]): JsonObject[] {
  return entities.map((e) => {
    const out: JsonObject = {};
    for (const k of Object.keys(e)) if (!['_updated', '_previous', '_ts', '_hash'].includes(k)) out[k] = e[k]!;
    if (out._deleted === false) delete out._deleted;
    return out;
  });
}

export function embedded(id: string, entities: JsonObject[], extra: JsonObject = {}): JsonObject {
  return { _id: id, type: 'pipe', source: { type: 'embedded', entities }, ...extra };
}

export function fromDataset(id: string, dataset: string, extra: JsonObject = {}): JsonObject {
  return { _id: id, type: 'pipe', source: { type: 'dataset', dataset }, ...extra };
}

export function dtl(rules: JsonObject): JsonObject {
  return { type: 'dtl', rules };
}

export function text(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
}
