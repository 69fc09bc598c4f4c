// The graph's data types, free of Node imports so that the browser code can use them too.

export type GraphNodeKind = 'pipe' | 'system' | 'dataset';
export type GraphEdgeKind = 'dataset' | 'merge' | 'hops' | 'lookup' | 'system';

export interface GraphNode {
  /** `pipe:<_id>`, `system:<_id>` or `dataset:<name>`: unique across kinds. */
  id: string;
  kind: GraphNodeKind;
  /** The component's `_id` or the dataset's name. */
  label: string;
  file?: string;
  /** A pipe's source type, or a system's type (`system:` prefix dropped). */
  type?: string;
  /** A pipe's sink type (`dataset` when it writes a dataset). */
  sinkType?: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: GraphEdgeKind;
  /** The dataset the edge carries, when it is not simply the producing pipe's id. */
  label?: string;
}

export interface GraphModel {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends GraphNode {
  /** Centre. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends GraphEdge {
  points: Point[];
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}
