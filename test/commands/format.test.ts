import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree, tempProject } from '../helpers/tmp.js';
import { runMain } from '../helpers/run-main.js';

const PORTAL_PIPE = '{\n  "_id": "p",\n  "type": "pipe",\n  "source": {\n    "type": "embedded"\n  }\n}\n';

function project() {
  return tempProject({
    'pipes/p.conf.json': '{"source": {"type": "embedded"}, "type": "pipe", "_id": "p"}',
    'pipes/ok.conf.json': '{\n  "_id": "ok",\n  "type": "pipe"\n}\n',
    'systems/s.conf.json': '{"type":"system:url","_id":"s"}',
    'testdata/p.json': '[{"b": 1, "_id": "x"}]',
    'expected/p.json': '[{"b": "<&>", "_id": "ø"}]',
    'expected/p.test.json': '{"pipe":"p"}',
    'expected/out.csv': 'a,b\n',
    'other/thing.json': '{"b":1,"a":2}',
  });
}

describe('sesam format', () => {
  it('formats configs and test data in portal style and expected data in expected style, skipping specs', async () => {
    const root = project();
    const ok = join(root, 'pipes/ok.conf.json');
    utimesSync(ok, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const result = await runMain(['format'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Formatted 4 of 5 files\n');
    const tree = readTree(root);
    expect(tree['pipes/p.conf.json']).toBe(PORTAL_PIPE);
    expect(tree['systems/s.conf.json']).toBe('{\n  "_id": "s",\n  "type": "system:url"\n}\n');
    expect(tree['testdata/p.json']).toBe('[{\n  "_id": "x",\n  "b": 1\n}]\n');
    expect(tree['expected/p.json']).toBe('[\n  {\n    "_id": "ø",\n    "b": "\\u003c\\u0026\\u003e"\n  }\n]\n');
    expect(tree['expected/p.test.json']).toBe('{"pipe":"p"}');
    expect(tree['other/thing.json']).toBe('{"b":1,"a":2}');
    expect(statSync(ok).mtime.getFullYear()).toBe(2000); // unchanged files are not rewritten
  });

  it('formats one folder, with the expected-file options', async () => {
    const root = project();
    const result = await runMain(['format', 'expected', '-unicode-encoding', '-disable-json-html-escape', '-v'], {
      cwd: root,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Formatted 1 of 1 file\n');
    expect(result.stderr).toContain('Formatted expected/p.json');
    const tree = readTree(root);
    expect(tree['expected/p.json']).toBe('[\n  {\n    "_id": "\\u00f8",\n    "b": "<&>"\n  }\n]\n');
    expect(tree['pipes/p.conf.json']).not.toBe(PORTAL_PIPE);
  });

  it('formats a single file, deciding the style by its folder', async () => {
    const root = project();
    expect((await runMain(['format', 'expected/p.json'], { cwd: root })).code).toBe(0);
    expect(readFileSync(join(root, 'expected/p.json'), 'utf8')).toContain('\\u003c');
    const other = await runMain(['format', 'other/thing.json'], { cwd: root });
    expect(other.code).toBe(0);
    expect(other.stderr).toContain('formatting it as config');
    expect(readFileSync(join(root, 'other/thing.json'), 'utf8')).toBe('{\n  "a": 2,\n  "b": 1\n}\n');
  });

  it('prints one JSON document with --json', async () => {
    const root = project();
    const result = await runMain(['format', 'pipes', '--json'], { cwd: root });
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      ok: true,
      formatted: ['pipes/p.conf.json'],
      unchanged: 1,
    });
  });

  it('rejects an unknown argument with exit 2, naming it', async () => {
    const root = project();
    const result = await runMain(['format', 'pipez'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'pipez' is not something format knows");
    expect(readTree(root)['pipes/p.conf.json']).not.toBe(PORTAL_PIPE);
  });

  it('stops on invalid JSON, naming file:line:col, and changes nothing', async () => {
    const root = tempProject({
      'pipes/a.conf.json': '{"_id":"a","type":"pipe"}',
      'pipes/b.conf.json': '{\n  "_id": "b",\n  "type": "pipe"\n  "x": 1\n}',
    });
    const before = readTree(root);
    const result = await runMain(['format'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid JSON in pipes/b.conf.json:4:3');
    expect(result.stderr).toContain("Reason: Expecting ',' delimiter");
    expect(readTree(root)).toEqual(before);
  });

  it('names a missing file', async () => {
    const result = await runMain(['format', 'pipes/none.conf.json'], { cwd: project() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('File not found: pipes/none.conf.json');
  });

  it('removes a BOM and CRLF line endings', async () => {
    const root = tempProject({
      'pipes/p.conf.json': '\uFEFF{\r\n"_id": "p", "type": "pipe", "source": {"type": "embedded"}}\r\n',
    });
    const result = await runMain(['format', 'pipes/p.conf.json', '-v'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('BOM removed');
    expect(readTree(root)['pipes/p.conf.json']).toBe(PORTAL_PIPE);
  });
});
