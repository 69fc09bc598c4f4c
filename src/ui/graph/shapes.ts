// The shapes and edge styles of the graph as SVG path data: one definition for the standalone SVG of
// `sesam graph --format svg` and for the web app (bundled into the browser code).
import type { GraphEdgeKind, GraphNode, GraphNodeKind, Point } from './types.js';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Pipes are rounded boxes, systems hexagons, datasets no pipe produces cylinders. */
export function shapePath(kind: GraphNodeKind, box: Box): string {
  const left = box.x - box.width / 2;
  const top = box.y - box.height / 2;
  const right = left + box.width;
  const bottom = top + box.height;
  if (kind === 'system') {
    const cut = box.height / 2;
    return `M${left + cut},${top}H${right - cut}L${right},${box.y}L${right - cut},${bottom}H${left + cut}L${left},${box.y}Z`;
  }
  if (kind === 'dataset') {
    const ry = 6;
    return (
      `M${left},${top + ry}A${box.width / 2},${ry} 0 0 1 ${right},${top + ry}V${bottom - ry}` +
      `A${box.width / 2},${ry} 0 0 1 ${left},${bottom - ry}Z` +
      `M${left},${top + ry}A${box.width / 2},${ry} 0 0 0 ${right},${top + ry}`
    );
  }
  const r = 8;
  return (
    `M${left + r},${top}H${right - r}A${r},${r} 0 0 1 ${right},${top + r}V${bottom - r}` +
    `A${r},${r} 0 0 1 ${right - r},${bottom}H${left + r}A${r},${r} 0 0 1 ${left},${bottom - r}V${top + r}` +
    `A${r},${r} 0 0 1 ${left + r},${top}Z`
  );
}

/** A smooth path through dagre's edge points. */
export function edgePath(points: Point[]): string {
  if (!points.length) return '';
  const [first, ...rest] = points;
  let d = `M${first!.x},${first!.y}`;
  if (rest.length === 1) return `${d}L${rest[0]!.x},${rest[0]!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const control = rest[i]!;
    const next = rest[i + 1]!;
    const end = i === rest.length - 2 ? next : { x: (control.x + next.x) / 2, y: (control.y + next.y) / 2 };
    d += `Q${control.x},${control.y} ${end.x},${end.y}`;
  }
  return d;
}

export const EDGE_DASH: Record<GraphEdgeKind, string | undefined> = {
  dataset: undefined,
  merge: undefined,
  hops: '6 4',
  lookup: '2 4',
  system: '1 3',
};

export const EDGE_WIDTH: Record<GraphEdgeKind, number> = {
  dataset: 1.4,
  merge: 2.6,
  hops: 1.4,
  lookup: 1.4,
  system: 1.2,
};

export const NODE_FILL: Record<GraphNodeKind, string> = { pipe: '#eef4fb', system: '#fdf2e3', dataset: '#eef7ee' };
export const NODE_STROKE: Record<GraphNodeKind, string> = { pipe: '#3b6ea5', system: '#b7791f', dataset: '#3d8b40' };
export const FAILED_FILL = '#fde8e8';
export const FAILED_STROKE = '#c53030';

/** The second line under a node's name: source → sink for pipes, the type for systems. */
export function nodeDetail(node: GraphNode): string {
  if (node.kind === 'pipe')
    return node.sinkType && node.sinkType !== 'dataset' ? `${node.type} → ${node.sinkType}` : (node.type ?? '');
  if (node.kind === 'system') return node.type ?? 'system';
  return 'dataset';
}
