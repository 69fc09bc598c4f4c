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

function read(ctx: SourceContext): SourceBatch {
  const { store, def } = ctx;
  const datasets = def.sourceDatasets;
  const all = def.source.strategy === 'all';
  const byId = new Map<string, { ts: number; order: number; entity: JsonObject; parts: JsonObject }>();
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
  const rows = [...byId.values()].sort((a, b) => a.ts - b.ts || a.order - b.order);
  const entities = rows.map((r) => {
    if (!all) return r.entity;
    const merged: JsonObject = { _id: r.entity._id!, ...r.parts };
    const deleted = Object.values(r.parts).every((p) => (p as JsonObject)._deleted === true);
    if (deleted) merged._deleted = true;
    return merged;
  });
  return {
    entities,
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
