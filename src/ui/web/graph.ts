// Graph: the pipe/dataset dependency graph laid out by dagre on the server, drawn as SVG with pan and zoom;
// pipes whose specs failed or that failed to run in the last results are marked; a click opens a component.
import { h } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PlacedNode } from '../graph/types.js';
import {
  EDGE_DASH,
  EDGE_WIDTH,
  edgePath,
  FAILED_FILL,
  FAILED_STROKE,
  NODE_FILL,
  NODE_STROKE,
  nodeDetail,
  shapePath,
} from '../graph/shapes.js';
import { getJson } from './api.js';
import { Badge, loaded, useLoad } from './common.js';
import type { GraphPage as GraphData, ResultsPage, SpecJson } from './types.js';

interface View {
  x: number;
  y: number;
  scale: number;
}

export function GraphPage() {
  const [load] = useLoad(
    () => Promise.all([getJson<GraphData>('/api/graph'), getJson<ResultsPage>('/api/results')]),
    [],
  );
  return h(
    'section',
    { class: 'page graph' },
    loaded(load, ([graph, results]: [GraphData, ResultsPage]) => h(GraphView, { graph, results })),
  );
}

function GraphView({ graph, results }: { graph: GraphData; results: ResultsPage }) {
  const { layout } = graph;
  const [selected, setSelected] = useState<PlacedNode | undefined>();
  const [view, setView] = useState<View>({ x: 0, y: 0, scale: 1 });
  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; moved: boolean } | undefined>(undefined);

  const specs = new Map<string, SpecJson[]>();
  for (const spec of results.results?.specs ?? []) specs.set(spec.pipe, [...(specs.get(spec.pipe) ?? []), spec]);
  const runFailures = new Map((results.results?.pipeFailures ?? []).map((f) => [f.pipe, f.reason]));
  const failing = (node: PlacedNode) =>
    node.kind === 'pipe' &&
    (runFailures.has(node.label) || (specs.get(node.label) ?? []).some((s) => s.status === 'failed'));

  const fit = () => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!box || !layout.width) return;
    const scale = Math.min(box.width / layout.width, box.height / layout.height, 1.5);
    setView({ scale, x: (box.width - layout.width * scale) / 2, y: (box.height - layout.height * scale) / 2 });
  };
  useEffect(fit, [layout]);

  const zoomAt = (factor: number, cx: number, cy: number) =>
    setView((v) => {
      const scale = Math.min(4, Math.max(0.1, v.scale * factor));
      const k = scale / v.scale;
      return { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
    });
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const box = svgRef.current!.getBoundingClientRect();
    zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - box.left, e.clientY - box.top);
  };
  const onPointerDown = (e: PointerEvent) => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || !(e.buttons & 1)) return;
    const dx = e.clientX - d.x;
    const dy = e.clientY - d.y;
    if (!d.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    d.moved = true;
    drag.current = { x: e.clientX, y: e.clientY, moved: true };
    setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  };
  const onPointerUp = () => {
    setTimeout(() => (drag.current = undefined));
  };
  const select = (node: PlacedNode) => {
    if (drag.current?.moved) return;
    setSelected(node);
  };
  const centre = () => {
    const box = svgRef.current?.getBoundingClientRect();
    return box ? [box.width / 2, box.height / 2] : [0, 0];
  };

  return h(
    'div',
    { class: 'graph-layout' },
    h(
      'div',
      { class: 'graph-canvas' },
      h(
        'div',
        { class: 'graph-tools' },
        h('button', { onClick: () => zoomAt(1.25, ...(centre() as [number, number])), title: 'zoom in' }, '+'),
        h('button', { onClick: () => zoomAt(0.8, ...(centre() as [number, number])), title: 'zoom out' }, '−'),
        h('button', { onClick: fit, id: 'fit' }, 'Fit'),
        h(Legend, null),
      ),
      h(
        'svg',
        {
          ref: svgRef,
          id: 'graph-svg',
          class: 'graph-svg',
          onWheel,
          onPointerDown,
          onPointerMove,
          onPointerUp,
        },
        h(
          'defs',
          null,
          h(
            'marker',
            {
              id: 'arrow',
              viewBox: '0 0 10 10',
              refX: 9,
              refY: 5,
              markerUnits: 'userSpaceOnUse',
              markerWidth: 9,
              markerHeight: 9,
              orient: 'auto-start-reverse',
            },
            h('path', { d: 'M0,0L10,5L0,10z', fill: '#555' }),
          ),
        ),
        h(
          'g',
          { transform: `translate(${view.x},${view.y}) scale(${view.scale})` },
          layout.edges.map((edge) =>
            h('path', {
              class: `edge ${edge.kind}`,
              d: edgePath(edge.points),
              fill: 'none',
              stroke: '#555',
              'stroke-width': EDGE_WIDTH[edge.kind],
              'stroke-dasharray': EDGE_DASH[edge.kind],
              'marker-end': 'url(#arrow)',
            }),
          ),
          layout.nodes.map((node) => {
            const bad = failing(node);
            return h(
              'g',
              {
                class: `node ${node.kind}${bad ? ' failing' : ''}${selected?.id === node.id ? ' selected' : ''}`,
                'data-id': node.id,
                onClick: () => select(node),
              },
              h('path', {
                d: shapePath(node.kind, node),
                fill: bad ? FAILED_FILL : NODE_FILL[node.kind],
                stroke: bad ? FAILED_STROKE : NODE_STROKE[node.kind],
                'stroke-width': selected?.id === node.id ? 3 : 1.4,
              }),
              h('text', { x: node.x, y: node.y - 2, 'text-anchor': 'middle', class: 'label' }, node.label),
              h('text', { x: node.x, y: node.y + 13, 'text-anchor': 'middle', class: 'detail' }, nodeDetail(node)),
            );
          }),
        ),
      ),
    ),
    selected
      ? h(NodePanel, {
          node: selected,
          config: graph.configs[selected.id],
          specs: specs.get(selected.label) ?? [],
          runFailure: runFailures.get(selected.label),
          onClose: () => setSelected(undefined),
        })
      : h('aside', { class: 'panel muted' }, 'Click a pipe or system to see its config and its test results.'),
  );
}

