// The dataset sink: change-tracked writes, `_filtered` deletes, track_children, and deletion tracking after a
// full run (every live id not seen gets a deleted version carrying its last content).
import { isJsonObject, type JsonObject, type JsonValue } from '../../format/json.js';
import type { DatasetStore } from '../store.js';
import type { SinkType } from './types.js';

function contentOf(entity: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(entity)) if (!k.startsWith('_') || k === '_id') out[k] = entity[k]!;
  return out;
}

export class DatasetSinkRun {
  private readonly seen = new Set<string>();
  written = 0;

  constructor(
    private readonly store: DatasetStore,
    readonly datasetId: string,
    private readonly options: { ts: number; trackChildren: boolean; deletionTracking: boolean; pipeId: string },
  ) {
    store.ensureDataset(datasetId);
  }

  write(entity: JsonObject): void {
    const id = entity._id;
    if (typeof id !== 'string') {
      throw new Error(
        `pipe '${this.options.pipeId}': an entity without a string _id reached the dataset sink '${this.datasetId}'`,
      );
    }
    this.seen.add(id);
    if (entity._filtered === true) {
      const latest = this.store.latest(this.datasetId, id);
      if (latest && latest._deleted !== true) this.put({ ...contentOf(latest), _deleted: true });
      return;
    }
    let out = entity;
    if (this.options.trackChildren && Array.isArray(entity.$children)) out = this.withDeletedChildren(entity);
    this.put(out);
  }

  private withDeletedChildren(entity: JsonObject): JsonObject {
    const previous = this.store.latest(this.datasetId, entity._id as string);
    const before = previous && Array.isArray(previous.$children) ? previous.$children : [];
    const children = entity.$children as JsonValue[];
    const now = new Set(children.filter(isJsonObject).map((c) => String(c._id)));
    const gone = before
      .filter(isJsonObject)
      .filter((c) => typeof c._id === 'string' && !now.has(c._id) && c._deleted !== true)
      .map((c) => ({ ...c, _deleted: true }) as JsonObject);
    return gone.length ? { ...entity, $children: [...children, ...gone] } : entity;
  }

  private put(entity: JsonObject): void {
    if (this.store.write(this.datasetId, entity, this.options.ts)) this.written++;
  }

  /** After a full run: delete what was not seen; mark the dataset populated when the source was. */
  finish(full: boolean, sourcePopulated = true): void {
    if (full && this.options.deletionTracking) {
      for (const id of this.store.liveIds(this.datasetId)) {
        if (this.seen.has(id)) continue;
        const latest = this.store.latest(this.datasetId, id)!;
        this.put({ ...contentOf(latest), _deleted: true });
      }
    }
    if (sourcePopulated) this.store.setPopulated(this.datasetId, true);
  }
}

/** The dataset sink's config: the dataset defaults to the pipe id (configuration-sinks-dataset.rst). */
export const datasetSink: SinkType = {
  removeNamespaces: false,
  defaults: (sink, pipeId) => (sink.dataset === undefined ? { ...sink, dataset: pipeId } : sink),
  validate(sink, at, errors) {
    if (typeof sink.dataset !== 'string') {
      errors.push({ level: 'error', msg: "The dataset sink needs a string 'dataset'", elements: `${at}['dataset']` });
    }
  },
  dataset: (sink) => (typeof sink.dataset === 'string' ? sink.dataset : undefined),
};
