import { describe, expect, it } from 'vitest';
import { expectedFilesOnDisk, loadTestSpecs, type ExpectedFiles } from '../../src/verify/specs.js';
import { tempProject } from '../helpers/tmp.js';

function memoryFiles(files: Record<string, string>): ExpectedFiles {
  return {
    list: () => Object.keys(files).filter((n) => !n.includes('/')),
    read: (n) => (n in files ? new TextEncoder().encode(files[n]) : undefined),
    describe: (n) => `expected/${n}@abc1234`,
  };
}

describe('loadTestSpecs', () => {
  it("applies sesam-py's defaults", () => {
    const [spec] = loadTestSpecs(memoryFiles({ 'out.test.json': '{}', 'out.json': '[]' }));
    expect(spec).toEqual({
      specName: 'out.test.json',
      specFile: 'expected/out.test.json@abc1234',
      id: undefined,
      pipe: 'out',
      fileName: 'out.json',
      file: 'expected/out.json@abc1234',
      endpoint: 'json',
      stage: undefined,
      parameters: undefined,
      blacklist: [],
      ignore: false,
      ignoreDeletes: true,
      fieldsToSortBy: ['_id'],
    });
  });
  it('reads every option; strips an expected/ prefix from file; stringifies parameters like Python', () => {
    const text = JSON.stringify({
      _id: 'my-test',
      pipe: 'p',
      file: 'expected/p.csv',
      endpoint: 'csv',
      stage: 'source',
      parameters: { limit: 5, flag: true, q: 'x' },
      blacklist: ['a.b'],
      ignore_deletes: false,
      fields_to_sort_by: ['name'],
    });
    const [spec] = loadTestSpecs(memoryFiles({ 'any.test.json': text }));
    expect(spec).toMatchObject({
      id: 'my-test',
      pipe: 'p',
      fileName: 'p.csv',
      endpoint: 'csv',
      stage: 'source',
      blacklist: ['a.b'],
      ignoreDeletes: false,
      fieldsToSortBy: ['name'],
    });
    expect(spec!.parameters).toEqual({ limit: '5', flag: 'True', q: 'x' });
  });
  it('counts only a literal true for ignore and ignore_deletes', () => {
    const specs = loadTestSpecs(
      memoryFiles({
        'a.test.json': '{"ignore": "true", "ignore_deletes": "true"}',
        'b.test.json': '{"ignore": true, "ignore_deletes": 1}',
      }),
    );
    expect(specs.map((s) => [s.ignore, s.ignoreDeletes])).toEqual([
      [false, false],
      [true, false],
    ]);
  });
  it('reads only *.test.json, sorted by name', () => {
    const specs = loadTestSpecs(
      memoryFiles({ 'b.test.json': '{}', 'a.test.json': '{}', 'a.json': '[]', 'notes.txt': '' }),
    );
    expect(specs.map((s) => s.pipe)).toEqual(['a', 'b']);
  });
  it('names the file, line and column of invalid JSON', () => {
    expect(() => loadTestSpecs(memoryFiles({ 'x.test.json': '{\n  "pipe": "x",\n  oops\n}' }))).toThrow(
      expect.objectContaining({
        kind: 'input',
        message: 'Invalid JSON in expected/x.test.json@abc1234:3:3',
        line: 3,
        column: 3,
      }),
    );
  });
  it('rejects a spec that is not an object, and bad option types', () => {
    expect(() => loadTestSpecs(memoryFiles({ 'x.test.json': '[]' }))).toThrow(
      "Test spec 'expected/x.test.json@abc1234' not in correct json format",
    );
    expect(() => loadTestSpecs(memoryFiles({ 'x.test.json': '{"stage":"middle"}' }))).toThrow(
      "'stage' must be one of source",
    );
    expect(() => loadTestSpecs(memoryFiles({ 'x.test.json': '{"blacklist":"a"}' }))).toThrow(
      "'blacklist' must be a list",
    );
    for (const file of ['../pipes/x.conf.json', '/etc/passwd', 'a//b.json', 'expected/']) {
      expect(() => loadTestSpecs(memoryFiles({ 'x.test.json': JSON.stringify({ file }) }))).toThrow(
        "'file' must be a file name inside expected/",
      );
    }
    expect(loadTestSpecs(memoryFiles({ 'x.test.json': '{"file": "sub/x.csv"}' }))[0]!.fileName).toBe('sub/x.csv');
  });
  it('reads the work tree, with a BOM', () => {
    const dir = tempProject({ 'expected/a.test.json': '\uFEFF{"pipe": "p"}', 'expected/sub/b.test.json': '{}' });
    const files = expectedFilesOnDisk(dir);
    expect(files.list()).toEqual(['a.test.json']);
    expect(loadTestSpecs(files).map((s) => [s.pipe, s.specFile])).toEqual([['p', 'expected/a.test.json']]);
    expect(files.read('missing.json')).toBeUndefined();
    expect(expectedFilesOnDisk(`${dir}/nowhere`).list()).toEqual([]);
  });
});
