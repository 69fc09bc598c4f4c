// `sesam update-schemas` with the built CLI against `sesam serve`: inference switched on in the node metadata, the
// collect pipe run, and the schema files written from the entity types the node inferred.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connector, nodeCall, type ServedNode, startNode, stopNode } from '../connectors/harness.js';
import { DUMMY_JWT, hasBuild, sesam } from '../e2e/cli.js';

const people = [
  { _id: '1', name: 'Ada', born: '~t1815-12-10T00:00:00Z', salary: '~f10.5', nickname: null, tags: ['a'] },
  { _id: '2', name: 'Bob', born: '~t1990-01-01T00:00:00Z', salary: 7, nickname: null, tags: [] },
];

describe.skipIf(!hasBuild)('sesam update-schemas', () => {
  let node: ServedNode;
  beforeAll(async () => {
    node = await startNode();
    await nodeCall(node, 'PUT', '/config', [
      { _id: 'xxxxxx', type: 'system:rest', url_pattern: 'https://api.example/%s' },
      // The list pipe stands in for the REST source the embedded node cannot reach.
      { _id: 'xxxxxx-person-all', type: 'pipe', source: { type: 'embedded', entities: people } },
      {
        _id: 'xxxxxx-person-collect',
        type: 'pipe',
        source: { type: 'dataset', dataset: 'xxxxxx-person-all' },
        transform: { type: 'dtl', rules: { default: [['copy', '*']] } },
      },
    ]);
    await nodeCall(node, 'POST', '/pipes/xxxxxx-person-all/pump', { operation: 'start' });
  });
  afterAll(() => stopNode(node));

  it('writes the null-typed properties, the merged schema and schema.csv, and turns inference on', async () => {
    const dir = connector({
      'manifest.json': { system: 'acme', datatypes: { person: { template: 'templates/person.json' }, order: {} } },
    });
    const r = await sesam(['update-schemas', '--node', node.url, '--jwt', DUMMY_JWT], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("Running pipe 'xxxxxx-person-collect'");
    expect(r.stderr).toContain("Expected to find collect pipe 'xxxxxx-order-collect' in subscription");
    expect(r.stderr).toContain('Writing incomplete schema with 1 null-properties to schemas/person.json');
    expect(r.stderr).toContain("Wrote updated connector schema to 'schema.csv'");
    const metadata = (await nodeCall(node, 'GET', '/metadata')) as { config: { effective: object } };
    expect(metadata.config.effective).toMatchObject({ global_defaults: { infer_pipe_entity_types: true } });

    const incomplete = JSON.parse(readFileSync(join(dir, 'schemas/person.json'), 'utf8'));
    expect(incomplete.properties).toEqual({ nickname: { description: '', type: null } });
    const merged = JSON.parse(readFileSync(join(dir, 'schemas/person.merged.json'), 'utf8'));
    expect(merged.properties.born).toEqual({ subtype: 'datetime', type: 'string' });
    expect(merged.properties.salary).toEqual({ anyOf: [{ type: 'integer' }, { subtype: 'decimal', type: 'string' }] });
    expect(readFileSync(join(dir, 'schema.csv'), 'utf8').split('\n')).toEqual([
      '"System","Type","Name","SubName","Datatype","Description"',
      '"acme","person","_id","","string",""',
      '"acme","person","born","","datetime",""',
      '"acme","person","name","","string",""',
      // As sesam-py: the hand-fillable copy (type None) is merged back until a person types it.
      '"acme","person","nickname","","None",""',
      '"acme","person","salary","","decimal",""',
      '"acme","person","tags","","array",""',
      '',
    ]);

    // A person types the null property by hand; the next run keeps that file and merges it.
    writeFileSync(
      join(dir, 'schemas/person.json'),
      JSON.stringify({ properties: { nickname: { type: 'string', description: 'What friends say' } } }),
    );
    const again = await sesam(['update-schemas', '--node', node.url, '--jwt', DUMMY_JWT], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('Writing incomplete schema');
    expect(readFileSync(join(dir, 'schema.csv'), 'utf8')).toContain(
      '"acme","person","nickname","","string","What friends say"',
    );
  });
});
