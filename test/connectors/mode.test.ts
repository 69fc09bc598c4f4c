// Connector mode in-process: validate verdicts on broken connectors (sesam-py's messages), upload/download/status
// on the expanded folder against the embedded node, the authentication step, and expand's refusals.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectLocalNode } from '../../src/local-node/index.js';
import { createLogger } from '../../src/log.js';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempDir, writeTree } from '../helpers/tmp.js';

const tpl = (value: unknown) => JSON.stringify(value, null, 2);

/** A small REST connector the embedded node accepts. */
const silentLogger = () => createLogger({ stream: { write: () => true }, verbosity: 0, color: false });

function widgetConnector(manifestExtra: Record<string, unknown> = {}, root = tempDir('sesam-connector-')): string {
  return writeTree(root, {
    'manifest.json': {
      additional_parameters: { base_url: {} },
      datatypes: { widget: { template: 'templates/widget.json', label: 'Widget' } },
      'system-template': 'templates/system.json',
      ...manifestExtra,
    },
    'templates/system.json': tpl({
      _id: '{{@ system @}}',
      type: 'system:rest',
      url_pattern: '{{@ base_url @}}/%s',
      operations: { 'widget-list': { method: 'GET', url: 'widgets' } },
    }),
    'templates/widget.json': tpl([
      {
        _id: '{{@ system @}}-{{@ datatype @}}-all',
        type: 'pipe',
        source: { type: 'rest', system: '{{@ system @}}', operation: '{{@ datatype @}}-list' },
      },
      {
        _id: '{{@ system @}}-{{@ datatype @}}-collect',
        type: 'pipe',
        source: { type: 'dataset', dataset: '{{@ system @}}-{{@ datatype @}}-all' },
      },
    ]),
  });
}

const local = ['--node', 'local'];

