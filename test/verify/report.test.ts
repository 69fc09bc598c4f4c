import { describe, expect, it } from 'vitest';
import { parseJson, type JsonValue } from '../../src/format/json.js';
import { compareEntities } from '../../src/verify/compare.js';
import { formatVerifyText, summarizeDiff, verifyJson, verifyJunitXml } from '../../src/verify/report.js';
import { tally, type SpecResult } from '../../src/verify/result.js';

const list = (t: string) => parseJson(t) as JsonValue[];

function failing(): SpecResult {
  const diff = compareEntities(
    list('[{"_id":"a","city":"Oslo","n":1},{"_id":"b"},{"_id":"c","v":1.5}]'),
    list('[{"_id":"a","city":"Bergen","n":1.0},{"_id":"c","v":1.5},{"_id":"d","big":12345678901234567890}]'),
    { noLargeIntBugs: true },
  );
  const full = { kind: 'entities' as const, ...diff };
  return {
    id: 'out.test.json',
    pipe: 'out',
    specFile: 'expected/out.test.json',
    file: 'expected/out.json',
    path: 'expected/out.json',
    endpoint: 'json',
    status: 'failed',
    summary: summarizeDiff(full),
    diff: full,
  };
}

const spec = (id: string, status: SpecResult['status'], extra: Partial<SpecResult> = {}): SpecResult => ({
  id,
  pipe: id,
  specFile: `expected/${id}.test.json`,
  file: `expected/${id}.json`,
  path: `expected/${id}.json`,
  endpoint: 'json',
  status,
  ...extra,
});

const csvDiff = '--- expected/c.csv\n+++ current_data.txt\n@@ -1,2 +1,2 @@\n _id,name\n-a,x\n+a,y\n';
const result = tally(
  [
    spec('ok', 'passed'),
    failing(),
    spec('skip', 'ignored'),
    spec('c', 'failed', {
      endpoint: 'csv',
      summary: 'content differs',
      diff: { kind: 'text', unified: csvDiff, note: 'content differs' },
    }),
    spec('gone', 'failed', {
      summary: "Test spec references a non-existing output pipe 'gone'",
      diff: { kind: 'problem', message: "Test spec references a non-existing output pipe 'gone'" },
    }),
  ],
  ['untested'],
  [],
);

describe('human report', () => {
  it('is exact', () => {
    expect(formatVerifyText(result)).toBe(
      [
        'PASS ok (expected/ok.test.json)',
        'FAIL out (expected/out.test.json): expected 3 entities, got 3: 1 changed, 1 missing, 1 unexpected',
        '     ~ changed "a":',
        '         $.city: "Oslo" → "Bergen"',
        '     - missing "b": {"_id": "b"}',
        '     + unexpected "d": {"_id": "d", "big": 12345678901234567890}',
        'SKIP skip (expected/skip.test.json): ignored',
        'FAIL c (expected/c.test.json): content differs',
        '     --- expected/c.csv',
        '     +++ current_data.txt',
        '     @@ -1,2 +1,2 @@',
        '      _id,name',
        '     -a,x',
        '     +a,y',
        "FAIL gone (expected/gone.test.json): Test spec references a non-existing output pipe 'gone'",
        'MISS untested: no test spec references this pipe',
        'Verify failed: 5 tests (1 passed, 3 failed, 1 ignored); 1 pipe without tests.',
        '',
      ].join('\n'),
    );
  });
  it('shows 5 entities and 5 paths by default, everything at -v', () => {
    const expected = Array.from({ length: 8 }, (_, i) => ({ _id: `e${i}`, a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 }));
    const actual = expected.map((e) => ({ ...e, a: 2, b: 2, c: 2, d: 2, e: 2, f: 2, g: 2 }));
    const diff = { kind: 'entities' as const, ...compareEntities(expected, actual) };
    const r = tally([spec('many', 'failed', { summary: summarizeDiff(diff), diff })], [], []);
    const short = formatVerifyText(r);
    expect(short.match(/~ changed/g)).toHaveLength(5);
    expect(short).toContain('         … and 2 more changes\n');
    expect(short).toContain('     … and 3 more entities (-v shows all)\n');
    const verbose = formatVerifyText(r, { verbose: true });
    expect(verbose.match(/~ changed/g)).toHaveLength(8);
    expect(verbose).not.toContain('more');
  });
  it('says when everything passed', () => {
    expect(formatVerifyText(tally([spec('ok', 'passed')], [], []))).toBe(
      'PASS ok (expected/ok.test.json)\nVerify passed: 1 test (1 passed, 0 failed, 0 ignored).\n',
    );
  });
});

describe('--json document', () => {
  it('has counts, missing pipes and per-spec diffs with exact JSON values', () => {
    const doc = JSON.parse(JSON.stringify(verifyJson(result), (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
    expect(doc).toMatchObject({ passed: 1, failed: 3, ignored: 1, missing: ['untested'] });
    expect(doc.specs[0]).toEqual({
      id: 'ok',
      pipe: 'ok',
      file: 'expected/ok.json',
      specFile: 'expected/ok.test.json',
      endpoint: 'json',
      status: 'passed',
    });
    expect(doc.specs[1].diff).toEqual({
      kind: 'entities',
      expectedCount: 3,
      actualCount: 3,
      missing: [{ _id: 'b' }],
      unexpected: [{ _id: 'd', big: '12345678901234567890' }],
      changed: [{ id: 'a', changes: [{ path: '$.city', expected: '"Oslo"', actual: '"Bergen"' }] }],
    });
    expect(doc.specs[3].diff).toEqual({ kind: 'text', unified: csvDiff, note: 'content differs' });
  });
});

describe('JUnit XML', () => {
  it('is exact', () => {
    const passedAndSkipped = tally(
      [spec('ok', 'passed', { id: 'My <id>' }), spec('skip', 'ignored')],
      ['untested'],
      [],
    );
    expect(verifyJunitXml(passedAndSkipped)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuite name="sesam verify" tests="3" failures="1" errors="0" skipped="1">',
        '  <testcase name="My &lt;id&gt;" classname="ok" file="expected/ok.json"/>',
        '  <testcase name="skip" classname="skip" file="expected/skip.json">',
        '    <skipped message="ignored by the test spec"/>',
        '  </testcase>',
        '  <testcase name="untested" classname="untested">',
        `    <failure message="No tests references pipe 'untested'">No tests references pipe 'untested'</failure>`,
        '  </testcase>',
        '</testsuite>',
        '',
      ].join('\n'),
    );
  });
  it('puts the whole diff into <failure>', () => {
    const xml = verifyJunitXml(tally([failing()], [], []));
    expect(xml).toContain(
      '<failure message="expected 3 entities, got 3: 1 changed, 1 missing, 1 unexpected">expected 3 entities, got 3: 1 changed, 1 missing, 1 unexpected\n~ changed "a":\n    $.city: "Oslo" → "Bergen"\n- missing "b": {"_id": "b"}\n+ unexpected "d": {"_id": "d", "big": 12345678901234567890}</failure>',
    );
  });
});
