// hops / apply-hops / lookup-entity: joins from the source entity into other datasets. An `eq` whose two sides
// each reference exactly one distinct alias (or `_S`) is a join with any-overlap semantics, answered from an index
// (key → entities) built once per dataset version; every other where-expression is a filter on the joined rows.
// Deleted entities and null keys are never indexed, so they never join.
import { JsonFloat, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import { compileExpr, configError, type CompileEnv } from './compiler.js';
import { DtlRuntimeError } from './errors.js';
import type { Expr, Scope } from './scope.js';
import {
  isTruthy,
  decodeTransit,
  encodeTransit,
  isDict,
  toExactDecimal,
  Decimal,
  type DtlDict,
  type DtlValue,
} from './values.js';

export interface DatasetProvider {
  /** Latest non-deleted entities of a dataset (transit-encoded JSON, as stored), or undefined if it does not exist. */
  entities(datasetId: string): readonly JsonObject[] | undefined;
  /** Changes whenever the dataset changes (for index caching). */
  version(datasetId: string): number;
  /** Optional: completeness (ns since epoch) of `datasetId` as seen by the pipe writing `viaDatasetId`, for `completeness`. */
  completeness?(viaDatasetId: string, datasetId: string): bigint | null;
}

/** Canonical join key of a value: numbers by exact value (1, 1.0 and ~f1 join), other types by transit JSON. */
export function joinKey(v: DtlValue): string | undefined {
  if (v === null) return undefined;
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'number':
    case 'bigint':
      return `n${v.toString()}`;
    case 'boolean':
      return v ? 'b1' : 'b0';
  }
  if (v instanceof JsonFloat) {
    if (!Number.isFinite(v.value)) return `f${String(v.value)}`;
    return `n${toExactDecimal(v.value).stripTo(0).toString()}`;
  }
  if (v instanceof Decimal) return `n${v.stripTo(0).toString()}`;
  return `x${stringifyJson(encodeTransit(v), { sortKeys: true })}`;
}

interface DatasetCache {
  version: number;
  entities: DtlDict[];
  byId: Map<string, DtlDict>;
  /** Position of each entity, for "ordered by _id per dataset" results. */
  order: Map<DtlDict, number>;
  indexes: Map<string, Map<string, DtlDict[]>>;
}

/** Decoded datasets and join indexes, cached per provider and dataset version (one per compiled DTL). */
export class DatasetIndexes {
  private readonly cache = new Map<string, DatasetCache>();
  constructor(private provider: DatasetProvider) {}

  use(provider: DatasetProvider): void {
    if (provider !== this.provider) {
      this.provider = provider;
      this.cache.clear();
    }
  }

