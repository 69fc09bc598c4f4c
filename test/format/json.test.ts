import { describe, expect, it } from 'vitest';
import { JsonFloat, JsonSyntaxError, jsonEquals, parseJson, pyFloatRepr, stringifyJson } from '../../src/format/json.js';

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
    expect(Object.entries(parseJson('{"a":1,"b":2,"a":3}') as object)).toEqual([['a', 3], ['b', 2]]);
  });
  it('treats __proto__ as a plain key', () => {
    const v = parseJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe('pyFloatRepr', () => {
  it.each([
    [1, '1.0'], [0.1, '0.1'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [0.0001, '0.0001'],
    [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [123.456, '123.456'], [-2.5, '-2.5'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-0, '-0.0'], [12345678901234567890, '1.2345678901234567e+19'],
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
