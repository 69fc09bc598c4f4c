// Test helpers: evaluate DTL written as JSON text and compare results as Python-style JSON text.
import { parseJson, stringifyJson, type JsonObject, type JsonValue } from '../../src/format/json.js';
import { evaluateExpression, type DatasetProvider, type PipeDtlSettings } from '../../src/dtl/index.js';

export const FIXED_NOW = 1_438_076_760_123_450_000n;

export function ev(
  expression: string,
  source: string | null = null,
  pipe?: Partial<PipeDtlSettings>,
  datasets?: DatasetProvider,
): string {
  const src = source === null ? null : (parseJson(source) as JsonObject);
  return stringifyJson(evaluateExpression(parseJson(expression), src, pipe, datasets, () => FIXED_NOW));
}

/** Normalise expected JSON text through the parser so spacing does not matter. */
export function js(text: string): string {
  return stringifyJson(parseJson(text));
}

export function memoryDatasets(data: Record<string, JsonObject[]>): DatasetProvider & { bump(id: string): void } {
  const versions = new Map<string, number>();
  return {
    entities: (id) => data[id],
    version: (id) => versions.get(id) ?? 0,
    bump(id) {
      versions.set(id, (versions.get(id) ?? 0) + 1);
    },
  };
}

export function json(v: JsonValue): string {
  return stringifyJson(v);
}
