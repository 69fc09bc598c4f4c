import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';
import { useFakeNode, useFastTimings } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings();

describe('wipe', () => {
  it('stops the runner, disables user pipes, removes config and env, and waits for the pipes to go', async () => {
    node.setConfig([
      { _id: 'a', type: 'pipe' },
      { _id: 's', type: 'system:url' },
    ]);
    node.envVars = { x: 1 };
    const cwd = tempProject({
      'node-metadata.conf.json': { _id: 'node', type: 'metadata', global_defaults: { max_entity_size: 5 } },
    });
    const r = await runMain(['wipe'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Successfully wiped node!\n');
    expect(node.stopCalls).toBe(1);
    expect(node.configUploads.map((u) => [u.kind, u.force, u.entities])).toEqual([
      [
        'json',
        true,
        [
          {
            _id: 'node',
            type: 'metadata',
            global_defaults: {
              max_entity_size: 5,
              use_signalling_internally: false,
              use_signalling_externally: false,
              enable_cpp_extensions: false,
            },
            task_manager: { disable_user_pipes: true },
          },
        ],
      ],
      ['json', true, []],
    ]);
    expect(node.config).toEqual([]);
    expect(node.envVars).toEqual({});
    expect(r.stderr).toContain('Removed pipes and systems');
    expect(r.stderr).toContain('Removed environment variables');
  });

  it('waits while the node still lists user pipes, ignoring system pipes', async () => {
    node.setConfig([{ _id: 'sys', type: 'pipe', metadata: { origin: 'system' } }]);
    let listings = 0;
    const original = node.pipes.bind(node);
    node.pipes = () =>
      ++listings < 3
        ? [...original(), { _id: 'lingering', config: { original: {}, effective: {} }, runtime: {} }]
        : original();
    const r = await runMain(['wipe', '--json'], { cwd: tempProject({}), env: node.env() });
    node.pipes = original;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, ok: true, wiped: true });
    expect(r.stderr).toContain('Waiting for 1 pipes to be removed...');
    expect(listings).toBe(3);
  });

  it('aborts with exit 3 when the runner cannot be stopped', async () => {
    node.setConfig([{ _id: 'a', type: 'pipe' }]);
    node.fault('POST /pipes/stop-run-all-pipes', { status: 500 });
    const r = await runMain(['wipe'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/The node failed \(500.*POST \/pipes\/stop-run-all-pipes/);
    expect(node.configUploads).toEqual([]);
  });
});
