// The registry of sink types: validation, defaults, the dataset a sink writes, whether namespaces are removed by
// default, and which publisher endpoint serves it. Types that need an external system are accepted (their pipes
// are output pipes: never pumped, verified through their computed entities).
import type { JsonObject } from '../../format/json.js';
import type { ConfigError } from '../config-errors.js';

export interface SinkType {
  external?: boolean;
  /** Namespaces are removed by default when namespaced identifiers are on. */
  removeNamespaces: boolean;
  /** The publisher endpoint (`/publishers/<pipe>/<endpoint>`) serving the pipe's output. */
  endpoint?: 'entities' | 'csv' | 'xml';
  /** Documented defaults a node fills in (effective config). */
  defaults?(sink: JsonObject, pipeId: string): JsonObject;
  validate?(sink: JsonObject, at: string, errors: ConfigError[]): void;
  /** The dataset written. */
  dataset?(sink: JsonObject): string | undefined;
}

const datasetSink: SinkType = {
  removeNamespaces: false,
  defaults: (sink, pipeId) => (sink.dataset === undefined ? { ...sink, dataset: pipeId } : sink),
  validate(sink, at, errors) {
    if (typeof sink.dataset !== 'string') {
      errors.push({ level: 'error', msg: "The dataset sink needs a string 'dataset'", elements: `${at}['dataset']` });
    }
  },
  dataset: (sink) => (typeof sink.dataset === 'string' ? sink.dataset : undefined),
};

const csvEndpointSink: SinkType = {
  removeNamespaces: true,
  endpoint: 'csv',
  validate(sink, at, errors) {
    if (!Array.isArray(sink.columns)) {
      errors.push({
        level: 'error',
        msg: "The csv_endpoint sink needs 'columns', a list",
        elements: `${at}['columns']`,
      });
    }
  },
};

const external = (removeNamespaces: boolean): SinkType => ({ external: true, removeNamespaces });

export const SINK_TYPES: ReadonlyMap<string, SinkType> = new Map<string, SinkType>([
  ['dataset', datasetSink],
  ['http_endpoint', { removeNamespaces: true, endpoint: 'entities' }],
  ['csv_endpoint', csvEndpointSink],
  ['xml_endpoint', { removeNamespaces: false, endpoint: 'xml' }],
  ['null', { removeNamespaces: false }],
  ...['json', 'rest', 'sql', 'elasticsearch', 'solr', 'mail', 'sms', 'kafka'].map((t): [string, SinkType] => [
    t,
    external(true),
  ]),
  ...[
    'sparql',
    'sdshare',
    'sdshare_push',
    'replicated_dataset',
    'excel_endpoint',
    'rdf',
    'microservice',
    'http',
    'databrowser',
    'log',
    'email_message',
  ].map((t): [string, SinkType] => [t, external(false)]),
]);

export function sinkType(type: unknown): SinkType | undefined {
  return typeof type === 'string' ? SINK_TYPES.get(type) : undefined;
}
