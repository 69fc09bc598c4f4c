// The registry of source types: each type is one module declaring validation, datasets, role, namespace default,
// reading and queue (types.ts). Types that need an external system are listed here and read as empty.
import type { DatasetProvider } from '../../dtl/index.js';
import { datasetSource } from './dataset.js';
import { mergeSource } from './merge.js';
import { mergeDatasetsSource } from './merge-datasets.js';
import { diffDatasetsSource } from './diff-datasets.js';
import { embeddedSource } from './embedded.js';
import { emptySource } from './empty.js';
import { externalSource } from './external.js';
import { httpEndpointSource } from './http-endpoint.js';
import { unionDatasetsSource } from './union-datasets.js';
import type { SourceBatch, SourceContext, SourceType } from './types.js';

export type { SourceBatch, SourceContext, SourceType } from './types.js';
export { RECEIVER_DATASET_PREFIX } from './http-endpoint.js';

/** External sources whose entities get namespaces added by default (configuration-pipes.rst). */
const EXTERNAL_WITH_NAMESPACES = ['csv', 'kafka', 'ldap', 'sql', 'json', 'rest'];
const EXTERNAL_PLAIN = [
  'sparql',
  'sdshare',
  'rdf',
  'binary',
  'http',
  'microservice',
  'mssql',
  'oracle',
  'mysql',
  'postgresql',
  'excel',
  'xml',
  'elasticsearch',
  'solr',
  'sms',
  'mail',
  'odata',
];

export const SOURCE_TYPES: ReadonlyMap<string, SourceType> = new Map<string, SourceType>([
  ['dataset', datasetSource],
  ['union_datasets', unionDatasetsSource],
  ['merge', mergeSource],
  ['merge_datasets', mergeDatasetsSource],
  ['embedded', embeddedSource],
  ['empty', emptySource],
  ['http_endpoint', httpEndpointSource],
  ['diff_datasets', diffDatasetsSource],
  ...EXTERNAL_WITH_NAMESPACES.map((t): [string, SourceType] => [t, externalSource(true)]),
  ...EXTERNAL_PLAIN.map((t): [string, SourceType] => [t, externalSource(false)]),
]);

export function sourceType(type: unknown): SourceType | undefined {
  return typeof type === 'string' ? SOURCE_TYPES.get(type) : undefined;
}

export function readSource(ctx: SourceContext, since: string | null, datasets: DatasetProvider): SourceBatch {
  const type = sourceType(ctx.def.source.type);
  if (!type) throw new Error(`pipe '${ctx.def.id}': unsupported source type '${String(ctx.def.source.type)}'`);
  return type.read(ctx, since, datasets);
}

/** Work waiting for the pipe: source entities after last-seen (dataset-family sources only). */
export function sourceQueue(ctx: Pick<SourceContext, 'store' | 'def'>, lastSeen: string | null): number {
  return sourceType(ctx.def.source.type)?.queue?.(ctx, lastSeen) ?? 0;
}
