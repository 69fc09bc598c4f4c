import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from '../../src/format/portal.js';
import { fileChangeHooks } from '../../src/workspace/files.js';
import { readZip } from '../../src/workspace/zip.js';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempProject } from '../helpers/tmp.js';
import { useFakeNode, useFastTimings, type Fault } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings({ timeoutMs: 300 });

const pipeA = {
  _id: 'a',
  type: 'pipe',
  source: { type: 'embedded', entities: [] },
  sink: { type: 'dataset', dataset: 'a' },
};
const pipeB = {
  type: 'pipe',
  _id: 'b',
  source: { type: 'dataset', dataset: 'a' },
  description: 'from https://example.org',
};
const system = { _id: 's', type: 'system:url', base_url: 'https://example.org' };
// As an upload left it: injected settings that download must take out again.
const metadata = {
  _id: 'node',
  type: 'metadata',
  task_manager: { disable_user_pipes: true },
  global_defaults: { eager_load_microservices: false, x: 1 },
};

function localProject() {
  return tempProject({
    'pipes/a.conf.json': '{"_id": "a", "type": "pipe"}\n',
    'pipes/old.conf.json': '{"_id": "old", "type": "pipe"}\n',
    'pipes/keep.txt': 'not config',
    'node-metadata.conf.json': { _id: 'node', type: 'metadata' },
    'test-env.json': '{"node-env": "old"}',
    'expected/a.json': '[]\n',
  });
}

