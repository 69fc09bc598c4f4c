import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SesamError } from '../../src/errors.js';
import {
  applyFileChanges,
  fileChangeHooks,
  readJsonFile,
  readText,
  writeFileAtomic,
} from '../../src/workspace/files.js';
import { readTree, tempDir, tempProject } from '../helpers/tmp.js';

function thrown(fn: () => unknown): SesamError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SesamError);
    return err as SesamError;
  }
  throw new Error('expected a SesamError');
}

describe('readText / readJsonFile', () => {
  it('strips a UTF-8 BOM', () => {
    const dir = tempProject({ 'a.json': '\uFEFF{"a": 1}' });
    expect(readText(join(dir, 'a.json'))).toBe('{"a": 1}');
    expect(readJsonFile(join(dir, 'a.json'))).toEqual({ a: 1 });
  });

  it('names a missing file', () => {
    const err = thrown(() => readText('/nonexistent/x.json'));
    expect(err.kind).toBe('input');
    expect(err.message).toBe('File not found: /nonexistent/x.json');
  });

  it('reports invalid JSON with file:line:col and the reason', () => {
    const dir = tempProject({ 'pipes/p.conf.json': '{\n  "a": 1,\n  "b" 2\n}\n' });
    const err = thrown(() => readJsonFile(join(dir, 'pipes/p.conf.json'), 'pipes/p.conf.json'));
    expect(err.kind).toBe('input');
    expect(err.message).toBe('Invalid JSON in pipes/p.conf.json:3:7');
    expect(err.reason).toContain("Expecting ':' delimiter");
    expect([err.file, err.line, err.column]).toEqual(['pipes/p.conf.json', 3, 7]);
  });
});

describe('writeFileAtomic', () => {
  it('creates parent folders, replaces the file and leaves no temp file', () => {
    const dir = tempDir();
    const path = join(dir, 'a', 'b', 'c.txt');
    writeFileAtomic(path, 'one');
    writeFileAtomic(path, new TextEncoder().encode('two'));
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['c.txt']);
  });
});

describe('applyFileChanges', () => {
  afterEach(() => {
    fileChangeHooks.beforeRename = undefined;
  });

  it('writes, replaces and deletes files', () => {
    const dir = tempProject({ 'pipes/a.conf.json': 'old a', 'pipes/gone.conf.json': 'bye' });
    applyFileChanges(
      dir,
      new Map<string, string | null>([
        ['pipes/a.conf.json', 'new a'],
        ['testdata/new/b.json', 'b'],
        ['pipes/gone.conf.json', null],
        ['pipes/never-existed.conf.json', null],
      ]),
    );
    expect(readTree(dir)).toEqual({ 'pipes/a.conf.json': 'new a', 'testdata/new/b.json': 'b' });
  });

  it('changes nothing when it fails part-way through the renames', () => {
    const files = { 'pipes/a.conf.json': 'old a', 'pipes/b.conf.json': 'old b', 'pipes/c.conf.json': 'old c' };
    const dir = tempProject(files);
    fileChangeHooks.beforeRename = (_path, index) => {
      if (index === 3) throw new Error('disk on fire');
    };
    expect(() =>
      applyFileChanges(
        dir,
        new Map<string, string | null>([
          ['pipes/a.conf.json', 'new a'],
          ['pipes/b.conf.json', null],
          ['testdata/deep/x.json', 'x'],
          ['pipes/c.conf.json', 'new c'],
        ]),
      ),
    ).toThrow('disk on fire');
    expect(readTree(dir)).toEqual(files); // no temp files, no new folders, old contents back
    expect(existsSync(join(dir, 'testdata'))).toBe(false);
  });

  it('changes nothing when staging fails', () => {
    const dir = tempProject({ 'pipes/a.conf.json': 'old a' });
    mkdirSync(join(dir, 'blocked'));
    writeFileSync(join(dir, 'blocked-file'), 'not a folder');
    expect(() =>
      applyFileChanges(
        dir,
        new Map([
          ['pipes/a.conf.json', 'new a'],
          ['blocked-file/x.json', 'cannot live under a file'],
        ]),
      ),
    ).toThrow();
    expect(readTree(dir)).toEqual({ 'pipes/a.conf.json': 'old a', 'blocked-file': 'not a folder' });
  });

  it('refuses paths outside the root', () => {
    const dir = tempDir();
    expect(thrown(() => applyFileChanges(dir, new Map([['../escape.json', 'x']]))).kind).toBe('input');
  });
});
