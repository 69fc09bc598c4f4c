import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../src/workspace/zip.js';
import { readTree, tempProject } from '../helpers/tmp.js';
import { runMain } from '../helpers/run-main.js';

const files = {
  'pipes/a.conf.json': '{"_id": "a", "type": "pipe", "url": "{{@ host @}}"}',
  'pipes/b.conf.json': '{"_id": "b", "type": "pipe"}',
  'pipes/readme.md': 'not config',
  'systems/s.conf.json': '{"_id": "s", "type": "system:url"}',
  'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}',
  'expected/a.json': '[]',
  'test-env.json': '{}',
  '.jinja_vars': 'HOST = example.com\n',
  'whitelist.txt': 'pipes/a.conf.json\r\nnode-metadata.conf.json\r\n',
};

const entries = (root: string) => {
  const zip = readZip(readFileSync(join(root, 'sesam-config.zip')));
  return Object.fromEntries([...zip].map(([name, data]) => [name, new TextDecoder().decode(data)]));
};

describe('sesam dump', () => {
  it('writes the local config zip with jinja variables substituted, touching nothing else', async () => {
    const root = tempProject({ ...files, 'sesam-config.zip': 'old zip' });
    const before = readTree(root);
    const result = await runMain(['dump'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("Dumped local config to 'sesam-config.zip' (4 files)\n");
    expect(entries(root)).toEqual({
      'pipes/a.conf.json': '{"_id": "a", "type": "pipe", "url": "example.com"}',
      'pipes/b.conf.json': files['pipes/b.conf.json'],
      'systems/s.conf.json': files['systems/s.conf.json'],
      'node-metadata.conf.json': files['node-metadata.conf.json'],
    });
    const after = readTree(root);
    delete before['sesam-config.zip'];
    delete after['sesam-config.zip'];
    expect(after).toEqual(before);
  });

  it('honours -whitelist-file and --json', async () => {
    const root = tempProject(files);
    const result = await runMain(['dump', '-whitelist-file', 'whitelist.txt', '--json'], { cwd: root });
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      ok: true,
      file: 'sesam-config.zip',
      entries: ['pipes/a.conf.json', 'node-metadata.conf.json'],
    });
    expect(Object.keys(entries(root))).toEqual(['pipes/a.conf.json', 'node-metadata.conf.json']);
  });

  it('fails with the whitelist file named when it cannot be read', async () => {
    const result = await runMain(['dump', '-whitelist-file', 'nope.txt'], { cwd: tempProject(files) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Failed to read whitelist file '");
  });

  it('warns when no pipes take part', async () => {
    const result = await runMain(['dump'], { cwd: tempProject({ 'systems/s.conf.json': '{}' }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('The config zip holds no pipes');
  });
});