describe('download', () => {
  it('replaces local config with portal-formatted files and reports the changes', async () => {
    node.setConfig([pipeA, pipeB, system, metadata]);
    node.envVars = { 'node-env': 'test' };
    const cwd = localProject();
    const r = await runMain(['download', '--no-snapshot'], { cwd, env: node.env() });
    expect(r.stderr).not.toMatch(/ERROR|rror:/);
    expect(r.code).toBe(0);
    const tree = readTree(cwd);
    expect(tree['pipes/a.conf.json']).toBe(formatJson(pipeA));
    expect(tree['pipes/b.conf.json']).toBe(formatJson(pipeB));
    expect(tree['pipes/b.conf.json']!.startsWith('{\n  "_id": "b",\n  "type": "pipe",\n  "description"')).toBe(true);
    expect(tree['systems/s.conf.json']).toBe(formatJson(system));
    expect(tree['pipes/old.conf.json']).toBeUndefined();
    expect(tree['pipes/keep.txt']).toBe('not config');
    expect(tree['expected/a.json']).toBe('[]\n');
    expect(JSON.parse(tree['node-metadata.conf.json']!)).toEqual({
      _id: 'node',
      type: 'metadata',
      global_defaults: { x: 1 },
    });
    expect(readFileSync(join(cwd, 'test-env.json'), 'utf8')).toBe('\uFEFF{\n  "node-env": "test"\n}\n');
    expect(r.stdout).toBe(
      [
        'Replaced local config successfully: 2 added, 3 changed, 1 removed.',
        '  A pipes/b.conf.json',
        '  A systems/s.conf.json',
        '  M node-metadata.conf.json',
        '  M pipes/a.conf.json',
        '  M test-env.json',
        '  D pipes/old.conf.json',
        '',
      ].join('\n'),
    );
  });

  it('puts .jinja_vars placeholders back and writes the dump', async () => {
    node.setConfig([pipeB, system]);
    const cwd = tempProject({ '.jinja_vars': '{"base": "https://example.org"}', 'test-env.json': '{}' });
    const r = await runMain(['download', '-dump', '--no-snapshot'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, 'systems/s.conf.json'), 'utf8')).toContain('"base_url": "{{@ base @}}"');
    expect(readFileSync(join(cwd, 'pipes/b.conf.json'), 'utf8')).toContain('"description": "from {{@ base @}}"');
    const zip = readZip(readFileSync(join(cwd, 'sesam-config.zip')));
    expect([...zip.keys()].sort()).toEqual(['pipes/b.conf.json', 'systems/s.conf.json']);
    expect(r.stderr).toContain("Dumped downloaded config to 'sesam-config.zip'");
  });

  it('keeps local files outside the whitelist', async () => {
    node.setConfig([pipeA]);
    const cwd = tempProject({ 'pipes/x.conf.json': '{}', 'pipes/y.conf.json': '{}', 'wl.txt': 'pipes/y.conf.json\n' });
    const r = await runMain(['download', '-whitelist-file', 'wl.txt', '--no-snapshot'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'pipes/x.conf.json'))).toBe(true);
    expect(existsSync(join(cwd, 'pipes/y.conf.json'))).toBe(false);
  });

  it('reports why no snapshot was recorded outside a git repository', async () => {
    node.setConfig([pipeA]);
    const cwd = tempProject({});
    const r = await runMain(['download', '--json'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      ok: true,
      added: ['pipes/a.conf.json', 'test-env.json'],
      changed: [],
      removed: [],
    });
    expect(doc.snapshot.reason).toMatch(/not a git repository/);
  });

  const faults: [string, string, Fault, RegExp][] = [
    ['401 on GET /config', 'GET /config', { status: 401 }, /^The node rejected the JWT \(401/],
    ['403 on GET /env', 'GET /env', { status: 403 }, /^The node refused access \(403/],
    ['404 on GET /config', 'GET /config', { status: 404 }, /^Not found on the node \(404/],
    ['409 on GET /config', 'GET /config', { status: 409 }, /conflict \(409/],
    ['500 on GET /config', 'GET /config', { status: 500 }, /^The node failed \(500/],
    ['503 on every try', 'GET /config', { status: 503 }, /^The node failed \(503.* after 4 attempts/],
    [
      'a hang past the timeout',
      'GET /config',
      { kind: 'hang' },
      /^The node sent no answer within 0\.3 s for GET \/config\./,
    ],
    ['a malformed body', 'GET /env', { kind: 'malformed' }, /^The node sent invalid JSON for GET \/env\./],
    [
      'a dropped connection',
      'GET /config',
      { kind: 'drop' },
      /^Cannot reach the node at https:\/\/datahub-fake0001\.sesam\.cloud\/api \(GET \/config\)\./,
    ],
    [
      'a corrupt zip',
      'GET /config',
      { status: 200, body: 'PK not really a zip' },
      /^The node sent a config zip that cannot be read/,
    ],
  ];

  it.each(faults)('changes no file on %s, with one error line and exit 3', async (_name, route, fault, message) => {
    node.setConfig([pipeA, system]);
    node.fault(route, fault);
    const cwd = localProject();
    const before = readTree(cwd);
    const r = await runMain(['download'], { cwd, env: node.env() });
    expect(r.code).toBe(3);
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('Reason:') && !l.startsWith('Hint:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(cwd)).toEqual(before);
  });

  it('leaves the old files when writing fails part-way', async () => {
    node.setConfig([pipeA, pipeB, system]);
    const cwd = localProject();
    const before = readTree(cwd);
    fileChangeHooks.beforeRename = (_path, index) => {
      if (index === 2) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    try {
      const r = await runMain(['download', '--no-snapshot'], { cwd, env: node.env() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Failed to write the downloaded config into ${cwd}; no local file was changed.`);
      expect(r.stderr).toContain('Reason: EACCES: permission denied');
    } finally {
      fileChangeHooks.beforeRename = undefined;
    }
    expect(readTree(cwd)).toEqual(before);
  });

  it('exits 130 and changes nothing when interrupted mid-request', async () => {
    node.setConfig([pipeA]);
    node.fault('GET /config', { kind: 'hang' });
    const cwd = localProject();
    const before = readTree(cwd);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 100);
    const r = await runMain(['download'], { cwd, env: node.env(), signal: controller.signal });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('Interrupted.');
    expect(readTree(cwd)).toEqual(before);
  });

  it('recovers from a 429 with Retry-After and a dropped connection', async () => {
    node.setConfig([pipeA]);
    node.fault('GET /config', { status: 429, headers: { 'Retry-After': '0' } }, 1);
    node.fault('GET /env', { kind: 'drop' }, 1);
    const cwd = tempProject({});
    const r = await runMain(['download', '--no-snapshot'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'pipes/a.conf.json'))).toBe(true);
  });
});
