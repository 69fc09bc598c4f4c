import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, type JsonValue } from '../../src/format/json.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { outputPipeProject } from '../helpers/msw-verify.js';
import { runMain } from '../helpers/run-main.js';
import { tempDir } from '../helpers/tmp.js';

const node = useFakeNode();

const project = (expected = '[{"_id":"a"}]') => outputPipeProject(expected);

const routes = () => node.requests.map((r) => r.route);

describe('sesam test', () => {
  it('uploads, runs once, verifies once and says so in one line', async () => {
    node.pipeEntities.set('out', parseJson('[{"_id":"a","_updated":1}]') as JsonValue[]);
    const r = await runMain(['test'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^PASS out \(expected\/out\.test\.json\)\nVerify passed: 1 test \(1 passed, 0 failed, 0 ignored\)\.\nTest was successful! Uploaded, ran once and verified 1 tests in \d+ seconds\.\n$/,
    );
    const order = routes();
    const put = order.indexOf('PUT /config');
    const run = order.indexOf('POST /pipes/run-all-pipes');
    const read = order.indexOf('GET /pipes/:id/entities');
    expect(put).toBeGreaterThanOrEqual(0);
    expect(run).toBeGreaterThan(put);
    expect(read).toBeGreaterThan(run);
    expect(node.runCalls).toHaveLength(1);
  });

  it('runs --runs times (0 = none) before the single verify', async () => {
    node.pipeEntities.set('out', parseJson('[{"_id":"a"}]') as JsonValue[]);
    expect((await runMain(['test', '-runs', '3'], { cwd: project(), env: node.env() })).code).toBe(0);
    expect(node.runCalls).toHaveLength(3);
    expect(node.calls('GET /pipes/:id/entities')).toHaveLength(1);
    node.runCalls = [];
    expect((await runMain(['test', '--runs', '0'], { cwd: project(), env: node.env() })).code).toBe(0);
    expect(node.runCalls).toHaveLength(0);
  });

  it('stops at a failed run with exit 3, before verifying', async () => {
    node.runResult = { status: 'failed', additional_info: 'out: boom' };
    const r = await runMain(['test'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("Failed to run pipes to completion: pipe 'out' failed");
    expect(node.calls('GET /pipes/:id/entities')).toHaveLength(0);
  });

  it('exits 1 on differences, with one JSON document under --json', async () => {
    node.pipeEntities.set('out', parseJson('[{"_id":"b"}]') as JsonValue[]);
    const r = await runMain(['test', '--json'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      ok: false,
      runs: 1,
      failed: 1,
      specs: [{ pipe: 'out', status: 'failed' }],
    });
  });

  it('runs pytest afterwards with -run-pytest, without the standalone note', async () => {
    node.pipeEntities.set('out', parseJson('[{"_id":"a"}]') as JsonValue[]);
    const bin = tempDir('fake-bin-');
    writeFileSync(join(bin, 'pytest'), '#!/bin/sh\necho "pytest $*"\n');
    chmodSync(join(bin, 'pytest'), 0o755);
    const dir = project();
    writeFileSync(join(dir, 'test_dummy.py'), '');
    const r = await runMain(['test', '-run-pytest', '.'], { cwd: dir, env: node.env({ PATH: bin }) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pytest . -rP -v\n');
    expect(r.stderr).toContain('Ran unit tests successfully.');
    expect(r.stderr).not.toContain("Make sure that you've done an 'upload'");
  });
});

describe('sesam test --bisect-exit-codes', () => {
  it('exits 125 when the run fails (could not test), 1 on differences', async () => {
    node.runResult = { status: 'failed', additional_info: 'out: boom' };
    expect((await runMain(['test', '--bisect-exit-codes'], { cwd: project(), env: node.env() })).code).toBe(125);
    node.runResult = { status: 'success' };
    node.pipeEntities.set('out', parseJson('[{"_id":"zzz"}]') as JsonValue[]);
    expect((await runMain(['test', '--bisect-exit-codes'], { cwd: project(), env: node.env() })).code).toBe(1);
  });
});
