// The merge source (default/compact/list strategies): equality rules join entities across datasets transitively
// (union-find), merged entities get `$ids` and a composite or "first" identity, deleted inputs are never merged,
// and ids a previous run emitted that are now part of another merged entity come out deleted with
// `$replaced: true`. Equality expressions are DTL, evaluated through the DTL engine with the alias rewritten to
// `_S`; as in hops joins, values overlap when any element does and a `tuples` value is one composite key. Each run
// is a full read (deletion tracking in the sink removes what disappeared).
import { compileDtl, type CompiledDtl, type DatasetProvider } from '../../dtl/index.js';
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../../format/json.js';
import {
  datasetsPopulated,
  datasetsPosition,
  datasetsQueue,
  datasetIds,
  validateDatasetsList,
  type SourceBatch,
  type SourceContext,
  type SourceSettings,
  type SourceType,
} from './types.js';

const KEY = 'merge:key';

interface Side {
  alias: string;
  evaluator: CompiledDtl;
}

export interface MergePlan {
  datasets: { id: string; alias: string }[];
  rules: [Side, Side][];
  identity: 'composite' | 'first';
  strategy: 'default' | 'compact' | 'list';
  maxMerged: number;
}

interface MergeSettings {
  pipeId: string;
  namespacedIdentifiers: boolean;
  maxMerged: number;
}

/** Aliases whose paths ("a.x") occur in an expression. */
function aliasesIn(expr: JsonValue, aliases: Set<string>, found: Set<string>): void {
  if (typeof expr === 'string') {
    const dot = expr.indexOf('.');
    if (dot > 0 && aliases.has(expr.slice(0, dot))) found.add(expr.slice(0, dot));
  } else if (Array.isArray(expr)) for (const e of expr) aliasesIn(e, aliases, found);
}

function rewrite(expr: JsonValue, alias: string): JsonValue {
  if (typeof expr === 'string') return expr.startsWith(`${alias}.`) ? `_S.${expr.slice(alias.length + 1)}` : expr;
  if (Array.isArray(expr)) return expr.map((e) => rewrite(e, alias));
  return expr;
}

function compileSide(expr: JsonValue, aliases: Set<string>, settings: MergeSettings, where: string): Side {
  const found = new Set<string>();
  aliasesIn(expr, aliases, found);
  if (found.size !== 1) {
    throw new Error(`${where}: each side of an equality rule must reference exactly one dataset alias`);
  }
  const alias = [...found][0]!;
  const evaluator = compileDtl(
    {
      type: 'dtl',
      rules: {
        default: [
          ['copy', '_id'],
          ['add', KEY, rewrite(expr, alias)],
        ],
      },
    },
    {
      pipeId: settings.pipeId,
      namespacedIdentifiers: settings.namespacedIdentifiers,
      identityNamespace: settings.pipeId,
      propertyNamespace: settings.pipeId,
      sinkIsDataset: false,
    },
  );
  return { alias, evaluator };
}

/** Validate and compile a merge source config; throws (DtlConfigError or Error) with a message naming the rule. */
export function compileMergeSource(source: JsonObject, settings: MergeSettings): MergePlan {
  const datasets = (Array.isArray(source.datasets) ? source.datasets : []).map((d) => {
    const [id, alias] = String(d).trim().split(/\s+/);
    return { id: id!, alias: alias ?? id! };
  });
  const aliases = new Set(datasets.map((d) => d.alias));
  const rules: [Side, Side][] = [];
  const equality = Array.isArray(source.equality) ? source.equality : [];
  equality.forEach((rule, i) => {
    if (!Array.isArray(rule) || rule[0] !== 'eq' || rule.length !== 3) {
      throw new Error(`equality[${i}] must be ["eq", A, B]`);
    }
    rules.push([
      compileSide(rule[1]!, aliases, settings, `equality[${i}]`),
      compileSide(rule[2]!, aliases, settings, `equality[${i}]`),
    ]);
  });
  const sets = Array.isArray(source.equality_sets) ? source.equality_sets : [];
  sets.forEach((set, i) => {
    if (!Array.isArray(set) || set.length < 1) throw new Error(`equality_sets[${i}] must be a non-empty list`);
    for (let j = 1; j < set.length; j++) {
      rules.push([
        compileSide(set[j - 1]!, aliases, settings, `equality_sets[${i}]`),
        compileSide(set[j]!, aliases, settings, `equality_sets[${i}]`),
      ]);
    }
  });
  const strategy = source.strategy ?? 'default';
  if (strategy !== 'default' && strategy !== 'compact' && strategy !== 'list') {
    throw new Error(`unknown merge strategy '${String(strategy)}'`);
  }
  const identity = source.identity ?? 'composite';
  if (identity !== 'composite' && identity !== 'first') throw new Error(`unknown merge identity '${String(identity)}'`);
  const maxMerged = typeof source.max_merged === 'number' ? source.max_merged : settings.maxMerged;
  return { datasets, rules, identity, strategy, maxMerged };
}

interface Member {
  index: number;
  entity: JsonObject;
}

function keyValues(side: Side, entity: JsonObject, datasets: DatasetProvider): string[] {
  const out = side.evaluator.transform(entity, { datasets });
  const value = out[0]?.[KEY];
  // One level: a list's elements are the keys, and an element that is itself a list is a composite key (tuples).
  const keys = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return keys.filter((v) => v !== null && !(Array.isArray(v) && v.length === 0)).map((v) => stringifyJson(v));
}

function asList(v: JsonValue): JsonValue[] {
  return Array.isArray(v) ? v : [v];
}

