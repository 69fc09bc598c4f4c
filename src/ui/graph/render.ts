// The graph as text for READMEs and CI: Mermaid, Graphviz DOT, a standalone SVG (dagre layout, no browser) or JSON.
import { layoutGraph } from './layout.js';
import type { GraphEdge, GraphEdgeKind, GraphModel } from './model.js';
import { EDGE_DASH, EDGE_WIDTH, edgePath, NODE_FILL, NODE_STROKE, nodeDetail, shapePath } from './shapes.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'svg', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

function ids(model: GraphModel): Map<string, string> {
  return new Map(model.nodes.map((n, i) => [n.id, `n${i}`]));
}

/** hops, lookup and merge edges are named by their kind; dataset and system edges by their own label, if any. */
function edgeLabel(edge: GraphEdge): string | undefined {
  return edge.kind === 'hops' || edge.kind === 'lookup' || edge.kind === 'merge' ? edge.kind : edge.label;
}

const mermaidText = (text: string) => text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

export function toMermaid(model: GraphModel): string {
  const id = ids(model);
  const lines = ['flowchart LR'];
  for (const node of model.nodes) {
    const text = `"${mermaidText(node.label)}"`;
    const shape = node.kind === 'system' ? `{{${text}}}` : node.kind === 'dataset' ? `[(${text})]` : `(${text})`;
    lines.push(`  ${id.get(node.id)}${shape}`);
  }
  const arrow: Record<GraphEdgeKind, string> = {
    dataset: '-->',
    merge: '==>',
    hops: '-.->',
    lookup: '-.->',
    system: '-.->',
  };
  for (const edge of model.edges) {
    const label = edgeLabel(edge);
    const text = label ? `|"${mermaidText(label)}"|` : '';
    lines.push(`  ${id.get(edge.from)} ${arrow[edge.kind]}${text} ${id.get(edge.to)}`);
  }
  for (const kind of ['pipe', 'system', 'dataset'] as const) {
    lines.push(`  classDef ${kind} fill:${NODE_FILL[kind]},stroke:${NODE_STROKE[kind]}`);
  }
  for (const kind of ['pipe', 'system', 'dataset'] as const) {
    const members = model.nodes.filter((n) => n.kind === kind).map((n) => id.get(n.id));
    if (members.length) lines.push(`  class ${members.join(',')} ${kind}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A DOT double-quoted string: backslashes and quotes escaped, newlines as \n. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

export function toDot(model: GraphModel): string {
  const lines = [
    'digraph sesam {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const node of model.nodes) {
    const shape =
      node.kind === 'system'
        ? 'shape=hexagon'
        : node.kind === 'dataset'
          ? 'shape=cylinder'
          : 'shape=box, style="rounded,filled"';
    const fill = node.kind === 'pipe' ? `, fillcolor="${NODE_FILL.pipe}"` : '';
    const label = dotString(`${node.label}\n${nodeDetail(node)}`);
    lines.push(`  ${dotString(node.id)} [label=${label}, ${shape}${fill}, color="${NODE_STROKE[node.kind]}"];`);
  }
  const style: Record<GraphEdgeKind, string> = {
    dataset: '',
    merge: 'penwidth=2.5',
    hops: 'style=dashed',
    lookup: 'style=dotted',
    system: 'style=dotted',
  };
  for (const edge of model.edges) {
    const label = edgeLabel(edge);
    const attributes = [label ? `label=${dotString(label)}` : '', style[edge.kind]].filter(Boolean).join(', ');
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${attributes ? ` [${attributes}]` : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toSvg(model: GraphModel): string {
  const layout = layoutGraph(model);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="Helvetica, Arial, sans-serif">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
    `<rect width="${layout.width}" height="${layout.height}" fill="#ffffff"/>`,
  ];
  for (const edge of layout.edges) {
    const dash = EDGE_DASH[edge.kind] ? ` stroke-dasharray="${EDGE_DASH[edge.kind]}"` : '';
    out.push(
      `<path class="edge ${edge.kind}" d="${edgePath(edge.points)}" fill="none" stroke="#555" stroke-width="${EDGE_WIDTH[edge.kind]}"${dash} marker-end="url(#arrow)"/>`,
    );
  }
  for (const node of layout.nodes) {
    out.push(
      `<g class="node ${node.kind}" data-id="${xml(node.id)}"><path d="${shapePath(node.kind, node)}" fill="${NODE_FILL[node.kind]}" stroke="${NODE_STROKE[node.kind]}" stroke-width="1.4"/>`,
      `<text x="${node.x}" y="${node.y - 2}" text-anchor="middle" font-size="13" fill="#1a202c">${xml(node.label)}</text>`,
      `<text x="${node.x}" y="${node.y + 13}" text-anchor="middle" font-size="10" fill="#4a5568">${xml(nodeDetail(node))}</text></g>`,
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export function toJson(model: GraphModel): Record<string, unknown> {
  return { nodes: model.nodes, edges: model.edges };
}