  dataset(id: string): DatasetCache {
    const version = this.provider.version(id);
    const hit = this.cache.get(id);
    if (hit && hit.version === version) return hit;
    const raw = this.provider.entities(id);
    if (!raw)
      throw new DtlRuntimeError(
        `hops: dataset '${id}' does not exist (all datasets a pipe hops to must exist and be populated)`,
      );
    const entities: DtlDict[] = [];
    for (const e of raw) {
      if (e._deleted === true) continue;
      entities.push(decodeTransit(e) as DtlDict);
    }
    entities.sort((a, b) => {
      const x = typeof a._id === 'string' ? a._id : '';
      const y = typeof b._id === 'string' ? b._id : '';
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const byId = new Map<string, DtlDict>();
    const order = new Map<DtlDict, number>();
    entities.forEach((e, i) => {
      if (typeof e._id === 'string') byId.set(e._id, e);
      order.set(e, i);
    });
    const fresh: DatasetCache = { version, entities, byId, order, indexes: new Map() };
    this.cache.set(id, fresh);
    return fresh;
  }

  completeness(via: string, id: string): bigint | null {
    if (!this.provider.completeness)
      throw new DtlRuntimeError('completeness: this node does not track dataset completeness');
    return this.provider.completeness(via, id);
  }

  byId(id: string): Map<string, DtlDict> {
    return this.dataset(id).byId;
  }

  /** key → entities whose `keyOf(entity)` values contain key (built once per dataset version and indexKey). */
  index(
    id: string,
    indexKey: string,
    keyOf: (e: DtlDict) => DtlValue,
    include?: (e: DtlDict) => boolean,
  ): Map<string, DtlDict[]> {
    const ds = this.dataset(id);
    let idx = ds.indexes.get(indexKey);
    if (idx) return idx;
    idx = new Map();
    for (const e of ds.entities) {
      if (include && !include(e)) continue;
      const v = keyOf(e);
      const seen = new Set<string>();
      for (const x of Array.isArray(v) ? v : [v]) {
        const k = joinKey(x);
        if (k === undefined || seen.has(k)) continue;
        seen.add(k);
        const list = idx.get(k);
        if (list) list.push(e);
        else idx.set(k, [e]);
      }
    }
    ds.indexes.set(indexKey, idx);
    return idx;
  }
}

export type CompiledHops = (scope: Scope) => DtlValue[];

interface JoinSide {
  alias: string;
  expr: Expr;
  id: string;
}

interface Join {
  /** The two sides: alias referenced ("_S" for the source) and the compiled side expression. */
  a: JoinSide;
  b: JoinSide;
  /** An `or` of eq joins between the same two aliases: every pair (a/b oriented alike, the first is a/b). */
  pairs: { a: JoinSide; b: JoinSide }[];
}

interface Spec {
  datasets: { id: string; alias: string }[];
  joins: Join[];
  filters: { expr: Expr; aliases: Set<string> }[];
  subsets: Map<string, { key: Expr; value: Expr; id: string }>;
  /** Aliases in the order they get bound (BFS from the source over the joins). */
  plan: { alias: string; via: Join; from: 'a' | 'b' }[];
  returns: ((row: Record<string, DtlValue>, s: Scope) => DtlValue[]) | undefined;
  recurse: boolean;
  excludeRoot: boolean;
  maxDepth: number | null;
}

let nextIndexId = 0;

/** Compile the hops specs of a `hops` or `apply-hops` call. */
export function compileHops(specs: JsonValue[], env: CompileEnv): CompiledHops {
  const compiled = specs.map((spec, i) => compileSpec(spec, env, i === specs.length - 1));
  return (s) => {
    let indexes = s.run.indexes;
    if (!indexes) throw new DtlRuntimeError(`hops: no datasets are available (pipe '${env.pipe.pipeId}')`);
    let inputs: DtlValue[] = [s.S];
    for (const spec of compiled) {
      const out: DtlValue[] = [];
      const seen = new Set<DtlValue>();
      for (const input of inputs) {
        for (const r of spec.recurse ? runRecursive(spec, input, s, indexes) : runSpec(spec, input, s, indexes)) {
          if (isDict(r)) {
            if (seen.has(r)) continue;
            seen.add(r);
          }
          out.push(r);
        }
      }
      inputs = out;
      indexes = s.run.indexes!;
    }
    return inputs;
  };
}

function runRecursive(spec: Spec, input: DtlValue, s: Scope, indexes: DatasetIndexes): DtlValue[] {
  const results: DtlValue[] = spec.excludeRoot ? [] : [input];
  const seen = new Set<DtlValue>([input]);
  let frontier = [input];
  for (let depth = 0; frontier.length && (spec.maxDepth === null || depth < spec.maxDepth); depth++) {
    const next: DtlValue[] = [];
    for (const f of frontier) {
      for (const e of runSpec(spec, f, s, indexes)) {
        if (seen.has(e)) continue;
        seen.add(e);
        next.push(e);
      }
    }
    results.push(...next);
    frontier = next;
  }
  return results;
}

function runSpec(spec: Spec, input: DtlValue, parent: Scope, indexes: DatasetIndexes): DtlValue[] {
  const scope: Scope = { ...parent, S: input, aliases: null };
  const evalIn = (expr: Expr, row: Record<string, DtlValue>): DtlValue => {
    scope.aliases = row;
    return expr(scope);
  };
  let rows: Record<string, DtlValue>[] = [{ _S: input }];
  const bound = new Set<string>(['_S']);
  for (const step of spec.plan) {
    const ds = spec.datasets.find((d) => d.alias === step.alias)!;
    const subset = spec.subsets.get(step.alias);
    const include = subset ? subsetFilter(subset, scope) : undefined;
    const lookups = step.via.pairs.map((pair) => {
      const far = step.from === 'a' ? pair.a : pair.b;
      const index = indexes.index(
        ds.id,
        `${far.id}|${subset?.id ?? ''}`,
        (e) => evalIn(far.expr, { [step.alias]: e }),
        include,
      );
      return { near: step.from === 'a' ? pair.b : pair.a, index };
    });
    const order = indexes.dataset(ds.id).order;
    const next: Record<string, DtlValue>[] = [];
    for (const row of rows) {
      const matches = new Set<DtlDict>();
      for (const { near, index } of lookups) {
        const v = evalIn(near.expr, row);
        for (const x of Array.isArray(v) ? v : [v]) {
          const k = joinKey(x);
          if (k === undefined) continue;
          for (const e of index.get(k) ?? []) matches.add(e);
        }
      }
      const sorted = [...matches].sort((p, q) => order.get(p)! - order.get(q)!);
      for (const e of sorted) next.push({ ...row, [step.alias]: e });
    }
    rows = next;
    bound.add(step.alias);
    if (!rows.length) return [];
  }
  // Joins not used in the plan (cycles) and filters check every row.
  const planned = new Set(spec.plan.map((p) => p.via));
  const extraJoins = spec.joins.filter((j) => !planned.has(j));
  rows = rows.filter((row) => {
    for (const j of extraJoins) {
      if (!j.pairs.some((p) => overlaps(evalIn(p.a.expr, row), evalIn(p.b.expr, row)))) return false;
    }
    for (const f of spec.filters) if (!isTruthy(evalIn(f.expr, row))) return false;
    return true;
  });
  const out: DtlValue[] = [];
  const seen = new Set<DtlValue>();
  const last = spec.datasets[spec.datasets.length - 1]!.alias;
  for (const row of rows) {
    const values = spec.returns ? spec.returns(row, scope) : [row[last] ?? null];
    for (const v of values) {
      if (v === null) continue;
      if (isDict(v)) {
        if (seen.has(v)) continue;
        seen.add(v);
      }
      out.push(v);
    }
  }
  scope.aliases = null;
  return out;
}

function subsetFilter(subset: { key: Expr; value: Expr }, parent: Scope): (e: DtlDict) => boolean {
  const scope: Scope = { ...parent, aliases: null };
  const wanted = subset.value(scope);
  return (e) => {
    scope.S = e;
    return overlaps(subset.key(scope), wanted);
  };
}

function overlaps(x: DtlValue, y: DtlValue): boolean {
  const keys = new Set<string>();
  for (const v of Array.isArray(x) ? x : [x]) {
    const k = joinKey(v);
    if (k !== undefined) keys.add(k);
  }
  for (const v of Array.isArray(y) ? y : [y]) {
    const k = joinKey(v);
    if (k !== undefined && keys.has(k)) return true;
  }
  return false;
}

/** Aliases (and "_S") an expression reads, from its path strings. */
function referencedAliases(json: JsonValue, aliases: ReadonlySet<string>, out = new Set<string>()): Set<string> {
  if (typeof json === 'string') {
    const dot = json.indexOf('.');
    if (dot > 0) {
      const root = json.slice(0, dot);
      if (root === '_S' || aliases.has(root)) out.add(root);
    }
  } else if (Array.isArray(json)) {
    if (json[0] === 'literal') return out;
    for (const x of json) referencedAliases(x, aliases, out);
  } else if (json !== null && typeof json === 'object' && !(json instanceof JsonFloat)) {
    for (const k in json) referencedAliases(json[k]!, aliases, out);
  }
  return out;
}

function compileSpec(raw: JsonValue, env: CompileEnv, isLast: boolean): Spec {
  const fail = (message: string) => configError(env, `bad hops spec: ${message}`, 'hops');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof JsonFloat)
    throw fail('a hops spec must be a dict');
  const datasetsRaw = raw.datasets;
  if (!Array.isArray(datasetsRaw) || datasetsRaw.length === 0)
    throw fail('\'datasets\' must be a non-empty list of "<dataset> <alias>" strings');
  const datasets = datasetsRaw.map((d) => {
    if (typeof d !== 'string') throw fail(`dataset entry ${stringifyJson(d)} is not a string`);
    const parts = d.trim().split(/\s+/);
    if (parts.length !== 2) throw fail(`dataset entry '${d}' must be "<dataset> <alias>"`);
    return { id: parts[0]!, alias: parts[1]! };
  });
  const aliasSet = new Set(datasets.map((d) => d.alias));
  if (aliasSet.size !== datasets.length) throw fail('dataset aliases must be distinct');
  for (const d of datasets) env.hopDatasets.add(d.id);
  const inner: CompileEnv = { ...env, aliases: aliasSet };

  // where: one expression or a list of expressions, and-ed; nested top-level "and"s are flattened.
  const whereRaw = raw.where;
  if (whereRaw === undefined) throw fail("'where' is required");
  let conjuncts: JsonValue[] =
    Array.isArray(whereRaw) && whereRaw.length > 0 && typeof whereRaw[0] === 'string'
      ? [whereRaw]
      : Array.isArray(whereRaw)
        ? whereRaw
        : [whereRaw];
  const flat: JsonValue[] = [];
  const flatten = (c: JsonValue) => {
    if (Array.isArray(c) && c[0] === 'and') c.slice(1).forEach(flatten);
    else flat.push(c);
  };
  conjuncts.forEach(flatten);
  conjuncts = flat;

  // An eq whose sides each read one distinct alias is a join; an `or` of such eqs between the same two aliases
  // is one join that matches when any of them does.
  const joinPair = (c: JsonValue): { a: JoinSide; b: JoinSide } | undefined => {
    if (!Array.isArray(c) || c[0] !== 'eq' || c.length !== 3) return undefined;
    const left = referencedAliases(c[1]!, aliasSet);
    const right = referencedAliases(c[2]!, aliasSet);
    if (left.size !== 1 || right.size !== 1) return undefined;
    const la = [...left][0]!;
    const ra = [...right][0]!;
    if (la === ra) return undefined;
    return {
      a: { alias: la, expr: compileExpr(c[1]!, inner), id: `j${nextIndexId++}` },
      b: { alias: ra, expr: compileExpr(c[2]!, inner), id: `j${nextIndexId++}` },
    };
  };
  const joins: Join[] = [];
  const filters: Spec['filters'] = [];
  for (const c of conjuncts) {
    const pair = joinPair(c);
    if (pair) {
      joins.push({ ...pair, pairs: [pair] });
      continue;
    }
    if (Array.isArray(c) && c[0] === 'or' && c.length > 2) {
      const pairs = c.slice(1).map(joinPair);
      const first = pairs[0];
      const aligned = first
        ? pairs.map((p) =>
            p?.a.alias === first.a.alias && p.b.alias === first.b.alias
              ? p
              : p?.a.alias === first.b.alias && p.b.alias === first.a.alias
                ? { a: p.b, b: p.a }
                : undefined,
          )
        : [];
      if (first && aligned.every((p) => p !== undefined)) {
        joins.push({ ...first, pairs: aligned as { a: JoinSide; b: JoinSide }[] });
        continue;
      }
    }
    filters.push({ expr: compileExpr(c, inner), aliases: referencedAliases(c, aliasSet) });
  }

  // Plan: bind aliases breadth-first from the source; every alias must be reachable.
  const plan: Spec['plan'] = [];
  const bound = new Set(['_S']);
  let progress = true;
  while (progress) {
    progress = false;
    for (const j of joins) {
      if (bound.has(j.a.alias) && !bound.has(j.b.alias)) {
        plan.push({ alias: j.b.alias, via: j, from: 'b' });
        bound.add(j.b.alias);
        progress = true;
      } else if (bound.has(j.b.alias) && !bound.has(j.a.alias)) {
        plan.push({ alias: j.a.alias, via: j, from: 'a' });
        bound.add(j.a.alias);
        progress = true;
      }
    }
  }
  const unreachable = datasets.filter((d) => !bound.has(d.alias)).map((d) => d.alias);
  if (unreachable.length)
    throw fail(
      `alias${unreachable.length > 1 ? 'es' : ''} ${unreachable.map((a) => `'${a}'`).join(', ')} not joined to the source entity by an "eq"`,
    );

  const subsets = new Map<string, { key: Expr; value: Expr; id: string }>();
  if (raw.subsets !== undefined) {
    const sub = raw.subsets;
    if (sub === null || typeof sub !== 'object' || Array.isArray(sub) || sub instanceof JsonFloat)
      throw fail("'subsets' must be a dict");
    for (const alias in sub) {
      if (!aliasSet.has(alias)) throw fail(`subsets: unknown alias '${alias}'`);
      const e = sub[alias]!;
      if (!Array.isArray(e) || e[0] !== 'eq' || e.length !== 3)
        throw fail(`subsets.${alias} must be ["eq", INDEX_EXPRESSION, VALUE]`);
      subsets.set(alias, { key: compileExpr(e[1]!, env), value: compileExpr(e[2]!, env), id: `s${nextIndexId++}` });
    }
  }

  const recurse = raw.recurse === true;
  let returns: Spec['returns'];
  if (raw.return !== undefined) {
    if (!isLast) throw fail("'return' is only allowed on the last hops spec");
    if (recurse) throw fail("'return' cannot be used with 'recurse'");
    const r = raw.return;
    if (typeof r === 'string' && !r.includes('.') && r.split(',').every((a) => aliasSet.has(a.trim()))) {
      const names = r.split(',').map((a) => a.trim());
      returns = (row) => names.map((a) => row[a] ?? null);
    } else {
      const template = compileExpr(r, inner);
      // A template projects each row to one item, a list value included.
      returns = (row, scope) => {
        scope.aliases = row;
        return [template(scope)];
      };
    }
  }
  const maxDepthRaw = raw.max_depth;
  let maxDepth: number | null = 10;
  if (maxDepthRaw === null) maxDepth = null;
  else if (maxDepthRaw !== undefined) {
    if (typeof maxDepthRaw !== 'number' || !Number.isInteger(maxDepthRaw) || maxDepthRaw < 0)
      throw fail("'max_depth' must be a non-negative integer or null");
    maxDepth = maxDepthRaw;
  }
  return {
    datasets,
    joins,
    filters,
    subsets,
    plan,
    returns,
    recurse,
    excludeRoot: raw.exclude_root === true,
    maxDepth,
  };
}
