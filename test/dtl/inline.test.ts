// The inline fast paths of generated call sites (src/dtl/inline.ts) must give exactly what the registered function
// gives: every inlined function is run through a compiled rule (arguments read from the source, so the site's fast
// path and its fallback both run) and compared with a direct call of the registry function on the same values.
import { describe, expect, it } from 'vitest';
import { stringifyJson, type JsonObject, type JsonValue } from '../../src/format/json.js';
import { compileDtl, defaultPipeSettings } from '../../src/dtl/index.js';
import { lookupFunction, type CallContext } from '../../src/dtl/functions/registry.js';
import { INLINE } from '../../src/dtl/inline.js';
import { DateTime, Decimal, decodeTransit, encodeTransit, JsonFloat, Ni, type DtlValue } from '../../src/dtl/values.js';
import { FIXED_NOW } from './helpers.js';

const SAFE = Number.MAX_SAFE_INTEGER;
const VALUES: DtlValue[] = [
  null,
  true,
  false,
  0,
  1,
  -5,
  18,
  50,
  51,
  SAFE,
  -SAFE,
  2n ** 60n,
  -(2n ** 60n),
  new JsonFloat(2.5),
  new JsonFloat(3.5),
  new JsonFloat(-0.5),
  new JsonFloat(1e300),
  Decimal.parse('1.50')!,
  '',
  'a',
  'B',
  'abc',
  'ß',
  'ﬁ',
  'İ',
  '😀x',
  '\uE000',
  'x😀',
  '123',
  '0123',
  '007',
  '1_000',
  ' 12',
  '-3',
  '9999999999999999',
  '0x1f',
  new Ni('person', 'p1'),
  DateTime.parse('2015-07-28T09:46:00Z')!,
  [],
  [null],
  ['t2', 't1', 't2'],
  ['b', '😀', '\uE000', 'a', 'b'],
  [1, 3, 2, 3],
  [SAFE, 1],
  [1, -SAFE, -2],
  [1, 'a', 1],
  [null, 'x'],
  [[1], 2],
  [new JsonFloat(1.5), 2],
  [2n ** 60n, 1],
  ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'a'],
  { a: 1 },
  [{ amount: 60 }, { amount: 10 }],
];
const INDEXES: DtlValue[] = [0, 1, 2, -1, -3, 10, null, 'x', new JsonFloat(1), 2n ** 60n];

const pipe = defaultPipeSettings({ pipeId: 'p' });
const call: CallContext = {
  now: () => FIXED_NOW,
  pipeId: 'p',
  namespacedIdentifiers: false,
  identityNamespace: 'p',
  propertyNamespace: 'p',
};
const ctx = { datasets: { entities: () => undefined, version: () => 0 }, now: () => FIXED_NOW };

/** The result of `fn` on the values through a compiled rule, and by a direct registry call; errors as text. */
const compiledRules = new Map<string, ReturnType<typeof compileDtl>>();
function both(name: string, args: DtlValue[]): [string, string] {
  const refs = args.map((_, i) => `_S.a${i}`);
  const cacheKey = `${name}/${args.length}`;
  let compiled = compiledRules.get(cacheKey);
  if (!compiled) {
    compiled = compileDtl(
      { type: 'dtl', id_required: false, rules: { default: [['add', 'r', [name, ...refs]]] } },
      pipe,
    );
    compiledRules.set(cacheKey, compiled);
  }
  const source: JsonObject = {};
  args.forEach((v, i) => {
    source[`a${i}`] = encodeTransit(v);
  });
  // JSON text plus the number kinds (an int that overflowed to bigint prints like a lossy double).
  const typed = (v: JsonValue) =>
    `${stringifyJson(v)} ${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `bigint ${x}` : x instanceof JsonFloat ? `float ${x.value}` : x))}`;
  const run = (f: () => JsonValue) => {
    try {
      return typed(f());
    } catch (err) {
      return `error: ${(err as Error).message}`;
    }
  };
  const viaSite = run(() => compiled.transform(source, ctx)[0]!.r!);
  const decoded = args.map((v) => decodeTransit(encodeTransit(v)));
  const direct = run(() => encodeTransit(lookupFunction(name)!.call(decoded, call)));
  return [viaSite, direct];
}

function combos(arity: number, pools: DtlValue[][]): DtlValue[][] {
  if (arity === 0) return [[]];
  return combos(arity - 1, pools).flatMap((rest) => pools[arity - 1]!.map((v) => [...rest, v]));
}

const ARITIES: Record<string, number[]> = {
  upper: [1],
  lower: [1],
  concat: [1, 2, 3],
  join: [2],
  substring: [2, 3],
  '+': [2],
  '-': [2],
  '*': [2],
  gt: [2],
  gte: [2],
  lt: [2],
  lte: [2],
  eq: [2],
  neq: [2],
  count: [1],
  'is-null': [1],
  'is-not-null': [1],
  list: [0, 1, 3],
  coalesce: [1],
  integer: [1],
  round: [1],
  ni: [2],
  distinct: [1],
  sorted: [1],
  sum: [1],
  max: [1],
  min: [1],
};

