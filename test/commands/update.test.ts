import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planUpdate } from '../../src/commands/update.js';
import { isJsonObject, parseJson, type JsonValue } from '../../src/format/json.js';
import { applyFileChanges } from '../../src/workspace/files.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { endpointPipe, fakeApi, inputPipe, makeContext, outputPipe } from '../helpers/msw-verify.js';
import { readTree, tempProject } from '../helpers/tmp.js';

const node = useFakeNode();
const entities = (text: string) => parseJson(text) as JsonValue[];

async function updateIn(files: Record<string, string | object>, options = {}) {
  const dir = tempProject(files);
  const t = makeContext(dir, options);
  const plan = await planUpdate(t.ctx, fakeApi(node, t.ctx));
  applyFileChanges(dir, plan.changes);
  return { dir, t, plan, tree: readTree(dir) };
}

describe('update writes expected files in sesam-py format', () => {
  it('filters, fixes, drops deletes, sorts and html-escapes', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set(
      'out',
      entities(
        '[{"_id":"b","v":2.0,"_ts":1,"html":"<a&b>","big":12345678901234567890},{"_id":"gone","_deleted":true},{"_id":"a","f":1.5,"n":[1,{"_x":1,"y":"æ"}]}]',
      ),
    );
    const { tree, plan } = await updateIn({ 'expected/out.test.json': '{}' });
    expect(tree['expected/out.json']).toBe(
      '[\n  {\n    "_id": "a",\n    "f": 1.5,\n    "n": [\n      1,\n      {\n        "y": "æ"\n      }\n    ]\n  },\n' +
        '  {\n    "_id": "b",\n    "big": 12345678901234567000,\n    "html": "\\u003ca\\u0026b\\u003e",\n    "v": 2\n  }\n]\n',
    );
    expect(plan).toMatchObject({ updated: 1, created: ['expected/out.json'], changed: [], removed: [] });
  });

  it('honours -unicode-encoding, -disable-json-html-escape, -no-large-int-bugs and ignore_deletes false', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set(
      'out',
      entities('[{"_id":"a","s":"æ<","big":12345678901234567890},{"_id":"d","_deleted":true}]'),
    );
    const { tree } = await updateIn(
      { 'expected/out.test.json': '{"ignore_deletes": false}' },
      { unicodeEncoding: true, disableJsonHtmlEscape: true, noLargeIntBugs: true },
    );
    expect(tree['expected/out.json']).toBe(
      '[\n  {\n    "_id": "a",\n    "big": 12345678901234567890,\n    "s": "\\u00e6<"\n  },\n  {\n    "_deleted": true,\n    "_id": "d"\n  }\n]\n',
    );
  });

  it('creates {\\n} specs for untested pipes (and expected/), removes specs of gone pipes and ignored expected files', async () => {
    node.setConfig([outputPipe('new-pipe'), outputPipe('kept'), inputPipe('in')]);
    node.pipeEntities.set('new-pipe', entities('[{"_id":"x"}]'));
    const first = await updateIn({ 'pipes/x.conf.json': '{}' });
    expect(first.tree['expected/new-pipe.test.json']).toBe('{\n}');
    expect(first.tree['expected/new-pipe.json']).toBe('[\n  {\n    "_id": "x"\n  }\n]\n');
    expect(first.tree['expected/kept.json']).toBe('[]\n');

    const second = await updateIn({
      'expected/kept.test.json': '{"ignore": true}',
      'expected/kept.json': '[]\n',
      'expected/new-pipe.test.json': '{\n}',
      'expected/gone.test.json': '{}',
      'expected/gone-ignored.test.json': '{"ignore": true}',
    });
    expect(Object.keys(second.tree).sort()).toEqual([
      'expected/gone-ignored.test.json',
      'expected/kept.test.json',
      'expected/new-pipe.json',
      'expected/new-pipe.test.json',
    ]);
    expect(second.plan.removed).toEqual(['expected/gone.test.json', 'expected/kept.json']);
    expect(second.t.stderr()).toContain(
      "Test spec 'expected/gone-ignored.test.json' references a non-existing output pipe 'gone-ignored' but is marked as 'ignore'",
    );
  });

  it('writes xml pretty-printed and other endpoints raw; reports only real changes', async () => {
    node.setConfig([endpointPipe('x', 'xml_endpoint'), endpointPipe('c')]);
    node.published.set('x/xml', { body: '<?xml version="1.0"?><r><a>1</a></r>' });
    node.published.set('c/csv', { body: 'a,b\r\n1,2\r\n' });
    const files = {
      'expected/x.test.json': '{"endpoint":"xml","file":"x.xml"}',
      'expected/c.test.json': '{"endpoint":"csv","file":"c.csv"}',
      'expected/c.csv': 'a,b\r\n1,2\r\n',
    };
    const { tree, plan } = await updateIn(files);
    expect(tree['expected/x.xml']).toBe("<?xml version='1.0' encoding='utf-8'?>\n<r>\n  <a>1</a>\n</r>\n");
    expect(plan).toMatchObject({ updated: 2, created: ['expected/x.xml'], changed: [] });
  });

  it('fails loudly, changing nothing, when the node xml is not well-formed', async () => {
    node.setConfig([endpointPipe('x', 'xml_endpoint')]);
    node.published.set('x/xml', { body: '<r><a></r>' });
    const dir = tempProject({ 'expected/x.test.json': '{"endpoint":"xml","file":"x.xml"}' });
    const t = makeContext(dir);
    await expect(planUpdate(t.ctx, fakeApi(node, t.ctx))).rejects.toMatchObject({
      kind: 'node',
      message: expect.stringContaining("The xml output of pipe 'x' is not well-formed XML"),
    });
    expect(readdirSync(join(dir, 'expected'))).toEqual(['x.test.json']);
  });

  it('updates only whitelisted or -single pipes', async () => {
    node.setConfig([outputPipe('a'), outputPipe('b')]);
    const { tree } = await updateIn({ 'whitelist.txt': 'pipes/a.conf.json' }, { whitelistFile: 'whitelist.txt' });
    expect(
      Object.keys(tree)
        .filter((p) => p.startsWith('expected/'))
        .sort(),
    ).toEqual(['expected/a.json', 'expected/a.test.json']);
    const single = await updateIn({}, { single: 'b' });
    expect(Object.keys(single.tree).sort()).toEqual(['expected/b.json', 'expected/b.test.json']);
  });

  it('fails when there is nothing to update', async () => {
    node.setConfig([inputPipe('in')]);
    const dir = tempProject({});
    const t = makeContext(dir);
    await expect(planUpdate(t.ctx, fakeApi(node, t.ctx))).rejects.toMatchObject({
      kind: 'input',
      message: 'Found no tests (*.test.json) to update',
    });
  });
});

