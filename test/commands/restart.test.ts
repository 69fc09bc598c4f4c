import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';
import { useFakeNode, useFastTimings } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings();

describe('restart and reset', () => {
  it('restarts and waits for a new node_start_time', async () => {
    node.restartPolls = 3;
    const r = await runMain(['restart'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Successfully restarted target node! \(\d+ s\)\n$/);
    expect(node.adminCalls).toEqual(['restart']);
    expect(node.stopCalls).toBe(1);
    expect(node.calls('GET /status').length).toBe(5); // before, then polls until the time changes
    expect(node.calls('POST /admin')[0]!.body).toBe('operation=restart');
  });

  it('resets, wiping the node state', async () => {
    node.setConfig([{ _id: 'a', type: 'pipe' }]);
    const r = await runMain(['reset'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Successfully reset target node!/);
    expect(node.adminCalls).toEqual(['reset']);
    expect(node.config).toEqual([]);
  });

  it('goes on when the runner cannot be stopped, and keeps polling through errors', async () => {
    node.fault('POST /pipes/stop-run-all-pipes', { status: 404 });
    node.restartPolls = 2;
    node.restartDowntime = 6; // more than one call's retries
    const r = await runMain(['restart'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Failed to stop running schedulers');
    expect(node.calls('GET /status').length).toBe(1 + 6 + 3);
  });

  it('fails when the node does not answer OK', async () => {
    node.adminResult = { message: 'busy' };
    const r = await runMain(['restart'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Failed to restart node!');
    expect(r.stderr).toContain('Reason: the node answered {"message": "busy"} instead of {"message": "OK"}');
  });

  it('times out after --restart-timeout seconds', async () => {
    node.restartPolls = 1_000_000;
    const r = await runMain(['restart', '-restart-timeout', '0'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('The node did not come back within 0 s after the restart.');
    expect(r.stderr).toContain('Reason: node_start_time did not change');
  });
});
