// The graph model: which config references become which nodes and edges, its dagre layout, and the escaping of
// the text formats.
import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../../src/ui/graph/layout.js';
import { buildGraph, type GraphModel } from '../../src/ui/graph/model.js';
import { dotString, toMermaid } from '../../src/ui/graph/render.js';

function files(tree: Record<string, unknown>): Map<string, Uint8Array> {
  const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
  return new Map(Object.entries(tree).map(([path, value]) => [path, bytes(value)]));
}

const edges = (model: GraphModel) =>
  model.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}${e.label ? ` (${e.label})` : ''}`);

describe('buildGraph', () => {
  const model = buildGraph(
    files({
      'test-env.json': { 'node-env': 'test' },
      'pipes/a.conf.json': { _id: 'a', type: 'pipe', source: { type: 'embedded', entities: [] } },
      'pipes/b.conf.json': {
        _id: 'b',
        type: 'pipe',
        source: { type: 'dataset', dataset: 'a' },
        sink: { type: 'dataset', dataset: 'b-out' },
      },
      'pipes/c.conf.json': {
        _id: 'c',
        type: 'pipe',
        source: { type: 'merge', datasets: ['a x', 'b-out y'] },
        transform: {
          type: 'dtl',
          rules: {
            default: [
              ['add', 'h', ['hops', { datasets: ['external e'], where: ['eq', '_S._id', 'e._id'] }]],
              ['add', 'l', ['lookup-entity', 'a', '_S._id']],
            ],
          },
        },
      },
      'pipes/d.conf.json': [
        {
          _id: 'd',
          type: 'pipe',
          source: {
            type: 'conditional',
            condition: '$ENV(node-env)',
            alternatives: { prod: { type: 'sql', system: 'db', table: 't' }, test: { type: 'embedded' } },
          },
          sink: { type: 'rest', system: 'api' },
        },
        { _id: 'e', type: 'pipe', source: { type: 'sql', system: 'db', table: 'x' } },
      ],
      'pipes/broken.conf.json': '{ not json',
      'systems/db.conf.json': { _id: 'db', type: 'system:postgresql' },
    }),
    'test',
  );

  it('has a node per pipe (also several in one file) and system, and one for a dataset no pipe produces', () => {
    expect(model.nodes.map((n) => `${n.id} ${n.type ?? ''}`)).toEqual([
      'pipe:a embedded',
      'pipe:b dataset',
      'pipe:c merge',
      'pipe:d conditional: embedded',
      'pipe:e sql',
      'system:db postgresql',
      'dataset:external ',
      'system:api ',
    ]);
    expect(model.nodes.find((n) => n.id === 'pipe:d')).toMatchObject({ file: 'pipes/d.conf.json', sinkType: 'rest' });
  });

  it('draws sources, merges, hops and lookups from the producing pipe, and systems on the side they are used', () => {
    expect(edges(model)).toEqual([
      'pipe:a -dataset-> pipe:b',
      'pipe:a -merge-> pipe:c',
      'pipe:b -merge-> pipe:c (b-out)',
      'dataset:external -hops-> pipe:c',
      'pipe:a -lookup-> pipe:c',
      'pipe:d -system-> system:api',
      'system:db -system-> pipe:e',
    ]);
  });

  it('lays every node and edge out inside the drawing', () => {
    const layout = layoutGraph(model);
    expect(layout.nodes).toHaveLength(model.nodes.length);
    for (const node of layout.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
    }
    for (const edge of layout.edges) expect(edge.points.length).toBeGreaterThanOrEqual(2);
    // Left to right: a producer sits left of what reads it.
    const x = (id: string) => layout.nodes.find((n) => n.id === id)!.x;
    expect(x('pipe:a')).toBeLessThan(x('pipe:b'));
    expect(x('pipe:b')).toBeLessThan(x('pipe:c'));
  });
});

describe('text formats', () => {
  it('escapes quotes and angle brackets in Mermaid labels and quotes, backslashes and newlines in DOT', () => {
    const model: GraphModel = { nodes: [{ id: 'pipe:a"<b>', kind: 'pipe', label: 'a"<b>' }], edges: [] };
    expect(toMermaid(model)).toContain('n0("a#quot;#lt;b#gt;")');
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});
