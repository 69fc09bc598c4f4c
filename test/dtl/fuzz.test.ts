// Fuzz: random well-formed expressions over every registered function never throw anything but
// DtlConfigError / DtlRuntimeError, and evaluation is deterministic (except for nondeterministic functions).
import { describe, expect, it } from 'vitest';
import { stringifyJson, type JsonValue } from '../../src/format/json.js';
import { DtlConfigError, DtlRuntimeError, evaluateExpression } from '../../src/dtl/index.js';
import { lookupFunction, registeredFunctionNames } from '../../src/dtl/functions/index.js';
import { encodeTransit } from '../../src/dtl/values.js';
import { FIXED_NOW, memoryDatasets } from './helpers.js';
import { pick, randomValue, rng } from './random.js';

// PGP runs in a worker thread (slow per call) and sleep! really sleeps: both are tested on their own.
const SLOW = new Set(['encrypt-pgp', 'decrypt-pgp', 'sleep!']);
const NAMES = registeredFunctionNames().filter((n) => !SLOW.has(n));
const EXTRA = ['if', 'case', 'case-eq', 'path', 'literal'];
const PATHS = ['_S.a', '_S.b', '_S.', '_.', '_S.a.b', '_T.', '_S.list'];
const SOURCE = {
  _id: 'x',
  a: { b: [1, 'two', 3.5] },
  b: 'text',
  list: [1, 2, 3, null, 'z'],
  t: '~t2015-07-28T09:46:00Z',
};
const datasets = memoryDatasets({ d: [{ _id: 'd1', k: 1 }] });

function randomExpr(r: () => number, depth: number): JsonValue {
  const roll = r();
  if (depth > 3 || roll < 0.35) {
    if (r() < 0.3) return pick(r, PATHS);
    const v = encodeTransit(randomValue(r, 2));
    // literal lists/dicts must be quoted as data
    return Array.isArray(v) || (v !== null && typeof v === 'object' && !('value' in (v as object)))
      ? ['literal', v]
      : v;
  }
  const name = pick(r, [...NAMES, ...EXTRA]);
  const fn = lookupFunction(name);
  const min = fn?.min ?? 1;
  const max = Math.min(fn?.max ?? 4, min + 3);
  const n = min + Math.floor(r() * (max - min + 1));
  const args: JsonValue[] = [];
  for (let i = 0; i < n; i++) args.push(randomExpr(r, depth + 1));
  return [name, ...args];
}

describe('fuzz', () => {
  it('random expressions only fail with DTL errors', () => {
    const r = rng(Number(process.env.DTL_FUZZ_SEED ?? 2024));
    let evaluated = 0;
    for (let i = 0; i < Number(process.env.DTL_FUZZ_COUNT ?? 4000); i++) {
      const expr = randomExpr(r, 0);
      try {
        const first = evaluateExpression(expr, SOURCE, { pipeId: 'fuzz' }, datasets, () => FIXED_NOW);
        evaluated++;
        const text = stringifyJson(expr);
        if (!/uuid|encrypt|now/.test(text)) {
          expect(
            stringifyJson(evaluateExpression(expr, SOURCE, { pipeId: 'fuzz' }, datasets, () => FIXED_NOW)),
            text,
          ).toBe(stringifyJson(first));
        }
      } catch (err) {
        if (!(err instanceof DtlConfigError || err instanceof DtlRuntimeError)) {
          throw new Error(`${stringifyJson(expr)} threw ${(err as Error)?.stack ?? String(err)}`);
        }
      }
    }
    expect(evaluated).toBeGreaterThan(1000);
  });

  it('map-style functions keep list shape: a list in gives a list out, never longer', () => {
    const r = rng(99);
    const mapStyle = [
      'upper',
      'lower',
      'length',
      'string',
      'integer',
      'float',
      'decimal',
      'hex',
      'uri',
      'ni-id',
      'json',
      'abs',
      'round',
      'bytes',
      'url-quote',
    ];
    for (let i = 0; i < 500; i++) {
      const items = Array.from({ length: Math.floor(r() * 6) }, () => encodeTransit(randomValue(r, 3)));
      const name = pick(r, mapStyle);
      const out = evaluateExpression([name, ['literal', items]], null);
      expect(Array.isArray(out), name).toBe(true);
      expect((out as JsonValue[]).length).toBeLessThanOrEqual(items.length);
      // element-wise: each single item maps to the same value as inside the list (or is dropped)
      const singles = items.map((x) => evaluateExpression([name, ['literal', x]], null)).filter((x) => x !== null);
      if (!items.some((x) => x === null || Array.isArray(x))) expect(stringifyJson(out)).toBe(stringifyJson(singles));
    }
  });
});
