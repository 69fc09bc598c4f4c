import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, type JsonValue } from '../../src/format/json.js';
import { publicNodeUrl } from '../../src/report/last-results.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { outputPipe, outputPipeProject } from '../helpers/msw-verify.js';
import { runMain } from '../helpers/run-main.js';

const node = useFakeNode();

const project = () => outputPipeProject('[{"_id":"a","v":1}]');

const lastResults = (dir: string) => JSON.parse(readFileSync(join(dir, '.sesam/last-results.json'), 'utf8'));

describe('.sesam/last-results.json', () => {
  it('holds exactly the --json document of verify, plus when, which command and which node', async () => {
    node.setConfig([outputPipe('out')]);
    node.pipeEntities.set('out', parseJson('[{"_id":"a","v":2}]') as JsonValue[]);
    const dir = project();
    const r = await runMain(['verify', '--json'], { cwd: dir, env: node.env() });
    expect(r.code).toBe(1);
    const printed = JSON.parse(r.stdout);
    const { generatedAt, command, node: nodeUrl, ...rest } = lastResults(dir);
    expect(rest).toEqual(printed);
    expect(command).toBe('verify');
    expect(nodeUrl).toBe(publicNodeUrl(node.baseUrl));
    expect(Number.isNaN(Date.parse(generatedAt))).toBe(false);
    expect(rest.specs[0].diff.changed[0].changes).toEqual([{ path: '$.v', expected: '1', actual: '2' }]);
  });

  it('is written without --json too, by test (with runs and seconds), and never holds the JWT', async () => {
    node.pipeEntities.set('out', parseJson(`[{"_id":"a","v":1,"echo":"${node.jwt}"}]`) as JsonValue[]);
    const dir = project();
    const r = await runMain(['test', '--html-report', 'report.html'], { cwd: dir, env: node.env() });
    expect(r.code).toBe(1);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<title>sesam test: failed</title>');
    expect(html).toContain('1 run(s)');
    expect(html).not.toContain(node.jwt);
    const text = readFileSync(join(dir, '.sesam/last-results.json'), 'utf8');
    expect(text).not.toContain(node.jwt);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ schemaVersion: 1, ok: false, command: 'test', runs: 1, failed: 1 });
    expect(doc.pipeFailures).toBeUndefined();
  });

  it('records the failed pipe of a test whose run failed', async () => {
    node.runResult = { status: 'failed', additional_info: 'out: boom' };
    const dir = project();
    const r = await runMain(['test'], { cwd: dir, env: node.env() });
    expect(r.code).toBe(3);
    expect(lastResults(dir)).toMatchObject({
      ok: false,
      command: 'test',
      specs: [],
      pipeFailures: [{ pipe: 'out', reason: 'out: boom' }],
    });
  });

  it('is not left behind by a command that never reached the node', async () => {
    const dir = project();
    expect((await runMain(['verify'], { cwd: dir, env: {} })).code).toBe(2);
    expect(existsSync(join(dir, '.sesam/last-results.json'))).toBe(false);
  });

  it('names the node without credentials', () => {
    expect(publicNodeUrl('https://user:secret@datahub-1.sesam.cloud/api?token=x#y')).toBe(
      'https://datahub-1.sesam.cloud/api',
    );
    expect(publicNodeUrl('local')).toBe('local');
  });
});
