import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from '../../src/cli/main.js';
import { init, login } from '../../src/commands/init.js';
import { isSesamError } from '../../src/errors.js';
import { formatJson } from '../../src/format/portal.js';
import { makeContext } from '../helpers/msw-verify.js';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempProject } from '../helpers/tmp.js';
import { FAKE_JWT, useFakeNode, useFastTimings } from '../helpers/msw-node.js';

const node = useFakeNode();
useFastTimings();

/** A context with a scripted terminal, for the interactive paths runMain cannot reach. */
function interactiveCtx(cwd: string, argv: string[], answers: string[], env: Record<string, string> = {}) {
  const { options, words } = parseArgs(argv);
  const asked: string[] = [];
  const { ctx, stdout, stderr } = makeContext(cwd, { ...options, verbose: 3 }, env);
  ctx.command = words[0]!;
  ctx.args = words.slice(1);
  ctx.prompt = {
    interactive: true,
    ask: async (q) => {
      asked.push(q);
      return answers.shift() ?? '';
    },
    confirm: async () => true,
  };
  return { ctx, asked, output: () => stdout() + stderr() };
}

const httpPipe = { _id: 'in-http', type: 'pipe', source: { type: 'rest', system: 'api' } };
const conditionalNoTest = {
  _id: 'in-cond',
  type: 'pipe',
  source: { type: 'conditional', condition: '$ENV(node-env)', alternatives: { prod: { type: 'sql', table: 't' } } },
};
const datasetPipe = { _id: 'internal', type: 'pipe', source: { type: 'dataset', dataset: 'in-http' } };
const noSource = { _id: 'odd', type: 'pipe' };

