// Entity comparison for json/excel specs (reference §6.4, §6.5): sesam-py's notion of equality — the multiset of
// canonical serialisations, so 1 ≠ 1.0 and order does not matter — reported as an entity-level diff keyed by `_id`.
import { fixDecimalToInts } from '../format/expected.js';
import { compareCodePoints, isJsonObject, JsonFloat, stringifyJson, type JsonValue } from '../format/json.js';
import { diffJson } from '../format/json-diff.js';
import { canonicalEqual, canonicalHash } from './canonical-key.js';
import { makeEntityFilter } from './filter.js';

export interface PrepareOptions {
  blacklist?: readonly string[];
  /** Drop produced `_deleted: true` entities unless expected has them (sesam-py's default). */
  ignoreDeletes?: boolean;
  noLargeIntBugs?: boolean;
}

/** One changed value inside an entity; a side that lacks the property has no key (not even undefined). */
export interface ValueChange {
  /** JSON path from the entity root (format/json-diff's childPath): `$.address.city`, `$.tags[2]`, `$["odd key"]`. */
  path: string;
  expected?: JsonValue;
  actual?: JsonValue;
}

export interface ChangedEntity {
  id: JsonValue;
  changes: ValueChange[];
}

export interface EntityDiff {
  equal: boolean;
  expectedCount: number;
  actualCount: number;
  /** Expected but not produced. */
  missing: JsonValue[];
  /** Produced but not expected. */
  unexpected: JsonValue[];
  /** Same `_id` on both sides, different content. */
  changed: ChangedEntity[];
}

/** Canonical serialisation: Python json.dumps(sort_keys=True), the identity of an entity for comparison. */
export function canonical(value: JsonValue, ensureAscii = false): string {
  return stringifyJson(value, { sortKeys: true, ensureAscii });
}

/**
 * The node's output as verify compares it: filtered (internal properties, blacklist), unexpected deletes dropped
 * when ignore_deletes, then floats like 5.0 turned into ints and (by default) long ints rounded through a double.
 */
export function prepareActual(
  actual: readonly JsonValue[],
  expected: readonly JsonValue[],
  options: PrepareOptions = {},
): JsonValue[] {
  const prepare = actualPreparer(expected, options);
  const out: JsonValue[] = [];
  for (const e of actual) {
    const p = prepare(e);
    if (p !== undefined) out.push(p);
  }
  return out;
}

/** The per-entity form of prepareActual: undefined for an entity that does not take part. */
function actualPreparer(
  expected: readonly JsonValue[],
  options: PrepareOptions,
): (entity: JsonValue) => JsonValue | undefined {
  const filter = makeEntityFilter(options.blacklist ?? []);
  const fix = { noLargeIntBugs: options.noLargeIntBugs };
  const ignoreDeletes = options.ignoreDeletes ?? true;
  const expectedDeletes = new Set<string>();
  if (ignoreDeletes) {
    for (const e of expected)
      if (isJsonObject(e) && e._deleted === true && '_id' in e) expectedDeletes.add(canonical(e._id!));
  }
  return (entity) => {
    const e = filter(entity);
    if (
      ignoreDeletes &&
      isJsonObject(e) &&
      e._deleted === true &&
      !('_id' in e && expectedDeletes.has(canonical(e._id!)))
    )
      return undefined;
    return fixDecimalToInts(e, fix);
  };
}

/** The node's output as `update` writes it: filtered, fixed, every delete dropped when ignore_deletes, sorted. */
export function prepareForUpdate(
  actual: readonly JsonValue[],
  options: PrepareOptions & { fieldsToSortBy?: readonly string[]; unicodeEncoding?: boolean } = {},
): JsonValue[] {
  const filter = makeEntityFilter(options.blacklist ?? []);
  let current = actual.map((e) => fixDecimalToInts(filter(e), { noLargeIntBugs: options.noLargeIntBugs }));
  if (options.ignoreDeletes ?? true) current = current.filter((e) => !(isJsonObject(e) && e._deleted === true));
  return sortEntities(current, options.fieldsToSortBy ?? ['_id'], options.unicodeEncoding ?? false);
}

