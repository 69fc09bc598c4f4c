import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson, type JsonValue } from '../../src/format/json.js';
import { canonicalEqual, canonicalHash } from '../../src/verify/canonical-key.js';
import { canonical } from '../../src/verify/compare.js';

// Values whose canonical texts coincide or nearly coincide: the hash and the equality must agree with the texts.
const scalars: JsonValue[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  5,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  5n,
  0n,
  -1n,
  BigInt(Number.MAX_SAFE_INTEGER),
  BigInt(Number.MAX_SAFE_INTEGER) + 1n,
  2n ** 60n,
  -(2n ** 64n),
  10n ** 21n,
  // Outside the model, but canonical() prints them, so they must compare as their text: 2 ** 60 prints like 2n ** 60n,
  // 1e21 like the float 1e21, 1.5 like the float 1.5, NaN like any NaN float.
  2 ** 60,
  1e21,
  -1e21,
  1.5,
  NaN,
  Infinity,
  new JsonFloat(0),
  new JsonFloat(-0),
  new JsonFloat(5),
  new JsonFloat(1.5),
  new JsonFloat(1e21),
  new JsonFloat(-1e21),
  new JsonFloat(1e16),
  new JsonFloat(2 ** 60),
  new JsonFloat(NaN),
  new JsonFloat(-NaN),
  new JsonFloat(Infinity),
  new JsonFloat(-Infinity),
  new JsonFloat(0.1 + 0.2),
  new JsonFloat(0.3),
  new JsonFloat(1e-5),
  '',
  '5',
  '5.0',
  'null',
  'a',
  'ab',
  'b',
  '"',
  '\u0000',
  '\ud83d\ude00',
  '\ud83d',
];
const containers: JsonValue[] = [
  [],
  {},
  [1],
  [1n],
  [new JsonFloat(1)],
  ['1'],
  [[]],
  [{}],
  [1, 2],
  [2, 1],
  [null],
  [[1], 2],
  [1, [2]],
  { a: 1 },
  { a: 1n },
  { a: new JsonFloat(1) },
  { a: '1' },
  { b: 1 },
  { a: 1, b: 2 },
  { b: 2, a: 1 },
  { a: 2, b: 1 },
  { a: [1, 2] },
  { a: [2, 1] },
  { a: { b: 1 } },
  { 'a.b': 1 },
  { '': null },
  { a: 1, b: 1 },
  { a: 2, b: 2 },
  parseJson('{"__proto__": 1}'),
  parseJson('{"__proto__": 2}'),
  { ab: 1 },
  { a: 1, b: null },
];
const values = [...scalars, ...containers];

describe('canonicalEqual and canonicalHash agree with canonical text', () => {
  it('equality holds exactly when the canonical texts are equal', () => {
    for (const a of values) {
      for (const b of values) {
        expect(canonicalEqual(a, b), `${canonical(a)} vs ${canonical(b)}`).toBe(canonical(a) === canonical(b));
      }
    }
  });
  it('equal canonical texts give equal hashes; the values here all hash apart otherwise', () => {
    for (const a of values) {
      for (const b of values) {
        const sameText = canonical(a) === canonical(b);
        expect(canonicalHash(a) === canonicalHash(b), `${canonical(a)} vs ${canonical(b)}`).toBe(sameText);
      }
    }
  });
  it('hashes deep values in any key order alike, into 53 bits', () => {
    const a = parseJson('{"x": [1, {"p": 1.5, "q": "s"}], "y": {"z": null, "w": [true, 12345678901234567890]}}');
    const b = parseJson('{"y": {"w": [true, 12345678901234567890], "z": null}, "x": [1, {"q": "s", "p": 1.5}]}');
    expect(canonicalHash(a)).toBe(canonicalHash(b));
    expect(canonicalEqual(a, b)).toBe(true);
    expect(Number.isSafeInteger(canonicalHash(a))).toBe(true);
    // Swapping values between keys changes the hash (per-property hashes mix the key with its value).
    expect(canonicalHash({ p: 1, q: 2 })).not.toBe(canonicalHash({ p: 2, q: 1 }));
  });
});
