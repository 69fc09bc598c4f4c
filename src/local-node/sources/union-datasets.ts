// union_datasets: the datasets read in order, ids prefixed "<dataset>:" unless prefix_ids is false. Always a
// full read (the continuation token records each dataset's offset so the runner knows when to rerun).
import type { JsonObject } from '../../format/json.js';
import { datasetIds } from '../pipes.js';
import { datasetsPosition, type SourceBatch, type SourceContext } from './types.js';

export function readUnionDatasets(ctx: SourceContext): SourceBatch {
  const { store, def } = ctx;
  const datasets = datasetIds(def.source.datasets);
  const prefix = def.source.prefix_ids !== false;
  const history = def.source.include_previous_versions === true;
  const entities: JsonObject[] = [];
  for (const d of datasets) {
    for (const e of store.read(d, { history, deleted: true })) {
      entities.push(prefix ? { ...e, _id: `${d}:${String(e._id)}` } : e);
    }
  }
  return { entities, full: true, position: datasetsPosition(store, datasets) };
}
