import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { tempProject } from '../helpers/tmp.js';
import { FAKE_JWT, useFakeNode, useFastTimings } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings();

describe('stop', () => {
  it('stops the pipe runner', async () => {
    const r = await runMain(['stop'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Any previously running scheduler has been stopped.\n');
    expect(node.calls('POST /pipes/stop-run-all-pipes')[0]!.query.get('terminate_timeout')).toBe('30');
  });

  it('fails with exit 3 on a rejected JWT, one error line and no stack', async () => {
    const r = await runMain(['stop', '-vv'], {
      cwd: tempProject({}),
      env: { NODE: node.baseUrl, JWT: 'eyJnot.the-right.token' },
    });
    expect(r.code).toBe(3);
    const errors = r.stderr.split('\n').filter((l) => /rejected|Error|error/.test(l));
    expect(errors).toEqual(['The node rejected the JWT (401 Unauthorized) for GET /.']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('eyJnot.the-right.token');
  });

  it('fails with exit 2 without credentials, saying where it looked', async () => {
    const cwd = tempProject({});
    const r = await runMain(['stop'], { cwd, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No node URL given (looked at --node, env NODE and ');
    expect(r.stderr).toContain(`${cwd}/.syncconfig`);
  });

  it("refuses a non-developer node with sesam-py's message (no -force for stop)", async () => {
    node.developerMode = false;
    const r = await runMain(['stop'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(
      'The targeted Sesam subscription is not a developer environment, please contact support@sesam.io if this is unexpected.',
    );
    expect(node.stopCalls).toBe(0);
  });

  it('reads credentials from .syncconfig', async () => {
    const cwd = tempProject({ '.syncconfig': `node='${node.baseUrl}' JWT='${FAKE_JWT}'\n` });
    expect((await runMain(['stop'], { cwd, env: {} })).code).toBe(0);
  });
});