function Legend() {
  const item = (kind: 'pipe' | 'system' | 'dataset', text: string) =>
    h(
      'span',
      { class: 'legend-item' },
      h(
        'svg',
        { width: 26, height: 16 },
        h('path', {
          d: shapePath(kind, { x: 13, y: 8, width: 24, height: 14 }),
          fill: NODE_FILL[kind],
          stroke: NODE_STROKE[kind],
        }),
      ),
      text,
    );
  return h(
    'span',
    { class: 'legend' },
    item('pipe', 'pipe'),
    item('system', 'system'),
    item('dataset', 'dataset'),
    h('span', { class: 'legend-item failing' }, 'failing'),
    h('span', { class: 'legend-item muted' }, '— dataset  ═ merge  - - hops  ··· lookup/system'),
  );
}

function NodePanel(props: {
  node: PlacedNode;
  config: string | undefined;
  specs: SpecJson[];
  runFailure: string | undefined;
  onClose: () => void;
}) {
  const { node } = props;
  return h(
    'aside',
    { class: 'panel', id: 'node-panel' },
    h('button', { class: 'close', onClick: props.onClose, 'aria-label': 'close' }, '×'),
    h('h2', null, node.label),
    h('p', { class: 'muted' }, `${node.kind}${node.file ? ` · ${node.file}` : ''} · ${nodeDetail(node)}`),
    props.runFailure ? h('p', { class: 'error' }, `Failed in the last run: ${props.runFailure}`) : null,
    node.kind === 'pipe'
      ? props.specs.length
        ? h(
            'ul',
            { class: 'node-specs' },
            props.specs.map((s) =>
              h(
                'li',
                null,
                h(Badge, { kind: s.status }),
                ` ${s.id}`,
                s.summary ? h('div', { class: 'muted' }, s.summary) : null,
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No test spec results for this pipe.')
      : null,
    props.config ? h('pre', { class: 'config' }, props.config) : null,
  );
}
