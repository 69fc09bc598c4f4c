// The http_endpoint source (JSON push receiver): reads what was pushed to the pipe's receiver dataset.
import type { SourceType } from './types.js';

export const RECEIVER_DATASET_PREFIX = 'system:receiver:';

export const httpEndpointSource: SourceType = {
  role: 'receiver',
  addNamespaces: true,
  testAlternative: true,
  datasets: (_source, pipeId) => [RECEIVER_DATASET_PREFIX + pipeId],
  read({ store, def }) {
    const entities = store.read(RECEIVER_DATASET_PREFIX + def.id, { history: false, deleted: true });
    return { entities, full: true, position: null };
  },
};