function mergeContent(members: Member[], strategy: MergePlan['strategy']): JsonObject {
  if (strategy === 'list') {
    return { $merged: members.map((m) => stripReserved(m.entity)) };
  }
  const out: JsonObject = {};
  for (const m of members) {
    const content = stripReserved(m.entity);
    for (const key of Object.keys(content)) {
      if (key === '$ids') continue;
      const value = content[key]!;
      out[key] = key in out ? [...asList(out[key]!), ...asList(value)] : value;
    }
  }
  if (strategy === 'compact') {
    for (const key of Object.keys(out)) {
      const v = out[key]!;
      if (v === null) {
        delete out[key];
        continue;
      }
      // A lone entity's values are its own: only nulls and empty lists go.
      if (!Array.isArray(v) || members.length === 1) {
        if (Array.isArray(v) && v.length === 0) delete out[key];
        continue;
      }
      const seen = new Set<string>();
      const unique = v.filter((x) => {
        const k = stringifyJson(x);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
      if (unique.length === 0) delete out[key];
      else out[key] = unique.length === 1 ? unique[0]! : unique;
    }
  }
  return out;
}

function stripReserved(entity: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(entity)) if (!key.startsWith('_')) out[key] = entity[key]!;
  return out;
}

function idsOf(members: Member[]): JsonValue[] {
  const ids: JsonValue[] = [];
  for (const m of members) {
    const own = m.entity.$ids;
    if (own !== undefined && own !== null) ids.push(...asList(own));
    else ids.push(`~:${String(m.entity._id)}`);
  }
  return ids;
}

function readMerge(ctx: SourceContext, _since: string | null, datasets: DatasetProvider): SourceBatch {
  const { store } = ctx;
  const plan = ctx.def.sourcePlan as MergePlan;
  const members: Member[] = [];
  const deleted: Member[] = [];
  plan.datasets.forEach((d, index) => {
    const rows = store.read(d.id, { history: false, deleted: true });
    rows.sort((a, b) => (String(a._id) < String(b._id) ? -1 : String(a._id) > String(b._id) ? 1 : 0));
    for (const entity of rows) (entity._deleted === true ? deleted : members).push({ index, entity });
  });

  // Union-find over live members.
  const parent = members.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const aliasIndex = new Map(plan.datasets.map((d, i) => [d.alias, i]));
  for (const [left, right] of plan.rules) {
    const index = new Map<string, number>();
    const li = aliasIndex.get(left.alias)!;
    const ri = aliasIndex.get(right.alias)!;
    members.forEach((m, i) => {
      if (m.index !== li) return;
      for (const k of keyValues(left, m.entity, datasets)) {
        const j = index.get(k);
        if (j === undefined) index.set(k, i);
        else union(i, j);
      }
    });
    members.forEach((m, i) => {
      if (m.index !== ri) return;
      for (const k of keyValues(right, m.entity, datasets)) {
        const j = index.get(k);
        if (j !== undefined) union(i, j);
        if (li === ri && j === undefined) index.set(k, i);
      }
    });
  }

  const groups = new Map<number, Member[]>();
  members.forEach((m, i) => {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(m);
    else groups.set(root, [m]);
  });
  const identity = (group: Member[]) =>
    plan.identity === 'first'
      ? String(group[0]!.entity._id)
      : group.map((m) => `${m.index}|${String(m.entity._id)}`).join('|');
  const entities: JsonObject[] = [];
  const current: JsonObject = {};
  const memberOwner = new Map<string, string>();
  for (const group of groups.values()) {
    if (group.length > plan.maxMerged) {
      throw new Error(
        `more than max_merged (${plan.maxMerged}) entities merged into one (${identity(group.slice(0, 3))}|...)`,
      );
    }
    const id = identity(group);
    entities.push({ _id: id, $ids: idsOf(group), ...mergeContent(group, plan.strategy) });
    current[id] = group.map((m) => `${m.index}|${String(m.entity._id)}`);
    for (const m of group) memberOwner.set(`${m.index}|${String(m.entity._id)}`, id);
  }
  for (const m of deleted) {
    const single = [m];
    entities.push({ _id: identity(single), $ids: idsOf(single), ...stripReserved(m.entity), _deleted: true });
  }
  // Ids emitted before whose members now belong to another merged entity were replaced.
  const previous = isJsonObject(ctx.state.extra.merged) ? ctx.state.extra.merged : {};
  for (const oldId of Object.keys(previous)) {
    if (oldId in current) continue;
    const oldMembers = asList(previous[oldId]!).map(String);
    if (!oldMembers.some((k) => memberOwner.has(k))) continue;
    entities.push({
      _id: oldId,
      $ids: oldMembers.map((k) => `~:${k.slice(k.indexOf('|') + 1)}`),
      _deleted: true,
      $replaced: true,
    });
  }
  ctx.state.extra = { ...ctx.state.extra, merged: current };
  const ids = plan.datasets.map((d) => d.id);
  return {
    entities,
    full: true,
    position: datasetsPosition(store, ids),
    populated: datasetsPopulated(store, ctx.def.source, ids),
  };
}

export const mergeSource: SourceType = {
  role: 'datasets',
  addNamespaces: false,
  testAlternative: false,
  validate: validateDatasetsList,
  datasets: (source) => datasetIds(source.datasets),
  compile(source: JsonObject, settings: SourceSettings): MergePlan {
    const globals = isJsonObject(settings.metadata.global_defaults) ? settings.metadata.global_defaults : {};
    return compileMergeSource(source, {
      pipeId: settings.pipeId,
      namespacedIdentifiers: settings.namespacedIdentifiers,
      maxMerged: typeof globals.max_merged === 'number' ? globals.max_merged : 50000,
    });
  },
  read: readMerge,
  queue: ({ store, def }, lastSeen) => datasetsQueue(store, def.sourceDatasets, lastSeen),
};
