// union_datasets: the datasets read in order, ids prefixed "<dataset>:" unless prefix_ids is false. Always a
// full read (the continuation token records each dataset's offset so the runner knows when to rerun).
import type { JsonObject } from '../../format/json.js';
import {
  datasetIds,
  datasetsPopulated,
  datasetsPosition,
  datasetsQueue,
  validateDatasetsList,
  type SourceType,
} from './types.js';

export const unionDatasetsSource: SourceType = {
  role: 'datasets',
  addNamespaces: false,
  testAlternative: false,
  validate: validateDatasetsList,
  datasets: (source) => datasetIds(source.datasets),
  read(ctx) {
    const { store, def } = ctx;
    const datasets = def.sourceDatasets;
    const prefix = def.source.prefix_ids !== false;
    const history = def.source.include_previous_versions === true;
    const entities: JsonObject[] = [];
    for (const d of datasets) {
      for (const e of store.read(d, { history, deleted: true })) {
        entities.push(prefix ? { ...e, _id: `${d}:${String(e._id)}` } : e);
      }
    }
    return {
      entities,
      full: true,
      position: datasetsPosition(store, datasets),
      populated: datasetsPopulated(store, def.source, datasets),
    };
  },
  queue: ({ store, def }, lastSeen) => datasetsQueue(store, def.sourceDatasets, lastSeen),
};
