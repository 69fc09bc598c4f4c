// Reads a pipe's source. Embedded and empty sources are always full; external sources (sql, rest, ...) need a
// real system and read as empty with a note; http_endpoint reads the pipe's receiver dataset (what was pushed).
import type { DatasetProvider } from '../../dtl/index.js';
import { readDataset } from './dataset.js';
import { readMerge } from './merge.js';
import { readMergeDatasets } from './merge-datasets.js';
import { readUnionDatasets } from './union-datasets.js';
import { EXTERNAL_SOURCES, RECEIVER_DATASET_PREFIX } from '../pipes.js';
import { isJsonObject, type JsonObject } from '../../format/json.js';
import type { SourceBatch, SourceContext } from './types.js';

export type { SourceBatch, SourceContext } from './types.js';

export function readSource(ctx: SourceContext, since: string | null, datasets: DatasetProvider): SourceBatch {
  const { def, store } = ctx;
  const type = String(def.source.type);
  switch (type) {
    case 'embedded': {
      const raw = Array.isArray(def.source.entities) ? def.source.entities : [];
      return { entities: raw.filter(isJsonObject) as JsonObject[], full: true, position: null };
    }
    case 'empty':
      return { entities: [], full: true, position: null };
    case 'dataset':
      return readDataset(ctx, since);
    case 'union_datasets':
      return readUnionDatasets(ctx);
    case 'merge_datasets':
      return readMergeDatasets(ctx);
    case 'merge':
      if (!def.merge) throw new Error(`pipe '${def.id}': the merge source has invalid config`);
      return readMerge(ctx, def.merge, datasets);
    case 'http_endpoint': {
      const entities = store.read(RECEIVER_DATASET_PREFIX + def.id, { history: false, deleted: true });
      return { entities, full: true, position: null };
    }
    default:
      if (EXTERNAL_SOURCES.has(type)) {
        ctx.note(
          `pipe '${def.id}': source type '${type}' needs an external system; the embedded node reads it as empty`,
        );
        return { entities: [], full: false, position: since };
      }
      throw new Error(`pipe '${def.id}': unsupported source type '${type}'`);
  }
}

/** Work waiting for the pipe: source entities after last-seen (dataset-family sources only). */
export function sourceQueue(ctx: Pick<SourceContext, 'store' | 'def'>, lastSeen: string | null): number {
  const { def, store } = ctx;
  if (def.source.type === 'dataset') {
    const d = store.dataset(def.source.dataset as string);
    if (!d) return 0;
    return store.countAfter(
      d.id,
      lastSeen === null ? undefined : Number(lastSeen),
      def.source.include_previous_versions !== true,
    );
  }
  if (['union_datasets', 'merge', 'merge_datasets'].includes(String(def.source.type))) {
    let previous: Record<string, number> = {};
    try {
      previous = lastSeen ? (JSON.parse(lastSeen) as Record<string, number>) : {};
    } catch {
      previous = {};
    }
    let n = 0;
    for (const id of def.sourceDatasets) {
      const d = store.dataset(id);
      if (d && d.nextOffset > (previous[id] ?? 0)) n += d.nextOffset - (previous[id] ?? 0);
    }
    return n;
  }
  return 0;
}