describe('init (conditional test sources)', () => {
  it('wraps input pipes, adds missing test alternatives, leaves dataset pipes alone and skips pipes without a source type', async () => {
    const cwd = tempProject({
      'pipes/in-http.conf.json': formatJson(httpPipe),
      'pipes/in-cond.conf.json': formatJson(conditionalNoTest),
      'pipes/internal.conf.json': formatJson(datasetPipe),
      'pipes/odd.conf.json': formatJson(noSource),
    });
    const r = await runMain(['init'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    const tree = readTree(cwd);
    expect(JSON.parse(tree['pipes/in-http.conf.json']!).source).toEqual({
      type: 'conditional',
      alternatives: { prod: { type: 'rest', system: 'api' }, test: { type: 'embedded', entities: [] } },
      condition: '$ENV(node-env)',
    });
    expect(tree['pipes/in-http.conf.json']).toBe(formatJson(JSON.parse(tree['pipes/in-http.conf.json']!)));
    expect(JSON.parse(tree['pipes/in-cond.conf.json']!).source.alternatives.test).toEqual({
      type: 'embedded',
      entities: [],
    });
    expect(tree['pipes/internal.conf.json']).toBe(formatJson(datasetPipe));
    expect(r.stderr).toContain("Pipe 'odd' (pipes/odd.conf.json) has no source type; skipped.");
    expect(r.stdout).toBe('Successfully added test sources to 2 pipes.\n');
    // Nothing left to do the second time.
    const again = await runMain(['init'], { cwd, env: node.env() });
    expect(again.stdout).toBe(
      'All input pipes already have conditional sources with test alternatives. No test sources were added.\n',
    );
  });

  it('fills test entities from the node with -add-test-entities, and respects -force-add', async () => {
    node.setConfig([{ ...httpPipe, sink: { type: 'dataset', dataset: 'raw-http' } }]);
    node.datasets.set(
      'raw-http',
      Array.from({ length: 12 }, (_, i) => ({ _id: String(i) })),
    );
    const cwd = tempProject({ 'pipes/in-http.conf.json': formatJson(httpPipe) });
    const r = await runMain(['init', '-add-test-entities'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    const pipe = JSON.parse(readFileSync(join(cwd, 'pipes/in-http.conf.json'), 'utf8'));
    expect(pipe.source.alternatives.test.entities).toHaveLength(10);
    expect(node.calls('GET /datasets/:id/entities')[0]!.query.toString()).toBe('history=False&deleted=False&limit=10');
    expect(r.stdout).toBe(
      'Successfully added test sources to 1 pipes.\nSuccessfully added a total of 10 test entities to 1 pipes.\n',
    );

    const kept = await runMain(['init', '-add-test-entities'], { cwd, env: node.env() });
    expect(kept.stderr).toContain("Pipe in-http already has test entities. Re-run with '-force-add'");
    node.datasets.set('raw-http', [{ _id: 'fresh' }]);
    await runMain(['init', '-add-test-entities', '-force-add'], { cwd, env: node.env() });
    expect(
      JSON.parse(readFileSync(join(cwd, 'pipes/in-http.conf.json'), 'utf8')).source.alternatives.test.entities,
    ).toEqual([{ _id: 'fresh' }]);
  });

  it('warns when the pipe is not on the node', async () => {
    const cwd = tempProject({ 'pipes/in-http.conf.json': formatJson(httpPipe) });
    const r = await runMain(['init', '-add-test-entities'], { cwd, env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "Configuration for 'in-http' was not found on the node. Continuing without adding any test entities.",
    );
  });

  it('names the file when a pipe is invalid JSON, and changes nothing', async () => {
    const cwd = tempProject({ 'pipes/in-http.conf.json': formatJson(httpPipe), 'pipes/z.conf.json': '{"_id": ' });
    const before = readTree(cwd);
    const r = await runMain(['init'], { cwd, env: node.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid JSON in pipes/z.conf.json:1:9');
    expect(readTree(cwd)).toEqual(before);
  });

  it('without credentials and no terminal, explains the flags', async () => {
    const r = await runMain(['init'], { cwd: tempProject({}), env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No node and JWT configured, and no terminal to ask for them.');
    expect(r.stderr).toContain('Hint: give --node URL and --jwt TOKEN, set NODE and JWT');
  });
});

describe('login', () => {
  it('asks for node, email and password, stores a private .syncconfig and ignores it in git', async () => {
    const cwd = tempProject({ '.gitignore': 'node_modules' });
    const { ctx, asked, output } = interactiveCtx(
      cwd,
      ['init'],
      [node.baseUrl.replace('https://', '').replace('/api', ''), 'dev@example.com', 'correct horse'],
    );
    await init(ctx);
    expect(asked).toEqual(['Node URL (e.g. datahub-1a2b3c.sesam.cloud)', 'Email', 'Password']);
    const path = join(cwd, '.syncconfig');
    expect(readFileSync(path, 'utf8')).toBe(`node='${node.baseUrl}'\nJWT='${FAKE_JWT}'\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe('node_modules\n.syncconfig\n');
    expect(node.calls('POST /jwt')[0]!.body).toBe('email=dev%40example.com&password=correct+horse');
    expect(output()).toContain(`Stored the node URL and JWT in ${path}`);
    expect(output()).not.toContain(FAKE_JWT);
    expect(output()).not.toContain('correct horse');
    // The stored credentials work.
    expect((await runMain(['stop'], { cwd })).code).toBe(0);
  });

  it('reports a wrong password as a node error without echoing it', async () => {
    const cwd = tempProject({});
    const { ctx, output } = interactiveCtx(
      cwd,
      ['login', '--node', node.baseUrl],
      ['dev@example.com', 'wrong-password-123'],
    );
    const err = await login(ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSesamError(err) && [err.kind, err.message]).toEqual([
      'node',
      'The node rejected the email or password (401).',
    ]);
    expect(output()).not.toContain('wrong-password-123');
  });

  it('stores given --node and --jwt without a terminal, and refuses to ask without one', async () => {
    const cwd = tempProject({});
    writeFileSync(join(cwd, '.gitignore'), '.syncconfig\n');
    const r = await runMain(['login', '--node', 'datahub-x.sesam.cloud', '--jwt', 'Bearer eyJa.b.c-0123456789'], {
      cwd,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(cwd, '.syncconfig'), 'utf8')).toBe(
      "node='https://datahub-x.sesam.cloud/api'\nJWT='eyJa.b.c-0123456789'\n",
    );
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe('.syncconfig\n');
    expect(r.stdout + r.stderr).not.toContain('eyJa.b.c-0123456789');
    const refused = await runMain(['login'], { cwd: tempProject({}) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      "'sesam login' asks for your email and password, and there is no terminal to ask on.",
    );
  });
});
