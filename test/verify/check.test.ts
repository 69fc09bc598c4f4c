import { describe, expect, it } from 'vitest';
import { checkBytes, checkEntities, checkXml } from '../../src/verify/check.js';
import type { TestSpec } from '../../src/verify/specs.js';

const spec: TestSpec = {
  specName: 'p.test.json',
  specFile: 'expected/p.test.json',
  pipe: 'p',
  fileName: 'p.txt',
  file: 'expected/p.txt',
  endpoint: 'csv',
  blacklist: [],
  ignore: false,
  ignoreDeletes: true,
  fieldsToSortBy: ['_id'],
};
const bytes = (s: string) => new TextEncoder().encode(s);

describe('checkBytes', () => {
  it('passes identical bytes and diffs text', () => {
    expect(checkBytes(spec, bytes('a\n'), bytes('a\n'))).toEqual({ status: 'passed' });
    expect(checkBytes(spec, bytes('a\n'), bytes('b\n'))).toMatchObject({
      status: 'failed',
      diff: { unified: '--- expected/p.txt\n+++ current_data.txt\n@@ -1 +1 @@\n-a\n+b\n' },
    });
  });
  it('says so when the bytes differ but the text does not (latin-1 against UTF-8)', () => {
    const v = checkBytes(spec, Uint8Array.from([0xe6]), bytes('æ'));
    expect(v).toMatchObject({
      status: 'failed',
      summary: 'content differs in bytes that do not show as text (encoding or BOM)',
    });
  });
});

describe('checkXml', () => {
  it('falls back to bytes when a side is not well-formed, and says why', () => {
    const v = checkXml({ ...spec, endpoint: 'xml' }, bytes('<a>'), bytes('<a/>'));
    expect(v.status).toBe('failed');
    expect(v.summary).toMatch(/^expected\/p\.txt is not well-formed XML \(.*\), so the bytes were compared$/);
    expect(checkXml({ ...spec, endpoint: 'xml' }, bytes('<a><'), bytes('<a><'))).toEqual({ status: 'passed' });
  });
});

describe('checkEntities', () => {
  it('wants a JSON list in the expected file', () => {
    expect(() => checkEntities({ ...spec, endpoint: 'json' }, bytes('{"_id": "a"}'), [])).toThrow(
      expect.objectContaining({
        kind: 'input',
        message: 'Expected file expected/p.txt must hold a JSON list of entities',
      }),
    );
  });
});

describe('textDiff on large texts', () => {
  it('gives one hunk around the changed middle, with correct line numbers', async () => {
    const { textDiff } = await import('../../src/verify/check.js');
    const a = Array.from({ length: 6000 }, (_, i) => `line ${i}\n`);
    const b = [...a];
    b[100] = 'changed 100\n';
    b[5000] = 'changed 5000\n';
    const diff = textDiff(a.join(''), b.join(''), 'a', 'b');
    const lines = diff.split('\n');
    expect(lines.slice(0, 3)).toEqual(['--- a', '+++ b', '@@ -98,4907 +98,4907 @@']);
    expect(lines[3]).toBe(' line 97');
    expect(lines[6]).toBe('-line 100');
    expect(lines.filter((l) => l.startsWith('-')).length).toBe(4901 + 1);
    expect(textDiff(a.join(''), a.join(''), 'a', 'b')).toBe('');
    // Small texts use the line-level search.
    expect(textDiff('x\ny\n', 'x\nz\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -1,2 +1,2 @@\n x\n-y\n+z\n');
  });
});
