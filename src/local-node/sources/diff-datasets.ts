// diff_datasets (deprecated on Sesam, still accepted): merge_datasets with strategy "all", plus a `$diff` of the
// compared properties whose values are not equal across the datasets; ids that are equal everywhere are left out.
// `whitelist`/`blacklist` choose the properties, `treat_lists_as_sets` ignores list order and duplicates, and
// `ignore_deletes` treats a deleted version as absent (else a dataset without a live version is a difference).
import { isJsonObject, type JsonObject, type JsonValue, stringifyJson } from '../../format/json.js';
import type { ConfigError } from '../config-errors.js';
import { latestAcrossDatasets, mergedAll, type MergedRow } from './merge-datasets.js';
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

interface DiffSettings {
  whitelist?: string[];
  blacklist: Set<string>;
  listsAsSets: boolean;
  ignoreDeletes: boolean;
}

const stringList = (v: JsonValue | undefined): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;

function settingsOf(source: JsonObject): DiffSettings {
  return {
    whitelist: stringList(source.whitelist),
    blacklist: new Set(stringList(source.blacklist) ?? []),
    listsAsSets: source.treat_lists_as_sets === true,
    ignoreDeletes: source.ignore_deletes === true,
  };
}

/** A text that is equal for equal values (keys sorted; with lists as sets, lists sorted and deduplicated). */
function comparable(value: JsonValue, listsAsSets: boolean): string {
  const normal = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) {
      const items = v.map(normal);
      if (!listsAsSets) return items;
      const unique = new Map(items.map((i) => [stringifyJson(i, { sortKeys: true }), i]));
      return [...unique.keys()].sort().map((k) => unique.get(k)!);
    }
    if (!isJsonObject(v)) return v;
    const out: JsonObject = {};
    for (const [k, item] of Object.entries(v)) out[k] = normal(item);
    return out;
  };
  return stringifyJson(normal(value), { sortKeys: true });
}

/** `$diff` of one id: property → dataset → value, for each compared property that differs; null when all equal. */
export function diffOf(row: MergedRow, datasets: readonly string[], s: DiffSettings): JsonObject | null {
  const live = new Map<string, JsonObject>();
  for (const d of datasets) {
    const version = row.parts[d];
    if (isJsonObject(version) && (version._deleted !== true || !s.ignoreDeletes)) live.set(d, version);
  }
  if (live.size === 0) return null;
  const present = (e: JsonObject | undefined) => e !== undefined && e._deleted !== true;
  const names = s.whitelist ?? [...new Set([...live.values()].flatMap((e) => Object.keys(e)))];
  const diff: JsonObject = {};
  for (const name of names.sort()) {
    if (name.startsWith('_') || s.blacklist.has(name)) continue;
    const values: JsonObject = {};
    const seen = new Set<string>();
    for (const d of datasets) {
      const e = live.get(d);
      values[d] = present(e) ? (e![name] ?? null) : null;
      seen.add(present(e) ? comparable(values[d]!, s.listsAsSets) : '\u0000absent');
    }
    if (seen.size > 1) diff[name] = values;
  }
  // A dataset without a live version differs even when no compared property shows it.
  const existence = datasets.map((d) => present(live.get(d)));
  if (Object.keys(diff).length === 0 && existence.every((x) => x === existence[0])) return null;
  return diff;
}

function read(ctx: SourceContext): SourceBatch {
  const { store, def } = ctx;
  const datasets = def.sourceDatasets;
  const settings = settingsOf(def.source);
  const entities: JsonObject[] = [];
  for (const row of latestAcrossDatasets(store, datasets)) {
    const diff = diffOf(row, datasets, settings);
    if (diff) entities.push({ ...mergedAll(row), $diff: diff });
  }
  return {
    entities,
    full: true,
    position: datasetsPosition(store, datasets),
    populated: datasetsPopulated(store, def.source, datasets),
  };
}

function validate(source: JsonObject, at: string, errors: ConfigError[]): void {
  validateDatasetsList(source, at, errors);
  for (const key of ['whitelist', 'blacklist']) {
    const v = source[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((s) => typeof s !== 'string')))
      errors.push({
        level: 'error',
        msg: `The diff_datasets '${key}' must be a list of strings`,
        elements: `${at}['${key}']`,
      });
  }
}

export const diffDatasetsSource: SourceType = {
  role: 'datasets',
  addNamespaces: false,
  testAlternative: false,
  validate,
  datasets: (source) => datasetIds(source.datasets),
  read,
  queue: ({ store, def }, lastSeen) => datasetsQueue(store, def.sourceDatasets, lastSeen),
};
