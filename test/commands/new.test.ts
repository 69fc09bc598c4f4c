// `sesam new`: copying a template into a new project.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTemplates, TEMPLATES_DIR } from '../../src/commands/new.js';
import { formatExpected } from '../../src/format/expected.js';
import { parseJson } from '../../src/format/json.js';
import { formatJson } from '../../src/format/portal.js';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempDir } from '../helpers/tmp.js';

const SKELETON_FILES = [
  '.github/workflows/sesam.yml',
  '.gitignore',
  'README.md',
  'expected/person-endpoint.json',
  'expected/person-endpoint.test.json',
  'node-metadata.conf.json',
  'pipes/person-endpoint.conf.json',
  'pipes/person.conf.json',
  'test-env.json',
];

describe('sesam new', () => {
  it('finds the templates folder from the source tree', () => {
    expect(existsSync(join(TEMPLATES_DIR, 'skeleton'))).toBe(true);
    expect(listTemplates()).toContain('skeleton');
  });

  it('creates a project from the skeleton, giving dotfiles their dot back', async () => {
    const cwd = tempDir();
    const r = await runMain(['new', 'my-project'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created a Sesam project in my-project from the template 'skeleton' (9 files).");
    expect(r.stdout).toContain('cd my-project');
    expect(r.stdout).toContain('sesam test --node local');
    const tree = readTree(join(cwd, 'my-project'));
    expect(Object.keys(tree).sort()).toEqual(SKELETON_FILES);
    expect(tree['.gitignore']).toContain('.syncconfig');
    expect(tree['.gitignore']).toContain('.sesam/');
    expect(parseJson(tree['test-env.json']!)).toEqual({ 'node-env': 'test' });
    expect(tree['.github/workflows/sesam.yml']).toContain('npx --yes sesam test --node local');
  });

  it('fills an existing empty directory and prints JSON with --json', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'empty'));
    const r = await runMain(['new', 'empty', '--template', 'skeleton', '--json'], { cwd });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, ok: true, template: 'skeleton', dir: join(cwd, 'empty') });
    expect(doc.files).toEqual(SKELETON_FILES);
  });

  it('refuses a non-empty directory and leaves it alone', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'full'));
    writeFileSync(join(cwd, 'full', 'keep.txt'), 'mine');
    const r = await runMain(['new', 'full'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("The directory 'full' is not empty.");
    expect(readTree(join(cwd, 'full'))).toEqual({ 'keep.txt': 'mine' });
  });

  it('refuses a file in the way, an unknown template, and a missing or extra argument', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'afile'), 'x');
    expect((await runMain(['new', 'afile'], { cwd })).stderr).toContain("'afile' exists and is not a directory.");
    const unknown = await runMain(['new', 'p', '--template', 'nope'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown template 'nope'.");
    expect(unknown.stderr).toMatch(/Available templates: .*skeleton/);
    expect(existsSync(join(cwd, 'p'))).toBe(false);
    expect((await runMain(['new'], { cwd })).stderr).toContain("'sesam new' needs a directory");
    expect((await runMain(['new', 'a', 'b'], { cwd })).code).toBe(2);
  });

  it('ships config files in portal format and expected output in the expected-file format', () => {
    const root = join(TEMPLATES_DIR, 'skeleton');
    for (const file of [
      'node-metadata.conf.json',
      'test-env.json',
      'pipes/person.conf.json',
      'pipes/person-endpoint.conf.json',
      'expected/person-endpoint.test.json',
    ]) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(formatJson(parseJson(text)), file).toBe(text);
    }
    const expected = readFileSync(join(root, 'expected/person-endpoint.json'), 'utf8');
    expect(formatExpected(parseJson(expected))).toBe(expected);
  });

  it('creates a project from the example template, without local state', async () => {
    const cwd = tempDir();
    const r = await runMain(['new', 'ex', '--template', 'example'], { cwd });
    expect(r.code).toBe(0);
    const tree = readTree(join(cwd, 'ex'));
    expect(Object.keys(tree).filter((f) => f.startsWith('pipes/')).length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(tree).some((f) => f === 'gitignore' || f.startsWith('github/'))).toBe(false);
    expect(Object.keys(tree).filter((f) => f.startsWith('.sesam/') || f === '.syncconfig')).toEqual([]);
  });

  it("keeps the example's config in portal format, so status is in sync right after an upload", () => {
    const root = join(TEMPLATES_DIR, 'example');
    const tree = readTree(root);
    for (const [file, text] of Object.entries(tree)) {
      if (!/^(pipes|systems)\/.*\.conf\.json$|^node-metadata\.conf\.json$|^test-env\.json$/.test(file)) continue;
      expect(formatJson(parseJson(text)), file).toBe(text);
    }
    for (const [file, text] of Object.entries(tree)) {
      if (/^expected\/.*(?<!\.test)\.json$/.test(file)) expect(formatExpected(parseJson(text)), file).toBe(text);
    }
  });
});
