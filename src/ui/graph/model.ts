// The dependency graph of a project's config, shared by `sesam graph` and the web app: pipes, the systems they
// read from or write to, and datasets no pipe produces; edges for dataset sources, merges, hops and lookups.
// It reads the same references `validate` checks (pipeReferences), so the two never disagree.
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../../format/json.js';
import { pipeReferences, sinkDataset } from '../../workspace/validate.js';
import type { GraphEdge, GraphEdgeKind, GraphModel, GraphNode } from './types.js';

export type { GraphEdge, GraphEdgeKind, GraphModel, GraphNode, GraphNodeKind } from './types.js';

const decoder = new TextDecoder('utf-8');
const ENV_REF = /\$ENV\(([^)]*)\)/g;

function parse(data: Uint8Array | undefined): JsonValue | undefined {
  if (!data) return undefined;
  try {
    return parseJson(decoder.decode(data));
  } catch {
    return undefined;
  }
}

interface Component {
  config: JsonObject;
  file: string;
}

function components(files: Map<string, Uint8Array>, dir: 'pipes' | 'systems'): Component[] {
  const out: Component[] = [];
  const paths = [...files.keys()].filter((p) => p.startsWith(`${dir}/`) && p.endsWith('.conf.json')).sort();
  for (const file of paths) {
    const value = parse(files.get(file));
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isJsonObject(item) && typeof item._id === 'string') out.push({ config: item, file });
    }
  }
  return out;
}

/** `$ENV(x)` substitution from the profile's env file; undefined when a name is unknown (as in validate). */
function envResolver(env: JsonValue | undefined): (text: string) => string | undefined {
  return (text) => {
    if (!text.includes('$ENV(')) return text;
    if (!isJsonObject(env)) return undefined;
    let unresolved = false;
    const out = text.replace(ENV_REF, (_m, name: string) => {
      const value = env[name];
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
      unresolved = true;
      return '';
    });
    return unresolved ? undefined : out;
  };
}

const typeOf = (value: JsonValue | undefined): string | undefined =>
  isJsonObject(value) && typeof value.type === 'string' ? value.type : undefined;

/** The graph of the project files (as `readProjectFiles`/`projectFilesAt` return them) for one profile. */
export function buildGraph(files: Map<string, Uint8Array>, profile: string): GraphModel {
  const resolve = envResolver(parse(files.get(`${profile}-env.json`)));
  const pipes = components(files, 'pipes');
  const systems = components(files, 'systems');
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const producers = new Map<string, string>();

  for (const { config, file } of pipes) {
    const id = config._id as string;
    const source = typeOf(config.source);
    nodes.set(`pipe:${id}`, {
      id: `pipe:${id}`,
      kind: 'pipe',
      label: id,
      file,
      type: source === 'conditional' ? conditionalType(config.source as JsonObject, resolve) : (source ?? 'dataset'),
      sinkType: typeOf(config.sink) ?? 'dataset',
    });
    const dataset = sinkDataset(config);
    if (dataset !== undefined && !producers.has(dataset)) producers.set(dataset, `pipe:${id}`);
  }
  for (const { config, file } of systems) {
    const id = config._id as string;
    nodes.set(`system:${id}`, {
      id: `system:${id}`,
      kind: 'system',
      label: id,
      file,
      type: typeOf(config)?.replace(/^system:/, ''),
    });
  }

  const addEdge = (edge: GraphEdge) => {
    const key = `${edge.from}\n${edge.to}\n${edge.kind}`;
    if (!edges.has(key)) edges.set(key, edge);
  };
  const systemNode = (id: string) => {
    const key = `system:${id}`;
    if (!nodes.has(key)) nodes.set(key, { id: key, kind: 'system', label: id });
    return key;
  };
  for (const { config } of pipes) {
    const pipe = `pipe:${config._id as string}`;
    const refs = pipeReferences(config, resolve);
    const merge = typeOf(config.source) === 'merge';
    for (const ref of refs.datasets) {
      const name = resolve(ref.dataset) ?? ref.dataset;
      let from = producers.get(name);
      if (!from) {
        from = `dataset:${name}`;
        if (!nodes.has(from)) nodes.set(from, { id: from, kind: 'dataset', label: name });
      }
      const kind: GraphEdgeKind = ref.what.startsWith('source')
        ? merge
          ? 'merge'
          : 'dataset'
        : ref.what.startsWith('lookup-entity')
          ? 'lookup'
          : 'hops';
      const producer = from.startsWith('pipe:') ? from.slice('pipe:'.length) : undefined;
      addEdge({ from, to: pipe, kind, ...(producer !== undefined && producer !== name ? { label: name } : {}) });
    }
    for (const ref of refs.systems) {
      const system = systemNode(resolve(ref.id) ?? ref.id);
      addEdge(
        ref.what.startsWith('sink')
          ? { from: pipe, to: system, kind: 'system' }
          : { from: system, to: pipe, kind: 'system' },
      );
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function conditionalType(source: JsonObject, resolve: (text: string) => string | undefined): string {
  const condition = typeof source.condition === 'string' ? resolve(source.condition) : undefined;
  const chosen =
    condition !== undefined && isJsonObject(source.alternatives) ? source.alternatives[condition] : undefined;
  const type = typeOf(chosen);
  return type ? `conditional: ${type}` : 'conditional';
}
