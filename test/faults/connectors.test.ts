// Connector faults: a failing expand keeps the previous expansion, odd config coming back from a node is
// collapsed without writing outside the connector, and a collapse that cannot be done changes no template.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempDir, writeTree } from '../helpers/tmp.js';

const tpl = (value: unknown) => JSON.stringify(value, null, 2);

function connector(parameters: Record<string, unknown> = {}): string {
  return writeTree(tempDir('sesam-connector-fault-'), {
    'manifest.json': {
      datatypes: { widget: { template: 'templates/widget.json', parameters } },
      'system-template': 'templates/system.json',
      use_webhook_secret: true,
    },
    'templates/system.json': tpl({ _id: '{{@ system @}}', type: 'system:rest', url_pattern: 'https://x/%s' }),
    'templates/widget.json': tpl({
      _id: '{{@ system @}}-{{@ datatype @}}-collect',
      type: 'pipe',
      source: { type: 'rest', system: '{{@ system @}}', operation: 'list' },
    }),
  });
}

describe('connector faults', () => {
  it('a template that fails to render leaves the previous expansion as it was', async () => {
    const dir = connector();
    expect((await runMain(['expand'], { cwd: dir })).code).toBe(0);
    const before = readTree(join(dir, '.expanded'));
    writeFileSync(join(dir, 'templates/widget.json'), '[{"_id": "{{@ system @}}", "type": "pipe",]');
    const r = await runMain(['expand'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(join(dir, '.expanded'))).toEqual(before);
  });

  it('-e naming a file is refused and the file kept', async () => {
    const dir = connector();
    writeFileSync(join(dir, 'out'), 'keep me');
    const r = await runMain(['-e', 'out', 'expand'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('it is a file');
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('keep me');
  });

  it('config on the node that no template made is collapsed as sesam-py does, inside the connector only', async () => {
    const parent = tempDir('sesam-connector-parent-');
    const dir = join(parent, 'c');
    writeTree(dir, readTree(connector()));
    // Put odd config on the embedded node with a plain (non-connector) upload of the folder's own pipes/.
    writeTree(dir, {
      'pipes/nodash.conf.json': { _id: 'nodash', type: 'pipe', source: { type: 'embedded', entities: [] } },
      'pipes/xxxxxx-widget-event.conf.json': {
        _id: 'xxxxxx-widget-event',
        type: 'pipe',
        source: { type: 'http_endpoint' },
        permissions: [['allow', ['group:Anonymous'], ['write_data']]],
      },
      'systems/xxxxxx.conf.json': { _id: 'xxxxxx', type: 'system:rest', url_pattern: 'https://x/%s' },
      'test-env.json': { 'node-env': 'test' },
    });
    const plain = await runMain(['--node', 'local', '-d', 'not-a-connector', 'upload'], { cwd: dir });
    expect(plain.code, plain.stderr).toBe(0);

    const down = await runMain(['--node', 'local', 'download', '--no-snapshot'], { cwd: dir });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain(
      "Skipping pipes/nodash.conf.json in the collapse: its name has no '-<datatype>-' part.",
    );
    const widget = JSON.parse(readFileSync(join(dir, 'templates/widget.json'), 'utf8'));
    expect(widget).toEqual({
      _id: '{{@ system @}}-{{@ datatype @}}-event',
      source: { type: 'http_endpoint' },
      type: 'pipe',
    });
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).datatypes).toEqual({
      widget: { parameters: {}, template: 'templates/widget.json' },
    });
    expect(Object.keys(readTree(parent)).every((p) => p.startsWith('c/'))).toBe(true);
  });

  it('a collapse that cannot be done (a non-string parameter) fails and changes no template', async () => {
    const dir = connector({ limit: 10 });
    expect((await runMain(['--node', 'local', 'upload'], { cwd: dir })).code).toBe(0);
    const templates = readTree(join(dir, 'templates'));
    const manifest = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const r = await runMain(['--node', 'local', 'download', '--no-snapshot'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot collapse datatype 'widget': its parameter 'limit' is not a string (10).");
    expect(readTree(join(dir, 'templates'))).toEqual(templates);
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(manifest);
    expect(existsSync(join(dir, '.expanded/pipes/xxxxxx-widget-collect.conf.json'))).toBe(true);
  });
});
