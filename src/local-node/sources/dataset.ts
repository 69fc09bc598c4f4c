// The dataset source: latest version per `_id` (deletes included) after the last-seen offset, or every version
// with include_previous_versions; include_replaced:false drops merge-superseded `$replaced` entities.
import type { SourceBatch, SourceContext } from './types.js';

export function readDataset(ctx: SourceContext, since: string | null): SourceBatch {
  const { store, def } = ctx;
  const datasetId = def.source.dataset as string;
  const info = store.dataset(datasetId);
  // A missing dataset is an unpopulated source: nothing to read and nothing to deletion-track.
  if (!info) return { entities: [], full: false, position: since };
  if (since !== null && !/^-?\d+$/.test(since)) {
    throw new Error(`pipe '${def.id}': since/last-seen '${since}' is not a dataset offset`);
  }
  const history = def.source.include_previous_versions === true;
  let entities = store.read(datasetId, {
    since: since === null ? undefined : Number(since),
    history,
    deleted: true,
  });
  if (def.source.include_replaced === false) entities = entities.filter((e) => e.$replaced !== true);
  const position = info.nextOffset > 0 ? String(info.nextOffset - 1) : since;
  return { entities, full: since === null, position };
}