/** Compare expected entities with the node's raw output (prepared one entity at a time, to bound memory). */
export function compareEntities(
  expected: readonly JsonValue[],
  actual: readonly JsonValue[],
  options: PrepareOptions = {},
): EntityDiff {
  return diffWith(expected, actual, actualPreparer(expected, options));
}

/** Compare two prepared entity lists as multisets; report the difference by `_id`. */
export function diffEntities(expected: readonly JsonValue[], actual: readonly JsonValue[]): EntityDiff {
  return diffWith(expected, actual, (e) => e);
}

function diffWith(
  expected: readonly JsonValue[],
  actual: readonly JsonValue[],
  prepare: (e: JsonValue) => JsonValue | undefined,
): EntityDiff {
  // 1. Cancel identical entities (duplicates count): what is left is the difference. To bound memory and time on
  //    large outputs no canonical text is built: the expected side is indexed by a 53-bit hash of each entity's
  //    canonical text, computed from the value (sorted, in typed arrays), and a hash hit is confirmed by an exact
  //    canonical equality, so a collision can never make different entities equal. A prepared node entity is
  //    kept only when it matches nothing.
  const index = new ExpectedIndex(expected);
  const extraActual: JsonValue[] = [];
  let actualCount = 0;
  for (const raw of actual) {
    const a = prepare(raw);
    if (a === undefined) continue;
    actualCount++;
    if (!index.take(a)) extraActual.push(a);
  }
  const extraExpected = index.left();

  const result: EntityDiff = {
    equal: extraExpected.length === 0 && extraActual.length === 0,
    expectedCount: expected.length,
    actualCount,
    missing: [],
    unexpected: [],
    changed: [],
  };
  if (result.equal) return result;

  // 2. Pair what is left by `_id` into changed entities; the rest is missing or unexpected.
  const byId = new Map<string, JsonValue[]>();
  for (const e of sortById(extraExpected)) {
    if (!hasId(e)) {
      result.missing.push(e);
      continue;
    }
    const key = canonical(e._id);
    const list = byId.get(key);
    if (list) list.push(e);
    else byId.set(key, [e]);
  }
  for (const a of sortById(extraActual)) {
    const partner = hasId(a) ? byId.get(canonical(a._id))?.shift() : undefined;
    if (partner === undefined) result.unexpected.push(a);
    else result.changed.push({ id: (a as { _id: JsonValue })._id, changes: diffValues(partner, a) });
  }
  for (const list of byId.values()) result.missing.push(...list);
  result.missing = sortById(result.missing);
  result.changed.sort((x, y) => comparePython(x.id, y.id));
  return result;
}

/**
 * The expected entities as a multiset: positions sorted by canonical hash (ties by position), so equal entities
 * are neighbours, with a flag per entity once a node entity has matched it. Typed arrays: about 17 bytes an entity.
 */
class ExpectedIndex {
  private readonly hashes: Float64Array; // by sorted position
  private readonly order: Int32Array; // sorted position -> index in expected
  private readonly taken: Uint8Array; // by sorted position

  constructor(private readonly expected: readonly JsonValue[]) {
    const n = expected.length;
    const byIndex = new Float64Array(n);
    for (let i = 0; i < n; i++) byIndex[i] = canonicalHash(expected[i]!);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => byIndex[x]! - byIndex[y]! || x - y);
    const hashes = new Float64Array(n);
    for (let p = 0; p < n; p++) hashes[p] = byIndex[order[p]!]!;
    this.hashes = hashes;
    this.order = order;
    this.taken = new Uint8Array(n);
  }

  /** Mark the first (by position) untaken expected entity equal to `entity` as matched; false if there is none. */
  take(entity: JsonValue): boolean {
    const h = canonicalHash(entity);
    const { hashes, order, taken, expected } = this;
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    for (let p = lo; p < hashes.length && hashes[p] === h; p++) {
      if (taken[p] === 0 && canonicalEqual(expected[order[p]!]!, entity)) {
        taken[p] = 1;
        return true;
      }
    }
    return false;
  }

  /**
   * The unmatched expected entities: entities of one hash together, the groups in the order of their first
   * entity, each group in file order (the order a Map from hash to positions would give).
   */
  left(): JsonValue[] {
    const { hashes, order, taken, expected } = this;
    const n = hashes.length;
    const groupStart = new Int32Array(n).fill(-1); // index in expected of a group's first entity -> its position
    for (let p = 0; p < n; p++) if (p === 0 || hashes[p] !== hashes[p - 1]) groupStart[order[p]!] = p;
    const out: JsonValue[] = [];
    for (let i = 0; i < n; i++) {
      const start = groupStart[i]!;
      if (start === -1) continue;
      for (let p = start; p < n && hashes[p] === hashes[start]; p++) if (taken[p] === 0) out.push(expected[order[p]!]!);
    }
    return out;
  }
}

