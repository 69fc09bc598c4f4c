// connector-init and add-datatype through main(), in temp folders: sesam-py's files, all-or-nothing writes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempDir } from '../helpers/tmp.js';

function connectorFolder(name = 'acme-connector', license = true): { parent: string; dir: string } {
  const parent = tempDir();
  const dir = join(parent, name);
  mkdirSync(dir);
  if (license) writeFileSync(join(parent, 'LICENSE'), 'Apache License 2.0\n');
  return { parent, dir };
}

// Python's json.dump(indent=2, sort_keys=True) of sesam-py's initial oauth2 manifest (no trailing newline).
const OAUTH2_MANIFEST = `{
  "additional_parameters": {},
  "auth": "oauth2",
  "datatypes": {},
  "oauth2": {
    "login_url": "",
    "scopes": [],
    "token_url": ""
  },
  "system-template": "templates/system.json"
}`;

describe('sesam connector-init', () => {
  it('writes the manifest, system template, README and LICENSE of a new oauth2 connector', async () => {
    const { dir } = connectorFolder();
    const r = await runMain(['connector-init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('manifest.json not found, initializing it...');
    const files = readTree(dir);
    expect(files['manifest.json']).toBe(OAUTH2_MANIFEST);
    expect(JSON.parse(files['templates/system.json']!)).toEqual({
      _id: '{{@ system @}}',
      oauth2: {
        access_token: '$SECRET(oauth_access_token)',
        client_id: '$SECRET(oauth_client_id)',
        client_secret: '$SECRET(oauth_client_secret)',
        refresh_token: '$SECRET(oauth_refresh_token)',
        token_url: '{{@ token_url @}}',
      },
      operations: {},
      type: 'system:rest',
      url_pattern: '',
      verify_ssl: true,
    });
    expect(files['README.md']).toMatch(/^# A sesam connector for acme\n/);
    expect(files.LICENSE).toBe('Apache License 2.0\n');
  });

  it("accepts sesam-py's help spelling connector_init, -d and the api_key and jwt schemes", async () => {
    const { parent } = connectorFolder('keyed-connector');
    mkdirSync(join(parent, 'jwt-connector'));
    expect(
      (await runMain(['connector_init', '-d', 'keyed-connector', '--auth', 'api_key'], { cwd: parent })).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(join(parent, 'keyed-connector', 'manifest.json'), 'utf8')).auth).toBe('api_key');
    expect(JSON.parse(readFileSync(join(parent, 'keyed-connector', 'templates/system.json'), 'utf8')).password).toBe(
      '$SECRET(api_key)',
    );
    expect((await runMain(['connector-init', '-d', 'jwt-connector', '--auth', 'jwt'], { cwd: parent })).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(parent, 'jwt-connector', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ auth: 'api_key', auth_variant: 'jwt', jwt: { jwt_header_key: '' } });
  });

  it('refuses a folder not named <name>-connector and an unknown scheme, writing nothing', async () => {
    const { dir } = connectorFolder('acme');
    const r = await runMain(['connector-init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('(<name>-connector)');
    const ok = connectorFolder();
    const bad = await runMain(['connector-init', '--auth', 'saml'], { cwd: ok.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown --auth 'saml'");
    expect(readTree(dir)).toEqual({});
    expect(readTree(ok.dir)).toEqual({});
  });

  it('leaves an existing connector alone and only warns about a missing LICENSE', async () => {
    const { dir } = connectorFolder('acme-connector', false);
    const first = await runMain(['connector-init'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/No LICENSE found/);
    writeFileSync(join(dir, 'manifest.json'), '{"auth": "api_key"}');
    const again = await runMain(['connector-init'], { cwd: dir });
    expect(again.stderr).toContain('manifest.json found, skipping initialization...');
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe('{"auth": "api_key"}');
  });
});

// What sesam-py's add-datatype writes to templates/<name>.json without --share (its json.dump output).
const PLAIN_TEMPLATE = `[
  {
    "_id": "{{@ system @}}-{{@ datatype @}}-all",
    "add_namespaces": false,
    "source": {
      "operation": "{{@ datatype @}}-list",
      "system": "{{@ system @}}",
      "type": "rest"
    },
    "type": "pipe"
  },
  {
    "_id": "{{@ system @}}-{{@ datatype @}}-collect",
    "namespaced_identifiers": false,
    "source": {
      "dataset": "{{@ system @}}-{{@ datatype @}}-all",
      "type": "dataset"
    },
    "transform": [
      {
        "rules": {
          "default": [
            [
              "copy",
              "*"
            ],
            [
              "add",
              "$last-modified",
              [
                "datetime-parse",
                "<FORMATSTRING>",
                "<VALUES>"
              ]
            ]
          ]
        },
        "type": "dtl"
      },
      {
        "properties": {
          "operation_lookup_delete": "{{@ datatype @}}-lookup",
          "primary_key": "id"
        },
        "template": "transform-collect-rest",
        "type": "template"
      }
    ],
    "type": "pipe"
  }
]`;

describe('sesam add-datatype', () => {
  it('writes the template byte for byte as sesam-py does', async () => {
    const { dir } = connectorFolder();
    await runMain(['connector-init'], { cwd: dir });
    expect((await runMain(['add-datatype', 'person'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'templates/person.json'), 'utf8')).toBe(PLAIN_TEMPLATE);
  });

  it('adds templates, manifest entries and system operations for each name', async () => {
    const { dir } = connectorFolder();
    await runMain(['connector-init'], { cwd: dir });
    const r = await runMain(['add-datatype', 'person', '--datatype', 'order', '--share'], { cwd: dir });
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.datatypes).toEqual({
      order: { template: 'templates/order.json' },
      person: { template: 'templates/person.json' },
    });
    const system = JSON.parse(readFileSync(join(dir, 'templates/system.json'), 'utf8'));
    expect(Object.keys(system.operations).sort()).toEqual(
      ['delete', 'insert', 'list', 'lookup', 'update'].flatMap((op) => [`order-${op}`, `person-${op}`]).sort(),
    );
    const person = JSON.parse(readFileSync(join(dir, 'templates/person.json'), 'utf8'));
    expect(person.map((p: { _id: string }) => p._id)).toEqual([
      '{{@ system @}}-{{@ datatype @}}-all',
      '{{@ system @}}-{{@ datatype @}}-collect',
      '{{@ system @}}-{{@ datatype @}}-share',
    ]);
    expect(person[1].exclude_completeness).toBe('{{@ system @}}-{{@ datatype @}}-share');
  });

  it('never overwrites a datatype without --force, and needs a connector and a name', async () => {
    const { dir } = connectorFolder();
    expect((await runMain(['add-datatype', 'person'], { cwd: dir })).stderr).toContain(
      "Run 'sesam connector-init' first",
    );
    await runMain(['connector-init'], { cwd: dir });
    expect((await runMain(['add-datatype'], { cwd: dir })).stderr).toContain('Please provide at least one datatype.');
    await runMain(['add-datatype', 'person'], { cwd: dir });
    writeFileSync(join(dir, 'templates/person.json'), '[]');
    const again = await runMain(['add-datatype', 'person'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("The datatype 'person' is already in manifest.json.");
    expect(readFileSync(join(dir, 'templates/person.json'), 'utf8')).toBe('[]');
    expect((await runMain(['add-datatype', 'person', '--force'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'templates/person.json'), 'utf8')).not.toBe('[]');
    expect(existsSync(join(dir, 'templates/../x'))).toBe(false);
    expect((await runMain(['add-datatype', '../evil'], { cwd: dir })).code).toBe(2);
  });
});