describe('validate in a connector', () => {
  it("reports each of sesam-py's connector checks with its message and fails", async () => {
    const collectRest = (properties: unknown) => ({
      type: 'template',
      template: 'transform-collect-rest',
      ...(properties === undefined ? {} : { properties }),
    });
    const pipe = (role: string, extra: Record<string, unknown> = {}) => ({
      _id: `{{@ system @}}-{{@ datatype @}}-${role}`,
      type: 'pipe',
      source: { type: 'dataset', dataset: 'x' },
      ...extra,
    });
    const dir = writeTree(tempDir(), {
      'manifest.json': {
        datatypes: {
          widget: { template: 'templates/widget.json' },
          gadget: { template: 'templates/gadget.json' },
          gizmo: { template: 'templates/gizmo.json' },
          doohickey: { template: 'templates/doohickey.json' },
          thing: { template: 'templates/thing.json' },
        },
      },
      'templates/widget.json': tpl([
        pipe('all', { sink: { dataset: 'named' }, description: 'WARNING: hand-edited' }),
        pipe('collect'),
        pipe('share', { transform: { type: 'template', template: 'transform-share-rest' } }),
      ]),
      'templates/gadget.json': tpl([pipe('collect', { transform: [collectRest({ share_dataset: 's' })] })]),
      'templates/gizmo.json': tpl([pipe('collect', { exclude_completeness: [], transform: [collectRest({})] })]),
      'templates/doohickey.json': tpl([
        pipe('collect', { exclude_completeness: [], transform: [collectRest({ primary_key: 'id' })] }),
      ]),
      'templates/thing.json': tpl([
        pipe('collect', { exclude_completeness: ['y'], transform: [collectRest({ share_dataset: 'x' })] }),
      ]),
    });
    const r = await runMain(['validate'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    // Our own checks (dataset 'x' is written by no pipe) come on lines of their own, naming the expanded file.
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('.expanded/'));
    expect(lines).toEqual([
      'Validating config files',
      '[!] Sink.dataset should not have a value in templates/widget.json. Please remove the value to continue.',
      "Config file '/pipes/xxxxxx-doohickey-collect.conf.json' is missing 'share_dataset' property in 'properties'",
      "Config file '/pipes/xxxxxx-gadget-collect.conf.json' is missing 'exclude_completeness' property",
      "Config file '/pipes/xxxxxx-gizmo-collect.conf.json' is missing 'properties' property",
      "Config file '/pipes/xxxxxx-thing-collect.conf.json' is missing 'x' in 'exclude_completeness'",
      "Config file '/pipes/xxxxxx-widget-all.conf.json' has a WARNING in the description.",
      "Config file '/pipes/xxxxxx-widget-collect.conf.json' has a corresponding share pipe but is missing the 'transform-collect-rest' transform",
      "Config file 'xxxxxx-widget-share.conf.json' is missing 'batch_size' property with value: 1",
      'One or more config files are not valid. Check the log for more information',
    ]);
    const json = await runMain(['validate', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, connectorErrors: expect.any(Array) });
    expect(JSON.parse(json.stdout).connectorErrors).toHaveLength(8);
  });

  it('counts our own project checks too, outside the generated transform pipes', async () => {
    const dir = widgetConnector();
    writeTree(dir, {
      'templates/widget.json': tpl({
        _id: '{{@ system @}}-{{@ datatype @}}-collect',
        type: 'pipe',
        source: { type: 'rest', system: 'no-such-system', operation: 'list' },
      }),
    });
    const r = await runMain(['validate'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\.expanded\/pipes\/xxxxxx-widget-collect\.conf\.json.*no-such-system/);
    expect(r.stderr).toContain('One or more config files are not valid');
  });

  it('an upload of an invalid connector stops before any node is contacted', async () => {
    const dir = widgetConnector();
    writeTree(dir, {
      'templates/widget.json': tpl([
        {
          _id: '{{@ system @}}-{{@ datatype @}}-all',
          type: 'pipe',
          source: { type: 'embedded' },
          sink: { dataset: 'd' },
        },
      ]),
    });
    const r = await runMain(['upload'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[!] Sink.dataset should not have a value in templates/widget.json.');
    expect(r.stderr).toContain('The expanded connector configuration is not valid (1 problem).');
    expect(existsSync(join(dir, '.sesam'))).toBe(false);
  });
});

describe('upload, download and status in a connector (embedded node)', () => {
  it('upload sends the expanded config; download writes it back and collapses; status compares .expanded', async () => {
    const dir = widgetConnector();
    const up = await runMain([...local, 'upload'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toBe('Config uploaded successfully: 3 pipes, 1 systems.\n');
    expect(up.stderr).toContain('All config files are valid');

    const before = readTree(dir);
    const down = await runMain([...local, 'download', '--no-snapshot'], { cwd: dir });
    expect(down.code, down.stderr).toBe(0);
    // The node's copy lands in .expanded (portal format) and is collapsed into templates.
    expect(readFileSync(join(dir, '.expanded/pipes/xxxxxx-widget-all.conf.json'), 'utf8')).toMatch(/\n$/);
    const after = readTree(dir);
    expect(Object.keys(after).filter((p) => !p.startsWith('.expanded/') && !p.startsWith('.sesam/'))).toEqual(
      Object.keys(before).filter((p) => !p.startsWith('.expanded/') && !p.startsWith('.sesam/')),
    );
    expect(JSON.parse(after['templates/widget.json']!)).toEqual(JSON.parse(before['templates/widget.json']!));
    expect(after['templates/widget.json']).not.toMatch(/\n$/);

    const status = await runMain([...local, 'status'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Sesam config is up-to-date with local config!');
  });

  it("the env uploaded is the expanded profile file overridden by the connector's .additional_parameters.json", async () => {
    const dir = widgetConnector();
    writeTree(dir, { '.additional_parameters.json': { base_url: 'https://api.example.org' } });
    const up = await runMain([...local, 'upload'], { cwd: dir });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain("Value for parameter 'base_url' set in test-env.json will be replaced");
    expect((await runMain([...local, 'download', '--no-snapshot'], { cwd: dir })).code).toBe(0);
    const env = JSON.parse(readFileSync(join(dir, '.expanded/test-env.json'), 'utf8').replace(/^\uFEFF/, ''));
    expect(env).toEqual({ base_url: 'https://api.example.org', 'node-env': 'test' });
  });

  it('-d names the connector folder from its parent', async () => {
    const parent = tempDir();
    const dir = widgetConnector({}, join(parent, 'widget-connector'));
    const up = await runMain([...local, '-d', 'widget-connector', 'upload'], { cwd: parent });
    expect(up.code, up.stderr).toBe(0);
    expect(existsSync(join(dir, '.expanded/pipes/xxxxxx-widget-all.conf.json'))).toBe(true);
    const down = await runMain([...local, '-d', 'widget-connector', 'download', '--no-snapshot'], { cwd: parent });
    expect(down.code, down.stderr).toBe(0);
    expect(existsSync(join(parent, 'templates'))).toBe(false);
  });

  it('download creates a missing expanded folder with sesam-py’s warning', async () => {
    const dir = widgetConnector();
    expect((await runMain([...local, 'upload'], { cwd: dir })).code).toBe(0);
    const down = await runMain([...local, '-e', 'out', 'download', '--no-snapshot'], { cwd: dir });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain("Expanded directory 'out' does not exist. creating the directory.");
    expect(existsSync(join(dir, 'out/pipes/xxxxxx-widget-collect.conf.json'))).toBe(true);
  });

  it('status without an expanded folder is an input error', async () => {
    const r = await runMain([...local, 'status'], { cwd: widgetConnector() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'expanded directory not found. Please upload the configs first or check the input args.',
    );
  });

  it("the authentication step: none for no auth or api_key without .authconfig, the manifest's flow otherwise", async () => {
    for (const manifest of [{}, { auth: 'api_key' }]) {
      const r = await runMain([...local, 'upload'], { cwd: widgetConnector(manifest) });
      expect(r.code, r.stderr).toBe(0);
    }
    const keyed = widgetConnector({ auth: 'api_key' });
    writeTree(keyed, { '.authconfig': 'api_key=secret-key\n' });
    const stored = await runMain([...local, 'upload'], { cwd: keyed });
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stderr).toContain('Config uploaded successfully');
    expect(stored.stderr).toContain('now go and do your development!');
    expect(stored.stderr).not.toContain('secret-key');
    const node = await connectLocalNode({ projectDir: keyed, log: silentLogger() });
    expect(node.engine.getSystemSecretNames('xxxxxx')).toEqual(['api_key']);
    await node.close();
    for (const [manifest, message] of [
      [{ auth: 'oauth2', oauth2: {} }, 'Missing client_id and/or client_secret.'],
      [{ auth: 'api_key', auth_variant: 'Tripletex' }, 'Missing consumer_token and/or employee_token.'],
    ] as const) {
      const dir = widgetConnector(manifest);
      const r = await runMain([...local, 'upload'], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Config uploaded successfully');
      const skipped = await runMain([...local, 'upload', '-skip-auth'], { cwd: dir });
      expect(skipped.code, skipped.stderr).toBe(0);
    }
  });
});

describe('expand refusals', () => {
  it('no manifest, a missing template, a template that is not JSON after rendering', async () => {
    const none = await runMain(['expand'], { cwd: tempDir() });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('No manifest.json in');

    const missing = widgetConnector({ datatypes: { widget: { template: 'templates/nope.json' } } });
    const r1 = await runMain(['expand'], { cwd: missing });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain("Template 'templates/nope.json' not found in the connector folder.");

    const broken = widgetConnector();
    writeTree(broken, { 'templates/widget.json': '{"_id": "{{@ system @}}", "type": "pipe", {{@ datatype @}} }' });
    const r2 = await runMain(['expand'], { cwd: broken });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("Template 'templates/widget.json' (datatype 'widget') did not render to valid JSON.");
    expect(r2.stderr).toMatch(/Reason: .*rendered line 1: \{"_id": "xxxxxx", "type": "pipe", widget \}/);
  });

  it('never replaces a folder that holds the connector or its templates', async () => {
    const dir = widgetConnector();
    for (const e of ['.', 'templates', '..']) {
      const r = await runMain(['-e', e, 'expand'], { cwd: dir });
      expect(r.code, e).toBe(2);
      expect(r.stderr).toContain('Refusing to expand into');
    }
    expect(existsSync(join(dir, 'templates/widget.json'))).toBe(true);
    const profile = await runMain(['-profile', '../../evil', 'expand'], { cwd: dir });
    expect(profile.code).toBe(2);
    expect(profile.stderr).toContain('would be written outside the expanded folder');
  });

  it('a template path may not leave the connector folder', async () => {
    const dir = widgetConnector({ datatypes: { widget: { template: '../templates/widget.json' } } });
    const r = await runMain(['expand'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('leaves the folder');
  });

  it('a component _id that is not a plain file name is refused', async () => {
    const dir = widgetConnector();
    writeTree(dir, {
      'templates/widget.json': tpl({ _id: '../../escape', type: 'pipe', source: { type: 'embedded' } }),
    });
    const r = await runMain(['expand'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('A rendered component (\'../../escape\') has an "_id" that cannot be a file name.');
    expect(existsSync(join(dir, '.expanded'))).toBe(false);
  });
});
