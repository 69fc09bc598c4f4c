// The dataset source: latest version per `_id` (deletes included) after the last-seen offset, or every version
// with include_previous_versions; include_replaced:false drops merge-superseded `$replaced` entities.
import type { SourceBatch, SourceContext, SourceType } from './types.js';

function read(ctx: SourceContext, since: string | null): SourceBatch {
  const { store, def } = ctx;
  const datasetId = def.source.dataset as string;
  const info = store.dataset(datasetId);
  // A missing dataset is an unpopulated source: nothing to read and nothing to deletion-track.
  if (!info) return { entities: [], full: false, position: since, populated: false };
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
  return { entities, full: since === null, position, populated: info.populated };
}

export const datasetSource: SourceType = {
  role: 'datasets',
  addNamespaces: false,
  testAlternative: false,
  validate(source, at, errors) {
    if (typeof source.dataset !== 'string') {
      errors.push({ level: 'error', msg: "The dataset source needs a string 'dataset'", elements: `${at}['dataset']` });
    }
  },
  datasets: (source) => (typeof source.dataset === 'string' ? [source.dataset] : []),
  read,
  queue({ store, def }, lastSeen) {
    const d = store.dataset(def.source.dataset as string);
    if (!d) return 0;
    const since = lastSeen === null ? undefined : Number(lastSeen);
    return store.countAfter(d.id, since, def.source.include_previous_versions !== true);
  },
};
