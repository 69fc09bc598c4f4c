import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printVerifyResult, verifyProject } from '../../src/commands/verify.js';
import { parseJson, type JsonValue } from '../../src/format/json.js';
import { expectedFilesOnDisk, type ExpectedFiles } from '../../src/verify/specs.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { endpointPipe, fakeApi, inputPipe, makeContext, outputPipe } from '../helpers/msw-verify.js';
import { tempProject } from '../helpers/tmp.js';

const node = useFakeNode();
const entities = (text: string) => parseJson(text) as JsonValue[];

async function verifyIn(files: Record<string, string | object>, options = {}) {
  const dir = tempProject(files);
  const t = makeContext(dir, options);
  const result = await verifyProject(t.ctx, fakeApi(node, t.ctx), expectedFilesOnDisk(dir));
  return { dir, t, result };
}

describe('verifyProject: json specs', () => {
  it('passes when the filtered, fixed node output equals expected', async () => {
    node.setConfig([outputPipe('out'), inputPipe('in')]);
    node.pipeEntities.set(
      'out',
      entities('[{"_id":"b","n":2.0,"_updated":9},{"_id":"a","big":12345678901234567890,"_deleted":false}]'),
    );
    const { result } = await verifyIn({
      'expected/out.test.json': '{"pipe": "out"}',
      'expected/out.json': '[{"_id":"a","big":12345678901234567000},{"_id":"b","n":2}]',
    });
    expect(result).toMatchObject({ passed: 1, failed: 0, ignored: 0, missing: [] });
    expect(result.specs[0]).toMatchObject({
      id: 'out.test.json',
      pipe: 'out',
      status: 'passed',
      file: 'expected/out.json',
    });
  });

  it('reports changed, missing and unexpected entities by _id', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a","city":"Bergen"},{"_id":"new"}]'));
    const { result } = await verifyIn({
      'expected/out.test.json': '{}',
      'expected/out.json': '[{"_id":"a","city":"Oslo"},{"_id":"old"}]',
    });
    expect(result.failed).toBe(1);
    expect(result.specs[0]!.summary).toBe('expected 2 entities, got 2: 1 changed, 1 missing, 1 unexpected');
    expect(result.specs[0]!.diff).toMatchObject({
      kind: 'entities',
      changed: [{ id: 'a', changes: [{ path: '$.city', expected: 'Oslo', actual: 'Bergen' }] }],
      missing: [{ _id: 'old' }],
      unexpected: [{ _id: 'new' }],
    });
  });

  it('keeps 1.0 in expected different from the node 1 (lossless)', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a","v":1}]'));
    const { result } = await verifyIn({ 'expected/out.test.json': '{}', 'expected/out.json': '[{"_id":"a","v":1.0}]' });
    expect(result.specs[0]!.status).toBe('failed');
  });

  it('honours blacklist into lists and escaped dots, stage, ignore_deletes and -no-large-int-bugs', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set(
      'out',
      entities(
        '[{"_id":"a","lst":[{"ts":1,"k":1}],"x.y":5,"x":{"y":6},"big":12345678901234567890},{"_id":"d","_deleted":true}]',
      ),
    );
    const { result } = await verifyIn(
      {
        'expected/out.test.json': JSON.stringify({ stage: 'after-transforms', blacklist: ['lst[].ts', 'x\\.y'] }),
        'expected/out.json': '[{"_id":"a","lst":[{"k":1}],"x":{"y":6},"big":12345678901234567890}]',
      },
      { noLargeIntBugs: true },
    );
    expect(result.specs[0]!.status).toBe('passed');
    expect(node.calls('GET /pipes/:id/entities')[0]!.query.get('stage')).toBe('after-transforms');

    const strict = await verifyIn({
      'expected/out.test.json': JSON.stringify({ ignore_deletes: false, blacklist: ['lst', 'x*'] }),
      'expected/out.json': '[{"_id":"a","big":12345678901234567000}]',
    });
    expect(strict.result.specs[0]!.diff).toMatchObject({
      kind: 'entities',
      unexpected: [{ _id: 'd', _deleted: true }],
      changed: [],
    });
  });

  it('fetches a pipe once for several specs', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a","x":1}]'));
    const { result } = await verifyIn({
      'expected/one.test.json': '{"pipe":"out","file":"out.json"}',
      'expected/two.test.json': '{"pipe":"out","file":"out.json","_id":"second"}',
      'expected/out.json': '[{"_id":"a","x":1}]',
    });
    expect(result.specs.map((s) => [s.id, s.status])).toEqual([
      ['one.test.json', 'passed'],
      ['second', 'passed'],
    ]);
    expect(node.calls('GET /pipes/:id/entities')).toHaveLength(1);
  });
});