// sesam-py's own test project: its expected files are real node output written by sesam-py's update.
const FAIR = resolve(__dirname, '../../../shared/fixtures/sesam-py/fair_weather_test');

describe('conformance with sesam-py fixtures', () => {
  it.skipIf(!existsSync(FAIR))(
    'rewrites fair_weather_test/expected byte-identically (skipped without ../shared/fixtures)',
    async () => {
      const expectedDir = join(FAIR, 'expected');
      const original: Record<string, string> = {};
      for (const name of readdirSync(expectedDir))
        original[`expected/${name}`] = readFileSync(join(expectedDir, name), 'utf8');
      node.setConfig([outputPipe('output-pipe1'), endpointPipe('output-pipe-csv')]);
      // What the node would serve: the same entities, shuffled and with internal properties.
      const served = (parseJson(original['expected/output-pipe1.json']!) as JsonValue[])
        .map((e) => (isJsonObject(e) ? { ...e, _updated: 1, _hash: 'h' } : e))
        .reverse();
      node.pipeEntities.set('output-pipe1', served);
      node.published.set('output-pipe-csv/csv', { body: readFileSync(join(expectedDir, 'output-pipe-csv.csv')) });
      const { tree, plan } = await updateIn(original);
      for (const [path, text] of Object.entries(original)) expect(tree[path], path).toBe(text);
      expect(plan).toMatchObject({ updated: 2, created: [], changed: [], removed: [] });
    },
  );
});

describe('sesam update (through main)', () => {
  it('writes, reports the changed files and records a snapshot unless --no-snapshot', async () => {
    const { execFileSync } = await import('node:child_process');
    const { runMain } = await import('../helpers/run-main.js');
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', entities('[{"_id":"a"}]'));
    const dir = tempProject({
      'expected/out.test.json': '{}',
      'pipes/out.conf.json': '{"_id": "out", "type": "pipe"}\n',
    });
    execFileSync('git', ['init', '-q', dir]);
    const env = { ...node.env(), PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };

    const first = await runMain(['update', '--no-snapshot'], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('created expected/out.json\n1 tests updated\n');
    const refs = () => execFileSync('git', ['-C', dir, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' });
    expect(refs()).toBe('');

    node.pipeEntities.set('out', entities('[{"_id":"a","v":1}]'));
    const second = await runMain(['update'], { cwd: dir, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('updated expected/out.json\n1 tests updated\n');
    expect(refs()).toContain('refs/heads/sesam-snapshots/');
    expect(readFileSync(join(dir, 'expected/out.json'), 'utf8')).toBe('[\n  {\n    "_id": "a",\n    "v": 1\n  }\n]\n');

    const json = await runMain(['update', '--json', '--no-snapshot'], { cwd: dir, env });
    expect(JSON.parse(json.stdout)).toEqual({
      schemaVersion: 1,
      ok: true,
      updated: 1,
      created: [],
      changed: [],
      removed: [],
      snapshot: null,
    });
  });
});
