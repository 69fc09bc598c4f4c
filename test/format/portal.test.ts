import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFloat, parseJson } from '../../src/format/json.js';
import { formatJson, portalOrder } from '../../src/format/portal.js';
import { HAVE_FIXTURES, SESAM_PY, SKIP_REASON } from './fixtures.js';

const fmt = (text: string) => formatJson(parseJson(text));

describe('formatJson (sesam-py format_json)', () => {
  it('formats scalars and empty containers', () => {
    expect(fmt('{}')).toBe('{}\n');
    expect(fmt('[]')).toBe('[]\n');
    expect(fmt('"s"')).toBe('"s"\n');
    expect(fmt('1')).toBe('1\n');
    expect(fmt('null')).toBe('null\n');
    expect(fmt('{"a":[]}')).toBe('{\n  "a": []\n}\n');
    expect(fmt('{"a":{}}')).toBe('{\n  "a": {}\n}\n');
  });

  it('puts nested arrays on their own lines', () => {
    expect(fmt('[[1,2],[3]]')).toBe('[\n  [1, 2],\n  [3]\n]\n');
  });

  it('does not indent objects inside arrays', () => {
    expect(fmt('[{"x":1},{"y":2}]')).toBe('[{\n  "x": 1\n}, {\n  "y": 2\n}]\n');
    expect(fmt('{"b":[{"x":[{"y":1}]}]}')).toBe('{\n  "b": [{\n    "x": [{\n      "y": 1\n    }]\n  }]\n}\n');
  });

  it('lays out DTL rules like the portal', () => {
    const input =
      '{"transform":{"rules":{"default":[["copy","*"],["add","a",["concat","x","y"]]]},"type":"dtl"},"type":"pipe","_id":"x"}';
    expect(fmt(input)).toBe(
      [
        '{',
        '  "_id": "x",',
        '  "type": "pipe",',
        '  "transform": {',
        '    "type": "dtl",',
        '    "rules": {',
        '      "default": [',
        '        ["copy", "*"],',
        '        ["add", "a",',
        '          ["concat", "x", "y"]',
        '        ]',
        '      ]',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('orders keys: conventional keys first, others by code point, internal keys last', () => {
    const ordered = portalOrder(parseJson('{"Z":1,"a":2,"_id":3,"$x":4,"$audit":5,"_updated":6,"":7}'));
    expect(Object.keys(ordered as object)).toEqual(['_id', '', '$x', 'Z', 'a', '$audit', '_updated']);
    const pipe = portalOrder(
      parseJson(
        '{"zzz":1,"default":1,"sink":1,"source":1,"description":1,"name":1,"type":1,"_id":1,"$principals-from-user":1,"_ts":1}',
      ),
    );
    expect(Object.keys(pipe as object)).toEqual([
      '_id',
      'type',
      'name',
      'description',
      'source',
      'sink',
      'default',
      'zzz',
      '$principals-from-user',
      '_ts',
    ]);
  });

  it('orders keys by code point, astral characters after the BMP', () => {
    const ordered = portalOrder({ '\u{1F600}': 1, '\uFFFF': 2, b: 3, B: 4 });
    expect(Object.keys(ordered as object)).toEqual(['B', 'b', '\uFFFF', '\u{1F600}']);
  });

  it('ignores structure characters and escapes inside strings', () => {
    const value = { a: '{[,:]} "quoted" \\ back', b: ['x\\', '"', '}'] };
    const text = formatJson(value);
    expect(text).toBe('{\n  "a": "{[,:]} \\"quoted\\" \\\\ back",\n  "b": ["x\\\\", "\\"", "}"]\n}\n');
    expect(parseJson(text)).toEqual(value);
  });

  it('keeps numbers as Python prints them', () => {
    expect(fmt('{"f":1.0,"g":1e16,"h":0.0001,"i":12345678901234567890123,"j":-0.0}')).toBe(
      '{\n  "f": 1.0,\n  "g": 1e+16,\n  "h": 0.0001,\n  "i": 12345678901234567890123,\n  "j": -0.0\n}\n',
    );
    expect(formatJson([new JsonFloat(NaN), new JsonFloat(-Infinity)])).toBe('[NaN, -Infinity]\n');
  });

  it('writes non-ASCII text as is (ensure_ascii=False)', () => {
    expect(fmt('{"d":"\\u00f8\\u00e6\\u00e5 \\ud83d\\ude00"}')).toBe('{\n  "d": "øæå 😀"\n}\n');
  });

  it('closes deeply nested arrays each on a new line', () => {
    expect(fmt('[[[1]]]')).toBe('[\n  [\n    [1]\n  ]\n]\n');
    expect(fmt('{"a":[[]]}')).toBe('{\n  "a": [\n    []\n  ]\n}\n');
  });

  // Outputs of sesam-py's jsonformat.format_json for odd shapes (quirks included: `[{}], {}]` stays on one line).
  it('matches sesam-py on odd nestings', () => {
    expect(fmt('[{}]')).toBe('[{}]\n');
    expect(fmt('[[],[{}],{}]')).toBe('[\n  [],\n  [{}], {}]\n');
    expect(fmt('{"a":[{"b":[]},[[{}]]]}')).toBe('{\n  "a": [{\n    "b": []\n  },\n    [\n      [{}]\n    ]\n  ]\n}\n');
    expect(fmt('["\\\\",["]"],{"}":"{"}]')).toBe('["\\\\",\n  ["]"], {\n  "}": "{"\n}]\n');
    expect(fmt('{"rules":{"default":[["add","x",["if",["eq","_S.a",1],["list",1,["dict","k",{}]],[]]]]}}')).toBe(
      '{\n  "rules": {\n    "default": [\n      ["add", "x",\n        ["if",\n          ["eq", "_S.a", 1],\n          ["list", 1,\n            ["dict", "k", {}]\n          ],\n          []\n        ]\n      ]\n    ]\n  }\n}\n',
    );
  });

  it('is idempotent', () => {
    const samples = ['{"a":[{"b":[[1,{"c":{}}],[]]}],"_id":"x"}', '[[{"a":[1,[2,{"b":3}]]}]]', '{"x":{"y":{"z":[]}}}'];
    for (const s of samples) {
      const once = fmt(s);
      expect(fmt(once)).toBe(once);
    }
  });
});

const after = join(SESAM_PY, 'embedded_conversion_test-expected_after');
/** Files sesam-py wrote with format_json (input-pipe-to-be-left-alone* and node-metadata are untouched originals). */
function goldenFiles(): string[] {
  const pipes = readdirSync(join(after, 'pipes'))
    .filter((f) => !f.startsWith('input-pipe-to-be-left-alone') && !f.startsWith('input-pipe-to-be-also-left-alone'))
    .map((f) => join(after, 'pipes', f));
  const testdata = readdirSync(join(after, 'testdata')).map((f) => join(after, 'testdata', f));
  return [...pipes, ...testdata];
}

describe.skipIf(!HAVE_FIXTURES)(
  `formatJson golden files (${HAVE_FIXTURES ? 'sesam-py fixtures' : SKIP_REASON})`,
  () => {
    it('reproduces every format_json output of embedded_conversion_test byte for byte', () => {
      const files = goldenFiles();
      expect(files.length).toBeGreaterThanOrEqual(9);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect(formatJson(parseJson(text)), file).toBe(text);
      }
    });

    it('formats re-indented copies back to the same bytes', () => {
      for (const file of goldenFiles()) {
        const text = readFileSync(file, 'utf8');
        const plain = JSON.parse(text) as unknown;
        for (const variant of [
          JSON.stringify(plain, null, 4),
          JSON.stringify(plain),
          `${JSON.stringify(plain, null, '\t')}\r\n`,
        ]) {
          expect(formatJson(parseJson(variant)), file).toBe(text);
        }
        // Keys in reverse order come back in portal order too.
        const reversed = reverseKeys(plain);
        expect(formatJson(parseJson(JSON.stringify(reversed))), file).toBe(text);
      }
    });
  },
);

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    );
  }
  return v;
}
