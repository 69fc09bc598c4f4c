// merge_datasets: the latest version of each id across the datasets, ordered by `_ts`; strategy "all" keys each
// dataset's latest version under the dataset id instead. Ids are unchanged.
import type { JsonObject } from '../../format/json.js';
import {
  datasetIds,
  datasetsPopulated,
  datasetsPosition,
  datasetsQueue,
  validateDatasetsList,
  type SourceBatch,
  type SourceContext,
  type SourceType,
} from './types.js';
import type { DatasetStore } from '../store.js';

/** One id across the datasets: its newest version, and each dataset's latest version keyed by dataset id. */
export interface MergedRow {
  ts: number;
  order: number;
  entity: JsonObject;
  parts: JsonObject;
}

/** The latest version of every id in the datasets (deletes included), oldest `_ts` first, ties in reading order. */
export function latestAcrossDatasets(store: DatasetStore, datasets: readonly string[]): MergedRow[] {
  const byId = new Map<string, MergedRow>();
  let order = 0;
  for (const d of datasets) {
    for (const e of store.read(d, { history: false, deleted: true })) {
      const id = String(e._id);
      const ts = Number(e._ts);
      const seen = byId.get(id);
      if (!seen) {
        byId.set(id, { ts, order: order++, entity: e, parts: { [d]: e } });
        continue;
      }
      seen.parts[d] = e;
      if (ts > seen.ts) {
        seen.ts = ts;
        seen.entity = e;
      }
    }
  }
  return [...byId.values()].sort((a, b) => a.ts - b.ts || a.order - b.order);
}

/** Strategy "all": each dataset's version under its dataset id; deleted when deleted everywhere. */
export function mergedAll(row: MergedRow): JsonObject {
  const merged: JsonObject = { _id: row.entity._id!, ...row.parts };
  if (Object.values(row.parts).every((p) => (p as JsonObject)._deleted === true)) merged._deleted = true;
  return merged;
}

function read(ctx: SourceContext): SourceBatch {
  const { store, def } = ctx;
  const datasets = def.sourceDatasets;
  const all = def.source.strategy === 'all';
  const rows = latestAcrossDatasets(store, datasets);
  return {
    entities: rows.map((r) => (all ? mergedAll(r) : r.entity)),
    full: true,
    position: datasetsPosition(store, datasets),
    populated: datasetsPopulated(store, def.source, datasets),
  };
}

export const mergeDatasetsSource: SourceType = {
  role: 'datasets',
  addNamespaces: false,
  testAlternative: false,
  validate: validateDatasetsList,
  datasets: (source) => datasetIds(source.datasets),
  read,
  queue: ({ store, def }, lastSeen) => datasetsQueue(store, def.sourceDatasets, lastSeen),
};