describe('verifyProject: other endpoints', () => {
  it('compares csv bytes after enabling the pump, with the spec parameters', async () => {
    node.setConfig([endpointPipe('csv-out')]);
    node.published.set('csv-out/csv', { body: '_id,name\r\ntest1,test1\r\n' });
    const { result } = await verifyIn({
      'expected/csv-out.test.json': '{"endpoint":"csv","file":"csv-out.csv","parameters":{"limit":10}}',
      'expected/csv-out.csv': '_id,name\r\ntest1,test1\r\n',
    });
    expect(result.specs[0]!.status).toBe('passed');
    expect(node.calls('POST /pipes/:id/pump')).toHaveLength(1);
    expect(node.calls('GET /publishers/:id/:endpoint')[0]!.query.get('limit')).toBe('10');
  });

  it('shows a unified diff for differing text', async () => {
    node.setConfig([endpointPipe('csv-out')]);
    node.pipeRuntime.set('csv-out', { 'is-disabled': false });
    node.published.set('csv-out/csv', { body: '_id,name\na,y\n' });
    const { result } = await verifyIn({
      'expected/csv-out.test.json': '{"endpoint":"csv","file":"csv-out.csv"}',
      'expected/csv-out.csv': '_id,name\na,x\n',
    });
    expect(node.calls('POST /pipes/:id/pump')).toHaveLength(0);
    expect(result.specs[0]!.diff).toEqual({
      kind: 'text',
      note: 'content differs',
      unified: '--- expected/csv-out.csv\n+++ current_data.txt\n@@ -1,2 +1,2 @@\n _id,name\n-a,x\n+a,y\n',
    });
  });

  it('compares xml after pretty-printing both sides', async () => {
    node.setConfig([endpointPipe('x', 'xml_endpoint')]);
    node.published.set('x/xml', { body: '<?xml version="1.0"?><root><a>1</a></root>' });
    const same = await verifyIn({
      'expected/x.test.json': '{"endpoint":"xml","file":"x.xml"}',
      'expected/x.xml': "<?xml version='1.0' encoding='utf-8'?>\n<root>\n  <a>1</a>\n</root>\n",
    });
    expect(same.result.specs[0]!.status).toBe('passed');
    const other = await verifyIn({
      'expected/x.test.json': '{"endpoint":"xml","file":"x.xml"}',
      'expected/x.xml': '<root><a>2</a></root>',
    });
    // The expected file has no declaration, the output has one: both show in the diff.
    expect(other.result.specs[0]!.diff).toMatchObject({ kind: 'text', note: 'XML content differs' });
    expect((other.result.specs[0]!.diff as { unified: string }).unified).toContain('-  <a>2</a>\n+  <a>1</a>\n');
  });
});

