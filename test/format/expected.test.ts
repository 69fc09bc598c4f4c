import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson, stringifyJson } from '../../src/format/json.js';
import { fixDecimalToInts, formatExpected } from '../../src/format/expected.js';
import { HAVE_FIXTURES, SESAM_PY, SKIP_REASON } from './fixtures.js';

describe('formatExpected (update / format expected)', () => {
  it('indents by 2, sorts keys by code point and ends with a newline', () => {
    const value = parseJson('[{"b":1,"_id":"x","B":[1,2],"a":{},"c":[]}]');
    expect(formatExpected(value)).toBe(
      '[\n  {\n    "B": [\n      1,\n      2\n    ],\n    "_id": "x",\n    "a": {},\n    "b": 1,\n    "c": []\n  }\n]\n',
    );
    expect(formatExpected([])).toBe('[]\n');
    expect(Object.keys(parseJson(formatExpected({ '\u{1F600}': 1, '\uFFFF': 2 })) as object)).toEqual([
      '\uFFFF',
      '\u{1F600}',
    ]);
  });

  it('escapes <, > and & like the Go encoder, in keys and values, unless disabled', () => {
    const value = { 'a<b': '<tag> & more' };
    expect(formatExpected(value)).toBe('{\n  "a\\u003cb": "\\u003ctag\\u003e \\u0026 more"\n}\n');
    expect(formatExpected(value, { disableJsonHtmlEscape: true })).toBe('{\n  "a<b": "<tag> & more"\n}\n');
  });

  it('writes non-ASCII as is, or escaped with -unicode-encoding (0x7F and astral characters too)', () => {
    const value = ['øæå', '\u007f', '😀', 'tab\t'];
    expect(formatExpected(value)).toBe('[\n  "øæå",\n  "\u007f",\n  "😀",\n  "tab\\t"\n]\n');
    expect(formatExpected(value, { unicodeEncoding: true })).toBe(
      '[\n  "\\u00f8\\u00e6\\u00e5",\n  "\\u007f",\n  "\\ud83d\\ude00",\n  "tab\\t"\n]\n',
    );
  });

  it('prints numbers as Python does: big ints exact, floats by repr', () => {
    const value = parseJson('[12345678901234567890123, 1.0, 1e16, 1e15, 0.00001, 1.5e-7, -0.0]');
    expect(formatExpected(value)).toBe(
      '[\n  12345678901234567890123,\n  1.0,\n  1e+16,\n  1000000000000000.0,\n  1e-05,\n  1.5e-07,\n  -0.0\n]\n',
    );
  });
});

describe('fixDecimalToInts (§6.5)', () => {
  const fix = (text: string, noLargeIntBugs = false) =>
    stringifyJson(fixDecimalToInts(parseJson(text), { noLargeIntBugs }));

  it('turns floats printed as x.0 into ints, and nothing else', () => {
    expect(fix('[5.0, -0.0, 1.5, 1e16, 1e15, 1e-5, true, false, null, "5.0"]')).toBe(
      '[5, 0, 1.5, 1e+16, 1000000000000000, 1e-05, true, false, null, "5.0"]',
    );
    expect(fixDecimalToInts(new JsonFloat(5))).toBe(5);
  });

  it('rounds ints longer than 16 characters through a double unless noLargeIntBugs', () => {
    expect(
      fix('[12345678901234567890, -12345678901234567890, 90071992547409931, 9007199254740993, -1234567890123456]'),
    ).toBe('[12345678901234567000, -12345678901234567000, 90071992547409940, 9007199254740993, -1234567890123456]');
    expect(fix('[12345678901234567890, 9007199254740993]', true)).toBe('[12345678901234567890, 9007199254740993]');
    expect(fix('-9999999999999998.0')).toBe('-9999999999999998');
    expect(fix('123456789012345678901234567890')).toBe('123456789012345680000000000000');
  });

  it('recurses into objects and lists, is idempotent and leaves the input alone', () => {
    const input = parseJson('{"a":[{"b":2.0,"c":12345678901234567890}],"d":{"e":3.0}}');
    const once = fixDecimalToInts(input);
    expect(stringifyJson(once)).toBe('{"a": [{"b": 2, "c": 12345678901234567000}], "d": {"e": 3}}');
    expect(stringifyJson(fixDecimalToInts(once))).toBe(stringifyJson(once));
    expect(stringifyJson(input)).toBe('{"a": [{"b": 2.0, "c": 12345678901234567890}], "d": {"e": 3.0}}');
  });
});

describe.skipIf(!HAVE_FIXTURES)(
  `formatExpected golden files (${HAVE_FIXTURES ? 'sesam-py fixtures' : SKIP_REASON})`,
  () => {
    // fair_weather's file is real `update` output; embedded_conversion's was written by hand without the final newline.
    it("leaves the fixtures' expected/*.json unchanged (but for a missing final newline)", () => {
      const dirs = ['fair_weather_test', 'embedded_conversion_test-before', 'embedded_conversion_test-expected_after'];
      let count = 0;
      for (const dir of dirs) {
        const expected = join(SESAM_PY, dir, 'expected');
        for (const name of readdirSync(expected).filter((n) => n.endsWith('.json') && !n.endsWith('.test.json'))) {
          const text = readFileSync(join(expected, name), 'utf8');
          const formatted = formatExpected(parseJson(text));
          if (dir === 'fair_weather_test') expect(formatted, `${dir}/expected/${name}`).toBe(text);
          else expect(formatted, `${dir}/expected/${name}`).toBe(text.endsWith('\n') ? text : `${text}\n`);
          count++;
        }
      }
      expect(count).toBeGreaterThanOrEqual(3);
    });
  },
);
