// The registry of sink types: validation, defaults, the dataset a sink writes, whether namespaces are removed by
// default, and which publisher endpoint serves it. Types that need an external system are accepted (their pipes
// are output pipes: never pumped, verified through their computed entities).
import { csvEndpointSink } from './csv.js';
import { datasetSink } from './dataset.js';
import type { SinkType } from './types.js';
import { xmlEndpointSink } from './xml.js';

export type { SinkType } from './types.js';

const external = (removeNamespaces: boolean): SinkType => ({ external: true, removeNamespaces });

export const SINK_TYPES: ReadonlyMap<string, SinkType> = new Map<string, SinkType>([
  ['dataset', datasetSink],
  ['http_endpoint', { removeNamespaces: true, endpoint: 'entities' }],
  ['csv_endpoint', csvEndpointSink],
  ['xml_endpoint', xmlEndpointSink],
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
