import { describe, expect, it } from 'vitest';
import {
  JsonFloat,
  JsonSyntaxError,
  jsonEquals,
  parseJson,
  pyFloatRepr,
  stringifyJson,
} from '../../src/format/json.js';

describe('parseJson', () => {
  it('keeps ints and floats apart, and big integers exact', () => {
    const v = parseJson('{"a": 1, "b": 1.0, "c": 12345678901234567890, "d": 1e2, "e": -0}') as Record<string, unknown>;
    expect(v.a).toBe(1);
    expect(v.b).toEqual(new JsonFloat(1));
    expect(v.c).toBe(12345678901234567890n);
    expect(v.d).toEqual(new JsonFloat(100));
    expect(Object.is(v.e, 0)).toBe(true);
  });
  it('accepts a BOM and Python NaN/Infinity', () => {
    expect(parseJson('\uFEFF[NaN, -Infinity]')).toEqual([new JsonFloat(NaN), new JsonFloat(-Infinity)]);
  });
  it('reports line and column of a syntax error', () => {
    try {
      parseJson('{\n  "a": 1,\n  "b" 2\n}');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(JsonSyntaxError);
      expect((err as JsonSyntaxError).line).toBe(3);
      expect((err as JsonSyntaxError).column).toBe(7);
      expect((err as Error).message).toBe("Expecting ':' delimiter: line 3 column 7 (char 18)");
    }
  });
  it('keeps the first position and the last value of a duplicate key', () => {
    expect(Object.entries(parseJson('{"a":1,"b":2,"a":3}') as object)).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });
  it('reports an unterminated string (a truncated file or response) instead of looping', () => {
    expect(() => parseJson('[{"a": "abc')).toThrow('Unterminated string starting at: line 1 column 8 (char 7)');
    expect(() => parseJson('"')).toThrow('Unterminated string starting at: line 1 column 1 (char 0)');
  });
  it('builds arrays of the right length at every depth, and separate arrays for equal lists', () => {
    const v = parseJson('[[1, [2, [], [3, 4]], 5], [], [[[]]], [1, [2, [], [3, 4]], 5]]') as unknown[];
    expect(v).toEqual([[1, [2, [], [3, 4]], 5], [], [[[]]], [1, [2, [], [3, 4]], 5]]);
    expect(v[0]).not.toBe(v[3]);
    const big = parseJson(`[${Array.from({ length: 1000 }, (_, i) => `[${i}, "s${i % 7}"]`).join(',')}]`) as [
      number,
      string,
    ][];
    expect(big).toHaveLength(1000);
    expect(big[999]).toEqual([999, 's5']);
    // A syntax error inside nested arrays leaves nothing behind for the next parse.
    expect(() => parseJson('[[1, [2, 3 4]]]')).toThrow("Expecting ',' delimiter");
    expect(parseJson('[[1], 2]')).toEqual([[1], 2]);
  });
  it('gives repeated short strings and keys the same value however the text spells them', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i % 300}`);
    const text = `[${keys.map((k, i) => `{"${k}": "${k}", "v": "${'x'.repeat(i % 30)}", "e": "a\u0062c", "same": "abc"}`).join(',')}]`;
    const parsed = parseJson(text) as Record<string, string>[];
    parsed.forEach((o, i) => {
      expect(Object.keys(o)).toEqual([keys[i], 'v', 'e', 'same']);
      expect(o[keys[i]!]).toBe(keys[i]);
      expect(o.v).toBe('x'.repeat(i % 30));
      expect(o.e).toBe('abc');
      expect(o.same).toBe('abc');
    });
  });
  it('treats __proto__ as a plain key', () => {
    const v = parseJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('pyFloatRepr', () => {
  it.each([
    [1, '1.0'],
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [123.456, '123.456'],
    [-2.5, '-2.5'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-0, '-0.0'],
    // biome-ignore lint/correctness/noPrecisionLoss: the case is a big integer that became a lossy double
    [12345678901234567890, '1.2345678901234567e+19'],
  ])('%s -> %s', (n, text) => expect(pyFloatRepr(n)).toBe(text));
});

describe('stringifyJson', () => {
  it('matches json.dumps(indent=2, sort_keys=True)', () => {
    const v = parseJson('[{"b": [1, 2.0, {}], "a": "x", "é": []}]');
    expect(stringifyJson(v, { indent: 2, sortKeys: true })).toBe(
      '[\n  {\n    "a": "x",\n    "b": [\n      1,\n      2.0,\n      {}\n    ],\n    "\u00e9": []\n  }\n]',
    );
  });
  it('escapes like ensure_ascii', () => {
    expect(stringifyJson('ø\u007f😀\n', { ensureAscii: true })).toBe('"\\u00f8\\u007f\\ud83d\\ude00\\n"');
    expect(stringifyJson('ø\u007f\u0001', {})).toBe('"ø\u007f\\u0001"');
  });
  it('sorts keys by code point', () => {
    expect(stringifyJson({ '\uffff': 1, '😀': 2, a: 3 }, { sortKeys: true })).toBe('{"a": 3, "\uffff": 1, "😀": 2}');
  });
  it('round-trips big integers', () => {
    expect(stringifyJson(parseJson('[123456789012345678901234567890]'))).toBe('[123456789012345678901234567890]');
  });
});

describe('jsonEquals', () => {
  it('tells 1 from 1.0 and ignores key order', () => {
    expect(jsonEquals(parseJson('{"a":1,"b":2}'), parseJson('{"b":2,"a":1}'))).toBe(true);
    expect(jsonEquals(parseJson('1'), parseJson('1.0'))).toBe(false);
  });
});