describe('verifyProject: which pipes and specs', () => {
  it('fails specs of unknown pipes and missing expected files; lists untested pipes; skips ignored specs', async () => {
    node.setConfig([
      outputPipe('out'),
      outputPipe('untested'),
      inputPipe('in'),
      outputPipe('sys', { metadata: { origin: 'system' } }),
    ]);
    const { result } = await verifyIn({
      'expected/out.test.json': '{}',
      'expected/gone.test.json': '{}',
      'expected/gone.json': '[]',
      'expected/in.test.json': '{"ignore": true}',
      'expected/in.json': '[]',
    });
    expect(result.specs.map((s) => [s.pipe, s.status, s.summary])).toEqual([
      ['gone', 'failed', "Test spec references a non-existing output pipe 'gone'"],
      ['in', 'ignored', undefined],
      ['out', 'failed', "Test spec references non-existing 'expected' output file 'expected/out.json'"],
    ]);
    expect(result.missing).toEqual(['untested']);
    expect(result.warnings).toEqual(["pipe 'in' is ignored, but output file 'expected/in.json' still exists"]);
  });

  it('fails the specs of a pipe with invalid config', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeRuntime.set('out', { 'is-valid-config': false, 'config-errors': [{ msg: 'bad DTL' }] });
    const { result } = await verifyIn({ 'expected/out.test.json': '{}', 'expected/out.json': '[]' });
    expect(result.specs[0]!.summary).toBe("The pipe 'out' has invalid config, cannot verify pipe: bad DTL");
    expect(result.warnings).toEqual(["The pipe 'out' has invalid config, cannot verify pipe: bad DTL"]);
  });

  it('passes with a warning when there are no specs', async () => {
    node.setConfig([outputPipe('out')]);
    const { result } = await verifyIn({ 'pipes/x.conf.json': '{}' });
    expect(result).toMatchObject({
      passed: 0,
      failed: 0,
      missing: [],
      warnings: ['Found no tests (*.test.json) to run'],
    });
  });

  it('honours the whitelist and -single', async () => {
    node.setConfig([outputPipe('a'), outputPipe('b')]);
    node.pipeEntities.set('a', []);
    const files = {
      'expected/a.test.json': '{}',
      'expected/a.json': '[]',
      'expected/b.test.json': '{}',
      'whitelist.txt': 'pipes/a.conf.json\n',
    };
    const white = await verifyIn(files, { whitelistFile: 'whitelist.txt' });
    expect(white.result.specs.map((s) => s.pipe)).toEqual(['a']);
    const single = await verifyIn(files, { single: 'a' });
    expect(single.result.specs.map((s) => s.pipe)).toEqual(['a']);
    await expect(verifyIn(files, { single: 'zzz' })).rejects.toMatchObject({ kind: 'usage' });
    node.setConfig([outputPipe('a'), outputPipe('b'), outputPipe('c')]);
    const untested = await verifyIn(files, { single: 'c' });
    expect(untested.result).toMatchObject({ specs: [], missing: ['c'] });
  });

  it('names the expected file of invalid JSON', async () => {
    node.setConfig([outputPipe('out')]);
    await expect(
      verifyIn({ 'expected/out.test.json': '{}', 'expected/out.json': '[\n{"_id": }]' }),
    ).rejects.toMatchObject({
      kind: 'input',
      message: 'Invalid JSON in expected/out.json:2:9',
    });
  });

  it('reads expected/ through any ExpectedFiles (verify --at)', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a"}]'));
    const stored: Record<string, string> = { 'out.test.json': '{}', 'out.json': '[{"_id":"b"}]' };
    const files: ExpectedFiles = {
      list: () => Object.keys(stored),
      read: (n) => (n in stored ? new TextEncoder().encode(stored[n]) : undefined),
      describe: (n) => `expected/${n}@1234abc`,
    };
    const t = makeContext(tempProject({}));
    const result = await verifyProject(t.ctx, fakeApi(node, t.ctx), files);
    expect(result.specs[0]).toMatchObject({
      status: 'failed',
      file: 'expected/out.json@1234abc',
      path: 'expected/out.json',
    });
  });
});

describe('node failures', () => {
  it('are node errors, or untestable with --bisect-exit-codes', async () => {
    node.setConfig([outputPipe('out')]);
    node.fault('GET /pipes/:id/entities', { status: 500 });
    const files = { 'expected/out.test.json': '{}', 'expected/out.json': '[]' };
    await expect(verifyIn(files)).rejects.toMatchObject({ kind: 'node' });
    await expect(verifyIn(files, { bisectExitCodes: true })).rejects.toMatchObject({
      kind: 'untestable',
      message: "Could not test: reading the entities of pipe 'out' failed",
    });
  });
});

