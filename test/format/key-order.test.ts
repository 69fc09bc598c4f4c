// Key order is data: sesam-py keeps the order of a file's keys, but a JS object lists integer-like keys ("2",
// "15") first. These pin the order the lossless model keeps, through parse, stringify, format_json and XML.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type DuplicateKey,
  type JsonObject,
  objectKeys,
  orderedObject,
  parseJson,
  stringifyJson,
} from '../../src/format/json.js';
import { formatJson } from '../../src/format/portal.js';
import { renderXml } from '../../src/local-node/sinks/xml.js';
import { FIXTURES } from './fixtures.js';

const REAL_CONFIGS = join(FIXTURES, 'real-configs');

describe('key order with integer-like keys', () => {
  it('parse then stringify keeps the file order', () => {
    const text = '{"x": 1, "15": {"b": 1, "2": 2, "a": 3}, "2": 3, "_id": "a"}';
    expect(stringifyJson(parseJson(text))).toBe(text);
  });

  it('format_json orders "15" before "2" and after _id, as sesam-py does', () => {
    // Output of sesam-py's jsonformat.format_json for this input.
    expect(formatJson(parseJson('{"x":1,"15":2,"2":3,"_id":"a"}'))).toBe(
      '{\n  "_id": "a",\n  "15": 2,\n  "2": 3,\n  "x": 1\n}\n',
    );
  });

  it('sorted output compares code points ("15" < "2" < "_id" < "a")', () => {
    const value = parseJson('{"a":1,"2":2,"_id":3,"15":4}');
    expect(stringifyJson(value, { sortKeys: true })).toBe('{"15": 4, "2": 2, "_id": 3, "a": 1}');
  });

  it('a key added later comes last and a deleted key is gone', () => {
    const value = parseJson('{"b":1,"10":2,"a":3}') as JsonObject;
    value['3'] = 4;
    delete value.b;
    expect(objectKeys(value)).toEqual(['10', 'a', '3']);
  });

  it('orderedObject keeps the given order and the first position of a repeated key', () => {
    const value = orderedObject([
      ['z', 1],
      ['7', 2],
      ['z', 3],
    ]);
    expect(stringifyJson(value)).toBe('{"z": 3, "7": 2}');
  });

  it('xml_endpoint writes attributes in the entity order', () => {
    const entity = parseJson('{"_id":"a","b":"1","2":"two","<row>":"t"}') as JsonObject;
    const root = parseJson('{"z":"1","0":"0"}') as JsonObject;
    const xml = new TextDecoder().decode(renderXml([entity], { 'root-attributes': root }));
    expect(xml).toBe('<row z="1" 0="0" b="1" 2="two">t</row>');
  });

  it('reports each duplicate key with its position', () => {
    const seen: DuplicateKey[] = [];
    const value = parseJson('{\n  "a": 1,\n  "b": {"c": 1, "c": 2},\n  "a": 3\n}', {
      onDuplicateKey: (d) => seen.push(d),
    });
    expect(seen).toEqual([
      { key: 'c', line: 3, column: 17 },
      { key: 'a', line: 4, column: 3 },
    ]);
    expect(stringifyJson(value)).toBe('{"a": 3, "b": {"c": 2}}');
  });
});

describe.skipIf(!existsSync(REAL_CONFIGS))('format_json over real configs', () => {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path);
      return name.endsWith('.json') ? [path] : [];
    });

  it('is a fixed point on every config already in portal format, and idempotent on the others', () => {
    const files = walk(REAL_CONFIGS);
    expect(files.length).toBeGreaterThan(50);
    let fixedPoints = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
      const once = formatJson(parseJson(text));
      if (once === text) fixedPoints++;
      expect(formatJson(parseJson(once)), relative(REAL_CONFIGS, path)).toBe(once);
    }
    // 78 of the 83 files are byte-identical to sesam-py's format_json of themselves (measured with jsonformat.py).
    expect(fixedPoints).toBeGreaterThanOrEqual(78);
  });

  it('keeps integer-like keys in code point order inside a real pipe', () => {
    const file = walk(REAL_CONFIGS).find((p) => p.includes('/pipes/'))!;
    const pipe = parseJson(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as JsonObject;
    const withNumbers = { ...pipe, '15': 'fifteen', '2': 'two' } as JsonObject;
    const out = formatJson(withNumbers);
    expect(out.indexOf('"15"')).toBeLessThan(out.indexOf('"2"'));
    expect(out.indexOf('"_id"')).toBeLessThan(out.indexOf('"15"'));
  });
});
