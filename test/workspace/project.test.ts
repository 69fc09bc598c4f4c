import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localConfigEntries, localConfigZip } from '../../src/workspace/config-zip.js';
import {
  configFiles,
  expectedDir,
  profileEnvPath,
  readProfileEnv,
  testdataFiles,
} from '../../src/workspace/project.js';
import { parseWhitelist } from '../../src/workspace/whitelist.js';
import { readZip, zipEntryText } from '../../src/workspace/zip.js';
import { tempProject } from '../helpers/tmp.js';

const project = () =>
  tempProject({
    'pipes/b.conf.json': '{"_id": "b", "type": "pipe"}',
    'pipes/a.conf.json': '\uFEFF{"_id": "a", "type": "pipe", "x": "{{@ host @}}"}',
    'pipes/sub/c.conf.json': '{"_id": "c", "type": "pipe"}',
    'pipes/notes.json': 'not a config',
    'systems/s.conf.json': '{"_id": "s", "type": "system:url"}',
    'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}',
    'test-env.json': '\uFEFF{"node-env": "test"}',
    'profiles/prod-env.json': '{"node-env": "prod"}',
    'bad-env.json': '{"a": }',
    'list-env.json': '[]',
    'testdata/a.json': '[]',
    'testdata/deep/b.JSON': '[]',
    'testdata/readme.txt': 'x',
    '.jinja_vars': '{"host": "example.com"}',
  });

describe('project layout', () => {
  it('lists config files in zip order: pipes, systems, node-metadata', () => {
    const root = project();
    const files = configFiles(root);
    expect(files.map((f) => f.path)).toEqual([
      'pipes/a.conf.json',
      'pipes/b.conf.json',
      'pipes/sub/c.conf.json',
      'systems/s.conf.json',
      'node-metadata.conf.json',
    ]);
    expect(files[0]!.text.startsWith('{')).toBe(true); // BOM stripped
  });

  it('filters config files by the whitelist (node-metadata only when listed)', () => {
    const root = project();
    expect(configFiles(root, parseWhitelist('pipes/b.conf.json\nsystems/s.conf.json')).map((f) => f.path)).toEqual([
      'pipes/b.conf.json',
      'systems/s.conf.json',
    ]);
    expect(configFiles(root, parseWhitelist('node-metadata.conf.json')).map((f) => f.path)).toEqual([
      'node-metadata.conf.json',
    ]);
  });

  it('reads profile env files, also in sub folders', () => {
    const root = project();
    expect(profileEnvPath(root, 'profiles/prod')).toBe(join(root, 'profiles', 'prod-env.json'));
    expect(readProfileEnv(root, 'test')).toEqual({ 'node-env': 'test' });
    expect(readProfileEnv(root, 'profiles/prod')).toEqual({ 'node-env': 'prod' });
    expect(() => readProfileEnv(root, 'missing')).toThrow("Cannot locate profile file 'missing-env.json'");
    expect(() => readProfileEnv(root, 'bad')).toThrow('Invalid JSON in bad-env.json:1:7');
    expect(() => readProfileEnv(root, 'list')).toThrow("Profile file 'list-env.json' must hold a JSON object");
  });

  it('reads variables/variables-<profile>.json when there is no <profile>-env.json', () => {
    const root = tempProject({
      'variables/variables-test.json': { 'node-env': 'from-variables' },
      'variables/variables-prod.json': '[]',
      'prod-env.json': { 'node-env': 'prod' },
    });
    expect(profileEnvPath(root, 'test')).toBe(join(root, 'variables', 'variables-test.json'));
    expect(readProfileEnv(root, 'test')).toEqual({ 'node-env': 'from-variables' });
    // <profile>-env.json wins when both exist.
    expect(readProfileEnv(root, 'prod')).toEqual({ 'node-env': 'prod' });
    expect(() => readProfileEnv(root, 'dev')).toThrow("Cannot locate profile file 'dev-env.json'");
  });

  it('finds test data recursively, extension case-insensitive', () => {
    expect(testdataFiles(project())).toEqual([
      { path: 'testdata/a.json', pipeId: 'a' },
      { path: 'testdata/deep/b.JSON', pipeId: 'b' },
    ]);
    expect(expectedDir('/p')).toBe(join('/p', 'expected'));
  });

  it('builds the local config zip with jinja variables substituted', () => {
    const root = project();
    const entries = localConfigEntries(root, { jinjaVars: { host: 'example.com' } });
    expect(entries[0]).toEqual({ path: 'pipes/a.conf.json', text: '{"_id": "a", "type": "pipe", "x": "example.com"}' });
    const zip = readZip(
      localConfigZip(root, { whitelist: parseWhitelist('pipes/a.conf.json'), jinjaVars: { host: 'h' } }),
    );
    expect([...zip.keys()]).toEqual(['pipes/a.conf.json']);
    expect(zipEntryText(zip.get('pipes/a.conf.json')!)).toContain('"x": "h"');
  });
});