describe('printVerifyResult', () => {
  async function failingRun(options = {}) {
    node.setConfig([outputPipe('out'), outputPipe('untested')]);
    node.pipeEntities.set('out', entities('[{"_id":"a","v":2}]'));
    return verifyIn({ 'expected/out.test.json': '{}', 'expected/out.json': '[{"_id":"a","v":1}]' }, options);
  }

  it('prints the report on stdout and annotated errors on stderr', async () => {
    const { t, result } = await failingRun();
    printVerifyResult(t.ctx, result);
    expect(t.stdout()).toBe(
      'FAIL out (expected/out.test.json): expected 1 entity, got 1: 1 changed\n' +
        '     ~ changed "a":\n' +
        '         $.v: 1 → 2\n' +
        'MISS untested: no test spec references this pipe\n' +
        'Verify failed: 1 test (0 passed, 1 failed, 0 ignored); 1 pipe without tests.\n',
    );
    expect(t.stderr()).toBe(
      'Pipe verify failed: out (expected/out.test.json): expected 1 entity, got 1: 1 changed\n' +
        "No tests references pipe 'untested'\n",
    );
  });

  it('writes one JSON document and a JUnit file', async () => {
    const { t, result, dir } = await failingRun({ json: true, junitXml: 'reports/junit.xml' });
    printVerifyResult(t.ctx, result);
    const doc = JSON.parse(t.stdout());
    expect(doc).toMatchObject({ schemaVersion: 1, ok: false, passed: 0, failed: 1, missing: ['untested'] });
    expect(doc.specs[0].diff.changed).toEqual([{ id: 'a', changes: [{ path: '$.v', expected: '1', actual: '2' }] }]);
    const junit = readFileSync(join(dir, 'reports/junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite name="sesam verify" tests="2" failures="2" errors="0" skipped="0">');
    expect(junit).toContain('<testcase name="out.test.json" classname="out" file="expected/out.json">');
  });

  it('emits Azure annotations with the file path', async () => {
    const { result, dir } = await failingRun();
    const t = makeContext(dir, { logformat: 'azure' });
    // makeContext builds a short-format logger; build an azure one through the same context shape.
    const { createLogger } = await import('../../src/log.js');
    let err = '';
    t.ctx.log = createLogger({
      stream: {
        write: (s: string) => {
          err += s;
          return true;
        },
      },
      verbosity: 0,
      color: false,
      format: 'azure',
    });
    printVerifyResult(t.ctx, result);
    expect(err).toContain('##vso[task.logissue type=error;sourcepath=expected/out.json;]Pipe verify failed: out');
    expect(existsSync(join(dir, 'junit.xml'))).toBe(false);
  });
});

describe('sesam verify (through main)', () => {
  it('exits 0 when everything passes, 1 with differences, and writes JUnit', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a"}]'));
    const dir = tempProject({ 'expected/out.test.json': '{}', 'expected/out.json': '[{"_id":"a"}]' });
    const { runMain } = await import('../helpers/run-main.js');
    const ok = await runMain(['verify'], { cwd: dir, env: node.env() });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(
      'PASS out (expected/out.test.json)\nVerify passed: 1 test (1 passed, 0 failed, 0 ignored).\n',
    );

    node.pipeEntities.set('out', entities('[{"_id":"b"}]'));
    const bad = await runMain(['--junit-xml', 'junit.xml', 'verify'], { cwd: dir, env: node.env() });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(
      'FAIL out (expected/out.test.json): expected 1 entity, got 1: 1 missing, 1 unexpected',
    );
    expect(bad.stderr).toContain('Verify failed: 1 test (0 passed, 1 failed, 0 ignored).');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain(
      '<failure message="expected 1 entity, got 1: 1 missing, 1 unexpected">',
    );
  });

  it('prints one JSON document with --json, also on failure', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"b"}]'));
    const dir = tempProject({ 'expected/out.test.json': '{}', 'expected/out.json': '[{"_id":"a"}]' });
    const { runMain } = await import('../helpers/run-main.js');
    const r = await runMain(['verify', '--json'], { cwd: dir, env: node.env() });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      ok: false,
      failed: 1,
      specs: [{ id: 'out.test.json', status: 'failed' }],
    });
  });

  it('exits 3 on a node error, 125 with --bisect-exit-codes', async () => {
    node.setConfig([outputPipe('out')]);
    node.fault('GET /pipes/:id/entities', { status: 500 });
    const dir = tempProject({ 'expected/out.test.json': '{}', 'expected/out.json': '[]' });
    const { runMain } = await import('../helpers/run-main.js');
    expect((await runMain(['verify'], { cwd: dir, env: node.env() })).code).toBe(3);
    expect((await runMain(['verify', '--bisect-exit-codes'], { cwd: dir, env: node.env() })).code).toBe(125);
    node.fault('GET /', { status: 500 });
    expect((await runMain(['verify', '--bisect-exit-codes'], { cwd: dir, env: node.env() })).code).toBe(125);
  });
});

describe('-no-large-int-bugs through main', () => {
  it('compares long integers exactly only when given', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a","n":12345678901234567890}]'));
    const dir = tempProject({
      'expected/out.test.json': '{}',
      'expected/out.json': '[{"_id":"a","n":12345678901234567890}]',
    });
    const { runMain } = await import('../helpers/run-main.js');
    const rounded = await runMain(['verify'], { cwd: dir, env: node.env() });
    expect(rounded.code).toBe(1);
    expect(rounded.stdout).toContain('$.n: 12345678901234567890 → 12345678901234567000');
    expect((await runMain(['verify', '-no-large-int-bugs'], { cwd: dir, env: node.env() })).code).toBe(0);
  });
});

describe('verify --at REV', () => {
  it('compares with expected/ as committed at that revision, not the work tree', async () => {
    const { execFileSync } = await import('node:child_process');
    const { writeFileSync } = await import('node:fs');
    const { runMain } = await import('../helpers/run-main.js');
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a"}]'));
    const dir = tempProject({ 'expected/out.test.json': '{}', 'expected/out.json': '[{"_id":"a"}]' });
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' },
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'expected');
    writeFileSync(join(dir, 'expected/out.json'), '[{"_id":"changed-on-disk"}]');
    const env = { ...node.env(), PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
    expect((await runMain(['verify'], { cwd: dir, env })).code).toBe(1);
    const at = await runMain(['verify', '--at', 'HEAD'], { cwd: dir, env });
    expect(at.code).toBe(0);
    expect(at.stdout).toMatch(/^PASS out \(expected\/out\.test\.json@[0-9a-f]{7,}\)\n/);
  });
});