function hasId(e: JsonValue): e is { _id: JsonValue } {
  return isJsonObject(e) && '_id' in e;
}

/** Entities ordered by `_id` (Python ordering across types); entities without one keep their order, last. */
function sortById(entities: JsonValue[]): JsonValue[] {
  const withId = entities.filter(hasId) as { _id: JsonValue }[];
  const without = entities.filter((e) => !hasId(e));
  withId.sort((a, b) => comparePython(a._id, b._id));
  return [...withId, ...without];
}

/** The changed values between two versions of an entity, in path order (the shared structural diff). */
export function diffValues(expected: JsonValue, actual: JsonValue): ValueChange[] {
  return diffJson(expected, actual).map(({ path, before, after }) => ({
    path,
    ...(before !== undefined ? { expected: before } : {}),
    ...(after !== undefined ? { actual: after } : {}),
  }));
}

// ---- Python ordering ---------------------------------------------------------------------------------------
// sesam-py sorts with Python's comparison, which raises TypeError on mixed types (None, int vs str ids). We order
// by a type rank first (null < numbers and booleans < strings < lists < objects), then by value as Python does.

function typeRank(v: JsonValue | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || v instanceof JsonFloat) return 1;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 3;
  return 4;
}

export function comparePython(a: JsonValue | undefined, b: JsonValue | undefined): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return compareNumbers(a as NumberLike, b as NumberLike);
    case 2:
      return compareCodePoints(a as string, b as string);
    case 3: {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = comparePython(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
    default:
      return compareCodePoints(canonical(a!), canonical(b!));
  }
}

type NumberLike = boolean | number | bigint | JsonFloat;

function compareNumbers(a: NumberLike, b: NumberLike): number {
  const x = numeric(a);
  const y = numeric(b);
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  // A bigint against a double: compare exactly.
  return typeof x === 'bigint' ? -compareDoubleBig(y as number, x) : compareDoubleBig(x as number, y as bigint);
}

function numeric(v: NumberLike): number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof JsonFloat) return v.value;
  return v;
}

function compareDoubleBig(d: number, b: bigint): number {
  if (Number.isNaN(d)) return 0;
  if (d === Infinity) return 1;
  if (d === -Infinity) return -1;
  const floor = BigInt(Math.floor(d));
  if (floor !== b) return floor < b ? -1 : 1;
  return Number.isInteger(d) ? 0 : 1;
}

/**
 * sesam-py's entity order: by the `fields_to_sort_by` values (objects as their sorted JSON text), then by the whole
 * entity's json.dumps(sort_keys=True) — the order `update` writes expected files in.
 */
export function sortEntities(
  entities: readonly JsonValue[],
  fieldsToSortBy: readonly string[],
  ensureAscii = false,
): JsonValue[] {
  const keyed = entities.map((e) => {
    const fields = fieldsToSortBy.map((f): JsonValue | undefined => {
      const v = isJsonObject(e) ? e[f] : undefined;
      return isJsonObject(v) ? canonical(v, ensureAscii) : v;
    });
    return { e, fields, tie: canonical(e, ensureAscii) };
  });
  keyed.sort((x, y) => {
    for (let i = 0; i < x.fields.length; i++) {
      const c = comparePython(x.fields[i], y.fields[i]);
      if (c !== 0) return c;
    }
    return compareCodePoints(x.tie, y.tie);
  });
  return keyed.map((k) => k.e);
}
