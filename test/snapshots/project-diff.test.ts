import { describe, expect, it } from 'vitest';
import { diffProjects, diffToJson, isEmptyDiff, renderDiff, summaryLine } from '../../src/snapshots/project-diff.js';

const files = (o: Record<string, string>) =>
  new Map(Object.entries(o).map(([k, v]) => [k, new Uint8Array(Buffer.from(v))]));

describe('diffProjects', () => {
  const before = files({
    'pipes/a.conf.json': '{"_id": "a", "type": "pipe", "source": {"dataset": "x"}}',
    'pipes/b.conf.json': '{"_id": "b", "type": "pipe"}',
    'pipes/list.conf.json': '[{"_id": "l1", "type": "pipe"}, {"_id": "l2", "type": "pipe"}]',
    'systems/s.conf.json': '{"_id": "s", "type": "system:url"}',
    'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}',
    'expected/a.json': '[{"_id": "1", "v": 1}, {"_id": "2", "v": 2}, {"_id": "3"}]',
    'expected/a.test.json': '{"pipe": "a"}',
    'expected/out.csv': 'a,b\n',
    'testdata/in.json': '[{"_id": "t"}]',
  });

  it('reports pipes and systems by _id with changed paths, entities by _id, and ignores formatting', () => {
    const after = files({
      'pipes/a.conf.json': '{\n  "_id": "a",\n  "type": "pipe",\n  "source": {"dataset": "y"}\n}\n',
      'pipes/c.conf.json': '{"_id": "c", "type": "pipe"}',
      'pipes/list.conf.json': '[{"_id": "l1", "type": "pipe"}, {"_id": "l2", "type": "pipe", "x": 1}]',
      'systems/s.conf.json': '{\n"_id": "s",\n"type": "system:url"\n}',
      'node-metadata.conf.json': '{"_id": "node", "type": "metadata", "namespaced_identifiers": true}',
      'expected/a.json': '[{"_id": "1", "v": 1}, {"_id": "2", "v": 3}, {"_id": "4"}]',
      'expected/a.test.json': '{"pipe": "a"}',
      'expected/out.csv': 'a,c\n',
      'testdata/in.json': '[ {"_id": "t"} ]',
    });
    const diff = diffProjects(before, after);
    expect(diff.pipes).toEqual([
      {
        id: 'a',
        file: 'pipes/a.conf.json',
        status: 'changed',
        changes: [{ path: '$.source.dataset', kind: 'changed', before: 'x', after: 'y' }],
      },
      { id: 'b', file: 'pipes/b.conf.json', status: 'removed', changes: [] },
      { id: 'c', file: 'pipes/c.conf.json', status: 'added', changes: [] },
      {
        id: 'l2',
        file: 'pipes/list.conf.json',
        status: 'changed',
        changes: [{ path: '$.x', kind: 'added', after: 1 }],
      },
    ]);
    expect(diff.systems).toEqual([]);
    expect(diff.expected).toEqual([
      {
        file: 'expected/a.json',
        status: 'changed',
        added: ['4'],
        removed: ['3'],
        changed: [{ id: '2', changes: [{ path: '$.v', kind: 'changed', before: 2, after: 3 }] }],
      },
    ]);
    expect(diff.files).toEqual([
      { file: 'expected/out.csv', status: 'changed', changes: [], note: 'not JSON: compared as bytes' },
      {
        file: 'node-metadata.conf.json',
        status: 'changed',
        changes: [{ path: '$.namespaced_identifiers', kind: 'added', after: true }],
      },
    ]);
    expect(diff.formattingOnly).toEqual(['systems/s.conf.json', 'testdata/in.json']);
    expect(summaryLine(diff)).toBe('pipes +1 -1 ~2, 1 expected file, 2 other files');
    const text = renderDiff(diff).join('\n');
    expect(text).toContain('  ~ a (1 path)\n      $.source.dataset: "x" → "y"');
    expect(text).toContain('  - b (removed)');
    expect(text).toContain(
      '  ~ expected/a.json: 1 added, 1 removed, 1 changed entities\n      + 4\n      - 3\n      ~ 2: $.v',
    );
    const json = diffToJson(diff) as { summary: unknown; expected: { changed: unknown[] }[] };
    expect(json.summary).toEqual({
      pipes: { added: 1, removed: 1, changed: 2 },
      systems: { added: 0, removed: 0, changed: 0 },
      files: 2,
      expected: 1,
      testdata: 0,
    });
    expect(json.expected[0]!.changed).toEqual([
      { id: '2', changes: [{ path: '$.v', kind: 'changed', before: 2, after: 3 }] },
    ]);
  });

  it('says when nothing differs, and handles invalid JSON and added/removed entity files', () => {
    expect(isEmptyDiff(diffProjects(before, before))).toBe(true);
    expect(summaryLine(diffProjects(before, before))).toBe('no changes');
    const after = new Map(before);
    after.set('pipes/b.conf.json', new Uint8Array(Buffer.from('{ broken')));
    after.delete('testdata/in.json');
    after.set('expected/new.json', new Uint8Array(Buffer.from('[{"_id": 1}, {"x": 2}]')));
    const diff = diffProjects(before, after);
    expect(diff.pipes.map((p) => [p.id, p.status])).toEqual([
      ['b', 'removed'],
      ['pipes/b.conf.json', 'added'],
    ]);
    expect(diff.testdata).toEqual([
      { file: 'testdata/in.json', status: 'removed', added: [], removed: ['t'], changed: [] },
    ]);
    expect(diff.expected).toEqual([
      { file: 'expected/new.json', status: 'added', added: ['1', '#1'], removed: [], changed: [] },
    ]);
  });
});
