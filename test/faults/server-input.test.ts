// Faults of "Trust" (issue 10), as a user meets them: project files that are not what they seem (bytes that are
// not UTF-8, repeated keys, broken JSON), and the embedded node as a server facing hostile requests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFakeNode, useFastTimings } from '../helpers/msw-node.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir, writeTree } from '../helpers/tmp.js';

const PIPE =
  '{\n  "_id": "a",\n  "type": "pipe",\n  "source": {\n    "type": "embedded",\n    "entities": []\n  }\n}\n';
// "ø" in Latin-1 (0xf8) on line 3, column 14: what an editor set to Windows-1252 saves.
const LATIN1_PIPE = Buffer.concat([
  Buffer.from('{\n  "_id": "a",\n  "name": "bl'),
  Buffer.from([0xf8]),
  Buffer.from('",\n  "type": "pipe"\n}\n'),
]);
const DUPLICATE_PIPE = '{\n  "_id": "a",\n  "type": "pipe",\n  "_id": "b"\n}\n';

function project(files: Record<string, string | Buffer>): string {
  const root = tempDir('sesam-faults-');
  writeTree(root, { 'test-env.json': '{}\n', 'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}\n' });
  for (const [path, content] of Object.entries(files)) {
    writeTree(root, { [path]: '' });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const node = useFakeNode();
useFastTimings();

describe('project files that are not UTF-8', () => {
  it('format refuses a Latin-1 pipe at file:line:col and leaves it untouched', async () => {
    const root = project({ 'pipes/a.conf.json': LATIN1_PIPE });
    const r = await runMain(['format'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Not UTF-8 text: pipes/a.conf.json:3:14');
    expect(r.stderr).toContain('0xf8');
    expect(readFileSync(join(root, 'pipes/a.conf.json'))).toEqual(LATIN1_PIPE);
  });

  it('validate reports the file and position', async () => {
    const root = project({ 'pipes/a.conf.json': LATIN1_PIPE });
    const r = await runMain(['validate'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/pipes\/a\.conf\.json:3:14/);
    expect(r.stdout + r.stderr).toContain('Not UTF-8');
  });

  it('upload stops before anything reaches the node', async () => {
    const root = project({ 'pipes/a.conf.json': LATIN1_PIPE });
    const r = await runMain(['upload'], { cwd: root, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pipes/a.conf.json:3:14');
    expect(node.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('test refuses an expected file that is not UTF-8', async () => {
    const root = project({
      'pipes/a.conf.json': PIPE,
      'expected/a.test.json': '{}\n',
      'expected/a.json': Buffer.concat([
        Buffer.from('[{"_id": "x", "v": "'),
        Buffer.from([0xe6]),
        Buffer.from('"}]\n'),
      ]),
    });
    node.setConfig([{ _id: 'a', type: 'pipe', source: { type: 'dataset', dataset: 'x' }, sink: { type: 'null' } }]);
    node.pipeEntities.set('a', [{ _id: 'x', v: 'æ' }]);
    const r = await runMain(['verify'], { cwd: root, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Not UTF-8 text: expected/a.json:1:21');
  });
});

describe('broken and ambiguous JSON', () => {
  it('upload catches invalid JSON in a pipe locally, before the env or the config is sent', async () => {
    const root = project({ 'pipes/a.conf.json': '{\n  "_id": "a",\n  "type": "pipe"\n  "x": 1\n}\n' });
    const r = await runMain(['upload'], { cwd: root, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid JSON in pipes/a.conf.json:4:3');
    expect(node.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });

  it('validate warns about a repeated key with file, line and key', async () => {
    const root = project({ 'pipes/a.conf.json': DUPLICATE_PIPE });
    const r = await runMain(['validate'], { cwd: root });
    expect(r.stdout + r.stderr).toMatch(/pipes\/a\.conf\.json:4:3.*Duplicate key '_id'/);
  });

  it('format and upload warn about a repeated key', async () => {
    const root = project({ 'pipes/a.conf.json': DUPLICATE_PIPE });
    const formatted = await runMain(['format'], { cwd: root });
    expect(formatted.code).toBe(0);
    expect(formatted.stderr).toContain("Duplicate key '_id' in pipes/a.conf.json:4:3; the last value is used.");

    const again = project({ 'pipes/a.conf.json': DUPLICATE_PIPE });
    const uploaded = await runMain(['upload'], { cwd: again, env: node.env() });
    expect(uploaded.stderr).toContain("Duplicate key '_id' in pipes/a.conf.json:4:3");
  });

  it('format keeps integer-like keys where sesam-py puts them', async () => {
    const root = project({ 'pipes/a.conf.json': '{"_id":"a","type":"pipe","2":"b","15":"a","x":1}' });
    const r = await runMain(['format', 'pipes/a.conf.json'], { cwd: root });
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'pipes/a.conf.json'), 'utf8')).toBe(
      '{\n  "_id": "a",\n  "type": "pipe",\n  "15": "a",\n  "2": "b",\n  "x": 1\n}\n',
    );
  });
});
