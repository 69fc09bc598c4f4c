import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../src/workspace/zip.js';
import { HAVE_FIXTURES, SESAM_PY, SKIP_REASON } from '../format/fixtures.js';
import { readTree, tempDir, tempProject } from '../helpers/tmp.js';
import { runMain } from '../helpers/run-main.js';

const conditional = (id: string, profile: string, entities: unknown[]) =>
  JSON.stringify({
    _id: id,
    type: 'pipe',
    source: {
      type: 'conditional',
      alternatives: { prod: { type: 'dataset', dataset: 'x' }, [profile]: { type: 'embedded', entities } },
      condition: '$ENV(node-env)',
    },
  });

describe('sesam convert', () => {
  it('moves embedded test entities to testdata/ and leaves other files byte-identical', async () => {
    const untouched = '{"_id":"plain","type":"pipe","source":{"type":"http_endpoint"}}';
    const root = tempProject({
      'pipes/a.conf.json': conditional('A', 'test', [{ name: 'one', _id: '1' }]),
      'pipes/prod-only.conf.json': conditional('prodonly', 'dev', [{ _id: '2' }]),
      'pipes/plain.conf.json': untouched,
      'test-env.json': '{"node-env": "test"}',
    });
    const result = await runMain(['convert'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('pipes/a.conf.json: 1 entity -> testdata/A.json\nConverted 1 pipe\n');
    expect(result.stderr).toContain('Successfully converted pipes and created testdata folder');
    const tree = readTree(root);
    expect(tree['testdata/A.json']).toBe('[{\n  "_id": "1",\n  "name": "one"\n}]\n');
    expect(tree['pipes/a.conf.json']).toContain('"test": {\n        "type": "http_endpoint"\n      }');
    expect(tree['pipes/plain.conf.json']).toBe(untouched);
    expect(tree['pipes/prod-only.conf.json']).toBe(conditional('prodonly', 'dev', [{ _id: '2' }]));
  });

  it('uses -profile to pick the alternative, and reports --json', async () => {
    const root = tempProject({ 'pipes/b.conf.json': conditional('b', 'dev', [{ _id: '2' }, { _id: '3' }]) });
    const result = await runMain(['convert', '-profile', 'dev', '--json'], { cwd: root });
    expect(JSON.parse(result.stdout)).toEqual({
      schemaVersion: 1,
      ok: true,
      profile: 'dev',
      converted: [{ pipe: 'b', file: 'pipes/b.conf.json', testdata: 'testdata/b.json', entities: 2 }],
    });
    expect(readTree(root)['testdata/b.json']).toBe('[{\n  "_id": "2"\n}, {\n  "_id": "3"\n}]\n');
  });

  it('says when there is nothing to convert', async () => {
    const root = tempProject({ 'pipes/plain.conf.json': '{"_id":"plain","type":"pipe"}' });
    const result = await runMain(['convert'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No pipe has a conditional source with an embedded 'test' alternative");
    expect(Object.keys(readTree(root))).toEqual(['pipes/plain.conf.json']);
  });

  it('changes nothing when a pipe file is invalid JSON', async () => {
    const root = tempProject({
      'pipes/a.conf.json': conditional('a', 'test', [{ _id: '1' }]),
      'pipes/z.conf.json': '{"_id": "z",',
    });
    const before = readTree(root);
    const result = await runMain(['convert'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid JSON in pipes/z.conf.json:1:13');
    expect(readTree(root)).toEqual(before);
  });

  it('refuses two pipes that would write the same testdata file', async () => {
    const root = tempProject({
      'pipes/a.conf.json': conditional('same', 'test', []),
      'pipes/b.conf.json': conditional('same', 'test', []),
    });
    const result = await runMain(['convert'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pipes/b.conf.json: pipe _id 'same' is also the _id in pipes/a.conf.json");
    expect(Object.keys(readTree(root)).sort()).toEqual(['pipes/a.conf.json', 'pipes/b.conf.json']);
  });

  it('-dump writes the config zip of the unconverted config first', async () => {
    const original = conditional('a', 'test', [{ _id: '1' }]);
    const root = tempProject({ 'pipes/a.conf.json': original });
    expect((await runMain(['convert', '-dump'], { cwd: root })).code).toBe(0);
    const zip = readZip(readFileSync(join(root, 'sesam-config.zip')));
    expect(new TextDecoder().decode(zip.get('pipes/a.conf.json'))).toBe(original);
  });
});

describe.skipIf(!HAVE_FIXTURES)(
  `sesam convert on sesam-py's embedded_conversion_test${HAVE_FIXTURES ? '' : ` (${SKIP_REASON})`}`,
  () => {
    it('produces exactly the expected_after tree', async () => {
      const root = tempDir();
      cpSync(join(SESAM_PY, 'embedded_conversion_test-before'), root, { recursive: true });
      const result = await runMain(['convert', '-profile', 'test'], { cwd: root });
      expect(result.code).toBe(0);
      const after = readTree(join(SESAM_PY, 'embedded_conversion_test-expected_after'));
      const got = readTree(root);
      const compared = (tree: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(tree).filter(
            ([path]) =>
              /^(pipes|testdata|systems|expected)\//.test(path) ||
              path === 'node-metadata.conf.json' ||
              path === 'test-env.json',
          ),
        );
      expect(compared(got)).toEqual(compared(after));
      expect(
        Object.keys(compared(got))
          .filter((p) => p.startsWith('testdata/'))
          .sort(),
      ).toEqual([
        'testdata/Input-Pipe-3.json',
        'testdata/input-pipe-1.json',
        'testdata/input-pipe-2.json',
        'testdata/input-pipe-norwegian.json',
      ]);
    });
  },
);
