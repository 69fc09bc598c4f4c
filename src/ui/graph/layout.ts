// Lays the graph out left to right with dagre; both the SVG of `sesam graph` and the web app draw this layout.
import dagre from '@dagrejs/dagre';
import { nodeDetail } from './shapes.js';
import type { GraphLayout, GraphModel, GraphNode, Point } from './types.js';

export type { GraphLayout, PlacedEdge, PlacedNode, Point } from './types.js';

/** Wide enough for the label in a 13px sans-serif font without measuring text (no DOM in Node). */
export function nodeSize(node: GraphNode): { width: number; height: number } {
  // The detail line is set in 10px, the name in 13px.
  const text = Math.max(node.label.length, nodeDetail(node).length * 0.8);
  const width = Math.round(Math.max(90, text * 7.4 + 28 + (node.kind === 'system' ? 20 : 0)));
  return { width, height: node.kind === 'pipe' ? 46 : 40 };
}

export function layoutGraph(model: GraphModel): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 60, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of model.nodes) g.setNode(node.id, { ...nodeSize(node) });
  for (const [i, edge] of model.edges.entries()) {
    g.setEdge(edge.from, edge.to, { weight: edge.kind === 'system' ? 1 : 2 }, `e${i}`);
  }
  dagre.layout(g);
  const graph = g.graph();
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes: model.nodes.map((node) => {
      const placed = g.node(node.id);
      return { ...node, x: round(placed.x), y: round(placed.y), width: placed.width, height: placed.height };
    }),
    edges: model.edges.map((edge, i) => {
      const placed = g.edge({ v: edge.from, w: edge.to, name: `e${i}` });
      return { ...edge, points: (placed?.points ?? []).map((p: Point) => ({ x: round(p.x), y: round(p.y) })) };
    }),
  };
}
