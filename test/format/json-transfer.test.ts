import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson, stringifyJson, type JsonValue } from '../../src/format/json.js';
import { shape } from '../helpers/json-shape.js';
import { attachedJson, attachJson, transferCopy } from '../../src/format/json-transfer.js';

const throughText = (v: unknown, sortKeys: boolean) => parseJson(stringifyJson(v as JsonValue, { sortKeys }));

const protoKey: Record<string, JsonValue> = {};
Object.defineProperty(protoKey, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });

const VALUES: [string, unknown][] = [
  ['scalars', [null, true, false, '', 'tekst', 'ü€😀', 0, -0, 1, -17, 2 ** 53 - 1]],
  ['floats', [1.5, -0.25, 1e-7, 1e300, Number.NaN, Number.POSITIVE_INFINITY, new JsonFloat(1), new JsonFloat(-0)]],
  ['big integers', [2 ** 53, -(2 ** 60), 1e21, -1e22, 12345678901234567890n, 5n, -(2n ** 70n)]],
  ['integer-like keys', { b: 1, '15': 2, a: 3, '2': 4, '01': 5, '-1': 6 }],
  ['nested', { z: [{ y: 1, '3': [], x: {} }], a: { '': 'empty key', é: 'é', '😀': 'pair', ｚ: 'fullwidth' } }],
  ['a __proto__ key', protoKey],
  ['a null-prototype object', Object.assign(Object.create(null), { b: 1, a: 2 })],
];

describe('transferCopy', () => {
  for (const sortKeys of [false, true]) {
    for (const [name, value] of VALUES) {
      it(`is what the text parses to: ${name}${sortKeys ? ', keys sorted' : ''}`, () => {
        const copy = transferCopy(value, sortKeys);
        expect(copy).toBeDefined();
        expect(shape(copy!)).toEqual(shape(throughText(value, sortKeys)));
        // The text of the copy is the text of the value: the socket server writes it.
        expect(stringifyJson(copy!, { sortKeys })).toBe(stringifyJson(value as JsonValue, { sortKeys }));
      });
    }
  }

  it('is a copy: changing it leaves the value as it was', () => {
    const value = { list: [{ a: 1 }] };
    const copy = transferCopy(value, false) as { list: { a: number }[] };
    copy.list[0]!.a = 2;
    expect(value.list[0]!.a).toBe(1);
  });

  it('refuses what text would change or cannot hold, so the answer goes through text', () => {
    expect(transferCopy({ s: 'a\ud800b' }, false)).toBeUndefined(); // UTF-8 turns a lone surrogate into U+FFFD
    expect(transferCopy({ 'k\udc00': 1 }, true)).toBeUndefined();
    expect(transferCopy({ a: undefined }, false)).toBeUndefined();
    expect(transferCopy([() => 1], false)).toBeUndefined();
    expect(transferCopy({ when: new Date(0) }, false)).toBeUndefined();
    expect(transferCopy(new Map(), false)).toBeUndefined();
  });
});

describe('attachJson', () => {
  it('hands the value over with the response it was attached to, and only that one', () => {
    const response = attachJson(new Response('{}'), { a: 1 });
    expect(attachedJson(response)).toEqual({ a: 1 });
    expect(attachedJson(new Response('{}'))).toBeUndefined();
  });
});