describe('inline fast paths', () => {
  it('cover the functions listed here', () => {
    expect(Object.keys(INLINE).sort()).toEqual(Object.keys(ARITIES).sort());
  });

  for (const [name, arities] of Object.entries(ARITIES)) {
    it(`${name} gives what the registry gives`, () => {
      let checked = 0;
      for (const n of arities) {
        // substring's leading arguments are indexes; three-argument concat uses a smaller pool.
        const pools = Array.from({ length: n }, (_, i) =>
          name === 'substring' && i < n - 1 ? INDEXES : n === 3 ? VALUES.filter((_, k) => k % 3 === 0) : VALUES,
        );
        for (const args of combos(n, pools)) {
          const [viaSite, direct] = both(name, args);
          expect(viaSite, `${name} ${stringifyJson(encodeTransit(args))}`).toBe(direct);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});

describe('filter fast path', () => {
  it('binds _ per element and restores the outer _', () => {
    const rule = [
      ['add', 'big', ['filter', ['gt', '_.amount', 50], '_S.orders']],
      ['add', 'one', ['filter', ['gt', '_.amount', 50], '_S.single']],
      [
        'add',
        'nested',
        ['map', ['list', '_.name', ['count', ['filter', ['gt', '_.', 1], '_.xs']], '_.name'], '_S.items'],
      ],
      ['add', 'falsy', ['filter', '_.', ['list', 0, '', null, false, ['list'], ['list', null], 'x']]],
    ];
    const compiled = compileDtl({ type: 'dtl', id_required: false, rules: { default: rule as JsonValue } }, pipe);
    const source = {
      orders: [{ amount: 60 }, { amount: 10 }, { amount: 51 }, 'x', null],
      single: { amount: 99 },
      items: [
        { name: 'a', xs: [1, 2, 3] },
        { name: 'b', xs: 5 },
      ],
    };
    const out = compiled.transform(source as JsonObject, ctx)[0]!;
    expect(stringifyJson(out)).toBe(
      stringifyJson({
        big: [{ amount: 60 }, { amount: 51 }],
        one: [{ amount: 99 }],
        nested: [
          ['a', 2, 'a'],
          ['b', 1, 'b'],
        ],
        falsy: [0, '', [null], 'x'],
      }),
    );
  });
});

describe('target encoding by key', () => {
  it('encodes typed values written by adds, and an initial target through the general walk', () => {
    const rule = [
      ['copy', '_id'],
      ['add', 'ni', ['ni', 'person', '_S._id']],
      ['add', 'tags', ['list', ['ni', 'x', 'a'], 'plain']],
    ];
    const compiled = compileDtl({ type: 'dtl', rules: { default: rule as JsonValue } }, pipe);
    expect(stringifyJson(compiled.transform({ _id: 'p1' }, ctx)[0]!)).toBe(
      '{"_id": "p1", "ni": "~:person:p1", "tags": ["~:x:a", "plain"]}',
    );
    const withTarget = compiled.transform({ _id: 'p1' }, { ...ctx, target: { when: '~t2015-07-28T09:46:00Z' } })[0]!;
    expect(stringifyJson(withTarget)).toBe(
      '{"when": "~t2015-07-28T09:46:00Z", "_id": "p1", "ni": "~:person:p1", "tags": ["~:x:a", "plain"]}',
    );
  });

  it('still walks the target when other transforms may write it', () => {
    const rule = [
      ['copy', '*'],
      ['add', 'ni', ['ni', 'person', '_S._id']],
      ['rename', 'd', 'd2'],
    ];
    const compiled = compileDtl({ type: 'dtl', rules: { default: rule as JsonValue } }, pipe);
    expect(stringifyJson(compiled.transform({ _id: 'p1', d: '~t2015-07-28T09:46:00Z' }, ctx)[0]!)).toBe(
      '{"_id": "p1", "d": "~t2015-07-28T09:46:00Z", "ni": "~:person:p1", "d2": "~t2015-07-28T09:46:00Z"}',
    );
  });
});

describe('plain-dict test', () => {
  it('treats dicts with an own "constructor" key as dicts, and typed values and lists as not', () => {
    const rule = [
      ['add', 'c', '_S.constructor'],
      ['add', 'b', '_S.a.b'],
      ['add', 'bs', '_S.l.b'],
      [
        'add',
        'dicts',
        ['map', ['is-dict', '_.'], ['list', '_S.a', 'text', ['ni', 'x', 'y'], ['literal', { constructor: null }]]],
      ],
    ];
    const compiled = compileDtl({ type: 'dtl', id_required: false, rules: { default: rule as JsonValue } }, pipe);
    const source = {
      constructor: 'x',
      a: { constructor: 1, b: 2 },
      l: [{ constructor: { b: 0 }, b: 3 }, { b: 4 }],
    } as JsonObject;
    expect(stringifyJson(compiled.transform(source, ctx)[0]!)).toBe(
      '{"c": "x", "b": 2, "bs": [3, 4], "dicts": [true, false, false, true]}',
    );
  });
});
