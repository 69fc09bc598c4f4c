// What every source type declares (one module per type, registered in sources/index.ts): its validation, the
// datasets it reads, whether a pipe reading it is an input or an internal pipe, whether namespaces are added by
// default, how it reads, what counts as waiting work, and whether `sesam init` gives it a test alternative.
import type { DatasetProvider } from '../../dtl/index.js';
import type { JsonObject, JsonValue } from '../../format/json.js';
import type { ConfigError } from '../config-errors.js';
import type { PipeDefinition } from '../pipes.js';
import type { DatasetStore, PipeState } from '../store.js';

export interface SourceBatch {
  entities: JsonObject[];
  /** True when this read saw everything the source has (full run → deletion tracking downstream). */
  full: boolean;
  /** New last-seen (continuation token), or null when the source has none. */
  position: string | null;
  /** False while the source is not populated (its datasets are not): the sink dataset stays unpopulated too. */
  populated?: boolean;
}

export interface SourceContext {
  store: DatasetStore;
  def: PipeDefinition;
  /** Mutable pipe state; sources may keep memory in state.extra (saved with the run). */
  state: PipeState;
  /** A note for the run log (e.g. an external source read as empty). */
  note(message: string): void;
}

export interface SourceSettings {
  pipeId: string;
  namespacedIdentifiers: boolean;
  metadata: JsonObject;
}

export interface SourceType {
  /** 'datasets': reads node datasets (an internal pipe); 'receiver': JSON push; 'input': config or a system. */
  role: 'datasets' | 'receiver' | 'input';
  /** Needs a system the embedded node cannot reach: read as empty with a note. */
  external?: boolean;
  /** Namespaces are added by default when namespaced identifiers are on. */
  addNamespaces: boolean;
  /** `sesam init` adds a conditional embedded test alternative to pipes with this source. */
  testAlternative: boolean;
  validate?(source: JsonObject, at: string, errors: ConfigError[]): void;
  /** Datasets read by the source. */
  datasets?(source: JsonObject, pipeId: string): string[];
  /** Compile-time plan kept on the definition (e.g. merge rules); throws a message for config errors. */
  compile?(source: JsonObject, settings: SourceSettings): unknown;
  read(ctx: SourceContext, since: string | null, datasets: DatasetProvider): SourceBatch;
  /** Source entities waiting after last-seen. */
  queue?(ctx: Pick<SourceContext, 'store' | 'def'>, lastSeen: string | null): number;
}

/** Dataset ids from a `datasets` list of "id" or "id alias" strings. */
export function datasetIds(value: JsonValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim().split(/\s+/)[0]!);
}

/** Continuation token of multi-dataset sources: each dataset's next offset. */
export function datasetsPosition(store: DatasetStore, datasets: readonly string[]): string {
  const pos: Record<string, number> = {};
  for (const d of datasets) pos[d] = store.dataset(d)?.nextOffset ?? 0;
  return JSON.stringify(pos);
}

/** Versions written to the datasets since a multi-dataset continuation token. */
export function datasetsQueue(store: DatasetStore, datasets: readonly string[], lastSeen: string | null): number {
  let previous: Record<string, number> = {};
  try {
    previous = lastSeen ? (JSON.parse(lastSeen) as Record<string, number>) : {};
  } catch {
    previous = {};
  }
  let n = 0;
  for (const id of datasets) {
    const d = store.dataset(id);
    if (d && d.nextOffset > (previous[id] ?? 0)) n += d.nextOffset - (previous[id] ?? 0);
  }
  return n;
}

/**
 * A multi-dataset source is populated when its `initial_datasets` (default: all its datasets) are; datasets that
 * do not exist are skipped unless `ignore_non_existent_datasets` is false (configuration-sources-merge-datasets.rst).
 */
export function datasetsPopulated(store: DatasetStore, source: JsonObject, datasets: readonly string[]): boolean {
  const initial = Array.isArray(source.initial_datasets) ? datasetIds(source.initial_datasets) : datasets;
  const ignoreMissing = source.ignore_non_existent_datasets !== false;
  return initial.every((id) => {
    const d = store.dataset(id);
    return d ? d.populated : ignoreMissing;
  });
}

/** The shared check of `datasets`: a list of dataset ids (optionally "id alias"). */
export function validateDatasetsList(source: JsonObject, at: string, errors: ConfigError[]): void {
  if (!Array.isArray(source.datasets) || source.datasets.some((d) => typeof d !== 'string')) {
    errors.push({
      level: 'error',
      msg: `The ${String(source.type)} source needs 'datasets', a list of strings`,
      elements: `${at}['datasets']`,
    });
  }
}
