import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { runMain } from '../helpers/run-main.js';
import { tempDir, tempProject, writeTree } from '../helpers/tmp.js';
import { FAKE_JWT, useFakeNode, useFastTimings } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings();

const pipeA = { _id: 'a', type: 'pipe', source: { type: 'http_endpoint' } };
const pipeB = { _id: 'b', type: 'pipe', source: { type: 'dataset', dataset: 'a' } };

function project(extra: Record<string, string | object> = {}) {
  return tempProject({
    'pipes/a.conf.json': pipeA,
    'pipes/b.conf.json': pipeB,
    'systems/s.conf.json': { _id: 's', type: 'system:url', base_url: '{{@ base @}}' },
    'node-metadata.conf.json': { _id: 'node', type: 'metadata', task_manager: { disable_user_pipes: false } },
    'test-env.json': '\uFEFF{"node-env": "test"}',
    '.jinja_vars': '{"base": "https://example.org"}',
    'testdata/a.json': '[{"_id": "1", "x": 1.10, "big": 123456789012345678901234567890}]',
    ...extra,
  });
}

function errorLines(stderr: string) {
  return stderr
    .split('\n')
    .filter(
      (l) =>
        l &&
        !l.startsWith('Reason:') &&
        !l.startsWith('Hint:') &&
        !/^(Trying|Any previously|Deploying|Config uploaded|No test data|Dumped)/.test(l),
    );
}

