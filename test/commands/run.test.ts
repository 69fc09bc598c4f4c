import { describe, expect, it } from 'vitest';
import { runParams, runPipes } from '../../src/commands/run.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { fakeApi, makeContext, outputPipe } from '../helpers/msw-verify.js';
import { tempProject } from '../helpers/tmp.js';

const node = useFakeNode();

function setup(options = {}, files: Record<string, string> = {}) {
  const t = makeContext(tempProject(files), { schedulerPollFrequency: 1, ...options });
  return { t, api: fakeApi(node, t.ctx) };
}

describe('runPipes', () => {
  it('stops the runner, then runs with sesam-py defaults and reports success', async () => {
    node.setConfig([outputPipe('out')]);
    node.runResult = { status: 'success', additional_info: 'Ran 3 pipes' };
    const { t, api } = setup();
    const result = await runPipes(t.ctx, api);
    expect(result).toEqual({ status: 'success', additional_info: 'Ran 3 pipes' });
    expect(node.stopCalls).toBe(1);
    expect(node.requests.map((r) => r.route)).toEqual(['POST /pipes/stop-run-all-pipes', 'POST /pipes/run-all-pipes']);
    expect([...node.runCalls[0]!.entries()]).toEqual([
      ['extra_zero_runs', '2'],
      ['max_run_time', '900'],
      ['max_runs', '100'],
      ['request_mode', 'sync'],
    ]);
    expect(t.stderr()).toMatch(/Successfully ran all pipes to completion in \d+ seconds\nRan 3 pipes\n$/);
  });

  it('sends every flag as sesam-py does', async () => {
    const { t, api } = setup(
      {
        schedulerZeroRuns: 3,
        schedulerMaxRuns: 7,
        schedulerMaxRunTime: 60,
        schedulerCheckInputPipes: true,
        schedulerDontResetPipesOrDeleteSinkDatasets: true,
        outputRunStatistics: true,
        schedulerMode: 'poll',
      },
      { 'testdata/in.json': '[]' },
    );
    await runPipes(t.ctx, api);
    expect([...node.runCalls[0]!.entries()]).toEqual([
      ['extra_zero_runs', '3'],
      ['max_run_time', '60'],
      ['max_runs', '7'],
      ['delete_input_datasets', 'False'],
      ['check_input_pipes', 'True'],
      ['reset_pipes_and_delete_sink_datasets', 'False'],
      ['output_run_statistics', 'True'],
      ['scheduler_mode', 'poll'],
      ['request_mode', 'sync'],
    ]);
  });

  it('validates the modes before touching the node', () => {
    expect(() => runParams(setup({ schedulerMode: 'busy' }).t.ctx)).toThrow(
      expect.objectContaining({ kind: 'usage', message: expect.stringContaining("'active' or 'poll'") }),
    );
    expect(() => runParams(setup({ schedulerRequestMode: 'later' }).t.ctx)).toThrow(
      expect.objectContaining({ kind: 'usage' }),
    );
  });

  it('turns a failed run into a node error naming the pipe and the reason', async () => {
    node.runResult = { status: 'failed', additional_info: 'out: DTL error in rule default' };
    const { t, api } = setup();
    await expect(runPipes(t.ctx, api)).rejects.toMatchObject({
      kind: 'node',
      message: "Failed to run pipes to completion: pipe 'out' failed",
      reason: 'out: DTL error in rule default',
    });
  });

  it('fails when the runner cannot be stopped', async () => {
    node.fault('POST /pipes/stop-run-all-pipes', { status: 500 });
    const { t, api } = setup();
    await expect(runPipes(t.ctx, api)).rejects.toMatchObject({
      kind: 'node',
      message: 'Failed to stop running schedulers!',
    });
    expect(node.runCalls).toHaveLength(0);
  });

  it('polls the status in async mode', async () => {
    node.runnerStatuses = ['running', 'running', 'success'];
    const { t, api } = setup({ schedulerRequestMode: 'async' });
    await runPipes(t.ctx, api);
    expect(node.calls('GET /pipes/get-pipe-runner-status').map((r) => r.query.get('token'))).toEqual([
      'fake-token-1',
      'fake-token-1',
      'fake-token-1',
    ]);
  });

  it('fails in async mode when the runner stops or fails', async () => {
    node.runnerStatuses = ['running', 'not-running'];
    const { t, api } = setup({ schedulerRequestMode: 'async' });
    await expect(runPipes(t.ctx, api)).rejects.toMatchObject({ kind: 'node', reason: 'Scheduler is not running' });
    node.runnerStatuses = ['failed'];
    await expect(runPipes(t.ctx, api)).rejects.toMatchObject({
      kind: 'node',
      message: 'Failed to run pipes to completion',
      reason: expect.stringContaining('no reason'),
    });
  });

  it('needs a token in async mode', async () => {
    const { t, api } = setup({ schedulerRequestMode: 'async' });
    await expect(runPipes(t.ctx, { ...api, runAllPipes: async () => ({ status: 'started' }) })).rejects.toMatchObject({
      kind: 'node',
      message: "Response from scheduler with 'async' request_mode didn't contain a token!",
    });
  });

  it('prints the runner log once per line with -print-scheduler-log, and names the failing pipe from it', async () => {
    node.runnerLog = [
      { timestamp: '2026-01-01T00:00:01Z', loglevel: 'INFO', logdata: 'Running pipe out' },
      { timestamp: '2026-01-01T00:00:02Z', loglevel: 'ERROR', logdata: 'out: boom' },
    ];
    node.runnerStatuses = ['running', 'failed'];
    const { t, api } = setup({ schedulerRequestMode: 'async', printSchedulerLog: true });
    await expect(runPipes(t.ctx, api)).rejects.toMatchObject({
      message: "Failed to run pipes to completion: pipe 'out' failed",
      reason: 'out: boom',
    });
    const lines = t
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('2026'));
    expect(lines).toEqual([
      '2026-01-01T00:00:01Z - INFO - Running pipe out',
      '2026-01-01T00:00:02Z - ERROR - out: boom',
    ]);
    const sinces = node.calls('GET /pipes/get-run-all-pipes-log').map((r) => r.query.get('since'));
    expect(sinces[sinces.length - 1]).toBe('2026-01-01T00:00:02Z');
  });

  it('stops the runner when interrupted', async () => {
    node.runnerStatuses = ['running'];
    const { t, api } = setup({ schedulerRequestMode: 'async', schedulerPollFrequency: 20 });
    const running = runPipes(t.ctx, api);
    setTimeout(() => t.abort(), 30);
    await expect(running).rejects.toThrow('interrupted');
    expect(node.stopCalls).toBe(2);
  });
});

describe('sesam run (through main)', () => {
  it('exits 0 on success and prints run statistics on stdout', async () => {
    const { runMain } = await import('../helpers/run-main.js');
    node.runResult = { status: 'success', additional_info: 'Pipes ran: 3' };
    const r = await runMain(['run', '-output-run-statistics'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Pipes ran: 3\n');
    expect(node.runCalls[0]!.get('output_run_statistics')).toBe('True');
  });

  it('exits 3 naming the failed pipe, with the reason', async () => {
    const { runMain } = await import('../helpers/run-main.js');
    node.runResult = { status: 'failed', additional_info: 'out: DTL error' };
    const r = await runMain(['run'], { cwd: tempProject({}), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("Failed to run pipes to completion: pipe 'out' failed\nReason: out: DTL error\n");
  });

  it('gives the node response with --json', async () => {
    const { runMain } = await import('../helpers/run-main.js');
    node.runResult = { status: 'success', additional_info: { ran: 2 } };
    const r = await runMain(['run', '--json'], { cwd: tempProject({}), env: node.env() });
    expect(JSON.parse(r.stdout)).toEqual({
      schemaVersion: 1,
      ok: true,
      result: { status: 'success', additional_info: { ran: 2 } },
    });
  });
});
