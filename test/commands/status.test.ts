import { describe, expect, it } from 'vitest';
import { formatJson } from '../../src/format/portal.js';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';
import { useFakeNode, useFastTimings } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings();

const pipeA = { _id: 'a', type: 'pipe', source: { type: 'embedded', entities: [] } };
const pipeB = { _id: 'b', type: 'pipe', source: { type: 'dataset', dataset: 'a' } };
const meta = { _id: 'node', type: 'metadata', task_manager: { disable_user_pipes: true } };

function inSyncProject(extra: Record<string, string | object> = {}) {
  return tempProject({
    'pipes/a.conf.json': formatJson(pipeA),
    'pipes/b.conf.json': formatJson(pipeB),
    'node-metadata.conf.json': formatJson({ _id: 'node', type: 'metadata' }),
    'test-env.json': '\uFEFF{"node-env": "test"}',
    ...extra,
  });
}

describe('status', () => {
  it('reports in sync, ignoring the settings upload injected', async () => {
    node.setConfig([pipeA, pipeB, meta]);
    node.envVars = { 'node-env': 'test' };
    const r = await runMain(['status'], { cwd: inSyncProject(), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Sesam config is up-to-date with local config!\n');
    expect(r.stderr).toContain('Comparing local and node config...');
  });

  it('lists differing, missing and extra files, with diffs on request, and exits 0 unless --exit-code', async () => {
    node.setConfig([pipeA, { ...pipeB, description: 'edited in the portal' }, { _id: 'c', type: 'pipe' }]);
    node.envVars = { 'node-env': 'test' };
    const cwd = inSyncProject({ 'pipes/local.conf.json': formatJson({ _id: 'local', type: 'pipe' }) });
    const r = await runMain(['status', '-diff'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        "Sesam file 'pipes/c.conf.json' was not found locally",
        "File 'pipes/b.conf.json' differs from Sesam!",
        '--- pipes/b.conf.json',
        '+++ pipes/b.conf.json',
        '@@ -1,6 +1,7 @@',
        ' {',
        '   "_id": "b",',
        '   "type": "pipe",',
        '+  "description": "edited in the portal",',
        '   "source": {',
        '     "type": "dataset",',
        '     "dataset": "a"',
        "Local file 'pipes/local.conf.json' was not found in Sesam",
        "Local file 'node-metadata.conf.json' was not found in Sesam",
        'Sesam config is NOT in sync with local config!',
        '',
      ].join('\n'),
    );
    expect((await runMain(['status', '--exit-code'], { cwd, env: node.env() })).code).toBe(1);
  });

  it('treats a formatting difference as a difference, like sesam-py', async () => {
    node.setConfig([pipeA]);
    const cwd = tempProject({ 'pipes/a.conf.json': JSON.stringify(pipeA), 'test-env.json': '{}' });
    const r = await runMain(['status', '--json'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      schemaVersion: 1,
      ok: true,
      inSync: false,
      files: [
        { path: 'test-env.json', state: 'same' },
        { path: 'pipes/a.conf.json', state: 'differs' },
      ],
    });
  });

  it('compares the env file and warns when it is missing', async () => {
    node.setConfig([pipeA]);
    node.envVars = { a: 1 };
    const r = await runMain(['status'], {
      cwd: tempProject({ 'pipes/a.conf.json': formatJson(pipeA), 'test-env.json': '{"a": 2}' }),
      env: node.env(),
    });
    expect(r.stdout).toContain("File 'test-env.json' differs from Sesam!");
    const missing = await runMain(['status'], {
      cwd: tempProject({ 'pipes/a.conf.json': formatJson(pipeA) }),
      env: node.env(),
    });
    expect(missing.stderr).toContain("Cannot locate profile file 'test-env.json'");
    expect(missing.stdout).toBe('Sesam config is up-to-date with local config!\n');
  });

  it('fails with exit 3 and one line when the node is down', async () => {
    node.fault('GET /config', { status: 502 });
    const r = await runMain(['status'], { cwd: inSyncProject(), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/The node failed \(502.*GET \/config after 4 attempts/);
  });
});