describe('upload', () => {
  it('uploads env, config with injected metadata and jinja values, and pushes test data', async () => {
    const cwd = project();
    const r = await runMain(['upload'], { cwd, env: node.env() });
    expect(r.stderr).not.toMatch(/rror/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Config uploaded successfully: 2 pipes, 1 systems; test data: 1 of 1 files pushed.\n');
    expect(node.envVars).toEqual({ 'node-env': 'test' });
    const upload = node.configUploads[0]!;
    expect(upload.kind).toBe('zip');
    expect(upload.force).toBe(false);
    expect(upload.entities.map((e) => e._id)).toEqual(['a', 'b', 's', 'node']);
    expect(upload.entities[2]!.base_url).toBe('https://example.org');
    expect(upload.entities[3]).toEqual({
      _id: 'node',
      type: 'metadata',
      task_manager: { disable_user_pipes: true },
      global_defaults: { eager_load_microservices: false },
    });
    // Floats are re-serialised as Python would (1.10 -> 1.1); big integers stay exact.
    expect(node.received).toEqual([
      { pipe: 'a', body: '[{"_id": "1", "x": 1.1, "big": 123456789012345678901234567890}]' },
    ]);
    expect(r.stderr).toContain('Test data upload summary: total=1, uploaded=1, failed=0');
  });

  it('sends test data as written with --do-float-as-decimal, and honours the metadata flags', async () => {
    const cwd = project();
    const r = await runMain(
      ['upload', '--do-float-as-decimal', '-enable-user-pipes', '-enable-eager-ms', '-disable-cpp-extensions'],
      { cwd, env: node.env() },
    );
    expect(r.code).toBe(0);
    expect(node.received[0]!.body).toBe('[{"_id": "1", "x": 1.10, "big": 123456789012345678901234567890}]');
    expect(node.configUploads[0]!.entities[3]).toMatchObject({
      task_manager: { disable_user_pipes: false },
      global_defaults: { eager_load_microservices: true, enable_cpp_extensions: false },
    });
  });

  it('waits for the pipes to deploy', async () => {
    node.deployPolls = 2;
    const r = await runMain(['upload'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Deploying 2 pipes...');
    expect(node.calls('GET /pipes')).toHaveLength(3);
  });

  it('prints the validation errors per pipe and exits 3', async () => {
    node.validate = (entities) =>
      entities
        .filter((e) => e._id === 'b')
        .map((e) => ({
          'posted-config': e,
          'config-errors': [{ level: 'error', msg: "Dataset 'a' is unknown", elements: "$['source']" }],
        }));
    const cwd = project();
    const r = await runMain(['upload'], { cwd, env: node.env() });
    expect(r.code).toBe(3);
    expect(errorLines(r.stderr)).toEqual(['The node rejected the config (1 error).']);
    expect(r.stderr).toContain("Reason: b: Dataset 'a' is unknown ($['source'])");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(node.received).toEqual([]);
  });

  it('uploads despite validation errors with --force, and warns', async () => {
    node.validate = (entities) =>
      entities
        .filter((e) => e._id === 'b')
        .map((e) => ({ 'posted-config': e, 'config-errors': [{ level: 'error', msg: 'bad' }] }));
    const r = await runMain(['upload', '-force'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(0);
    expect(node.configUploads[0]!.force).toBe(true);
    expect(r.stderr).toContain('b: bad');
  });

  it('lists every test data file that failed, naming it', async () => {
    const cwd = project({ 'testdata/nope.json': '[]', 'testdata/sub/b.json': '[{"_id": 1,' });
    const r = await runMain(['upload'], { cwd, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Testdata upload failed for 2 file(s).');
    expect(r.stderr).toContain("Reason: testdata/nope.json (nope): Pipe 'nope' doesn't exist on the node");
    expect(r.stderr).toMatch(/Reason: testdata\/sub\/b\.json \(b\): Invalid JSON in testdata\/sub\/b\.json:1:12/);
    expect(node.received.map((x) => x.pipe)).toEqual(['a']);
  });

  it('retries a failing receiver 4 times and then fails with exit 3', async () => {
    node.fault('POST /receivers/:id/entities', { status: 500, body: '{"message": "boom"}' });
    const r = await runMain(['upload'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(3);
    expect(node.calls('POST /receivers/:id/entities')).toHaveLength(4);
    expect(r.stderr).toContain('Transient failure while uploading entities for a (attempt 3/4');
    expect(r.stderr).toContain('Reason: testdata/a.json (a): The node failed (500');
  });

  it('survives a 503 then 429 from a receiver', async () => {
    node.fault('POST /receivers/:id/entities', { status: 503 }, 1);
    node.fault('POST /receivers/:id/entities', { status: 429, headers: { 'Retry-After': '0' } }, 1);
    const r = await runMain(['upload'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(0);
    expect(node.received).toHaveLength(1);
  });

  it('stops at the first failure with -single-thread-upload', async () => {
    const cwd = project({ 'testdata/0bad.json': '{', 'testdata/b.json': '[]' });
    const r = await runMain(['upload', '-single-thread-upload'], { cwd, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Testdata upload failed for 1 file(s).');
    expect(node.received).toEqual([]);
  });

  it('applies the whitelist to config and test data', async () => {
    const cwd = project({
      'wl.txt': 'pipes/b.conf.json\nnode-metadata.conf.json\n',
      'testdata/b.json': '[{"_id": "x"}]',
    });
    const r = await runMain(['upload', '-whitelist-file', 'wl.txt'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(node.configUploads[0]!.entities.map((e) => e._id)).toEqual(['b', 'node']);
    expect(node.received.map((x) => x.pipe)).toEqual(['b']);
  });

  it('merges ../.additional_parameters.json over the profile with a warning', async () => {
    const parent = tempDir();
    writeFileSync(join(parent, '.additional_parameters.json'), '{"node-env": "ci", "extra": 1}');
    const cwd = join(parent, 'project');
    mkdirSync(cwd);
    writeTree(cwd, { 'pipes/a.conf.json': pipeA, 'test-env.json': '{"node-env": "test"}' });
    const r = await runMain(['upload'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(node.envVars).toEqual({ 'node-env': 'ci', extra: 1 });
    expect(r.stderr).toContain("Value for parameter 'node-env' set in test-env.json will be replaced");
    expect(r.stderr).toContain('No test data found to upload');
  });

  it('fails with exit 2 when the profile is missing, before touching the node', async () => {
    const cwd = tempProject({ 'pipes/a.conf.json': pipeA });
    const r = await runMain(['upload', '-profile', 'prod'], { cwd, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot locate profile file 'prod-env.json'");
    expect(node.calls('PUT /env')).toHaveLength(0);
  });

  it('refuses a non-developer node unless -force', async () => {
    node.developerMode = false;
    const cwd = project();
    const r = await runMain(['upload'], { cwd, env: node.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'The targeted Sesam subscription is not a developer environment, please contact support@sesam.io if this is unexpected. To override this check use -force flag.',
    );
    expect(node.configUploads).toHaveLength(0);
    expect((await runMain(['upload', '-force'], { cwd, env: node.env() })).code).toBe(0);
  });

  it('validates --upload-workers', async () => {
    const r = await runMain(['upload', '--upload-workers', '0'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--upload-workers must be an integer >= 1');
  });

  it('never prints the JWT, even at -vvv', async () => {
    const r = await runMain(['upload', '-vvv', '--jwt', FAKE_JWT, '--node', node.baseUrl], { cwd: project() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('PUT https://datahub-fake0001.sesam.cloud/api/config?force=false -> 200');
    expect(r.stdout + r.stderr).not.toContain(FAKE_JWT);
    const failed = await runMain(['upload', '-vvv', '--jwt', 'eyJwrong.token.value-123456', '--node', node.baseUrl], {
      cwd: project(),
    });
    expect(failed.code).toBe(3);
    expect(failed.stdout + failed.stderr).not.toContain('eyJwrong.token.value-123456');
  });

  it('prints one JSON document with --json', async () => {
    const r = await runMain(['upload', '--json'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      ok: true,
      pipes: 2,
      systems: 1,
      testdata: { total: 1, uploaded: 1, failed: 0 },
    });
  });
});
