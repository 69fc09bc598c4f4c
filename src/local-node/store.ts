// The embedded node's durable state: one SQLite file (WAL) or memory. Config entities, env, secrets, dataset
// version logs with a latest-per-id index, and pipe state. All writes of one pump run go through `transaction`
// so a crash mid-run leaves the last committed state.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareCodePoints,
  isIndexLikeKey,
  isJsonObject,
  JsonFloat,
  objectKeys,
  parseJson,
  setKeyOrder,
  setOwn,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '../format/json.js';
import { transferCopy } from '../format/json-transfer.js';
import { entityHash, md5Hex } from './entity-hash.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS config (id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS env (name TEXT PRIMARY KEY, position INTEGER NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS system_secrets (system TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (system, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS datasets (id TEXT PRIMARY KEY, next_offset INTEGER NOT NULL, populated INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS versions (
  dataset TEXT NOT NULL, offset INTEGER NOT NULL, id TEXT NOT NULL, deleted INTEGER NOT NULL,
  hash TEXT NOT NULL, ts INTEGER NOT NULL, previous INTEGER, body TEXT NOT NULL,
  PRIMARY KEY (dataset, offset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS latest (
  dataset TEXT NOT NULL, id TEXT NOT NULL, offset INTEGER NOT NULL, hash TEXT NOT NULL, deleted INTEGER NOT NULL,
  PRIMARY KEY (dataset, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS latest_by_offset ON latest (dataset, offset);
CREATE TABLE IF NOT EXISTS pipe_state (pipe TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export interface DatasetInfo {
  id: string;
  nextOffset: number;
  populated: boolean;
}

export interface ReadOptions {
  /** Exclusive offset. */
  since?: number;
  limit?: number;
  /** All versions (true) or only versions still latest for their id (false). */
  history?: boolean;
  /** Include versions that are deletes. */
  deleted?: boolean;
}

/** Persistent per-pipe state; values are JSON so the shape can grow. */
export interface PipeState {
  lastSeen: string | null;
  /** Hop dataset id → its next offset when the pipe last ran. */
  depOffsets: Record<string, number>;
  /** Source-specific memory, e.g. the merge source's previous groups or a receiver's full-sync ids. */
  extra: JsonObject;
}

interface VersionRow {
  offset: number;
  id: string;
  deleted: number;
  hash: string;
  ts: number;
  previous: number | null;
  body: string;
}

function put(entity: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(entity, key, { value, enumerable: true, writable: true });
  else entity[key] = value;
}

/**
 * Text the native JSON.parse reads differently from parseJson: an integral float (`1.0`, `1e3`), an integer of 16
 * or more digits, `-0` (a value: after `:`, `,` or `[`), NaN and Infinity. Matches inside strings only send a body
 * the slow way.
 */
const NATIVE_DIFFERS = /\d\.0+(?![0-9])|\d[eE]|\d{16}|[:,[] ?-0(?![.0-9])|NaN|Infinity/;

/**
 * A stored body, parsed. Bodies are this store's own text (stringifyJson: sorted keys, no duplicates, floats in
 * repr form), so most can go through the native JSON.parse, several times faster than the lossless parser; its
 * non-integral numbers become JsonFloat, which is all parseJson would do differently. Anything else, and an
 * object with an index-like key (whose order JS changes), is parsed losslessly.
 */
function parseBody(text: string): JsonObject {
  if (!NATIVE_DIFFERS.test(text)) {
    const value = JSON.parse(text) as JsonValue;
    if (isJsonObject(value) && toModel(value)) return value;
  }
  return parseJson(text) as JsonObject;
}

/** Non-integral numbers to JsonFloat, in place; false when an object has an index-like key. */
function toModel(value: JsonObject | JsonValue[]): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i]!;
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) value[i] = new JsonFloat(v);
      } else if (typeof v === 'object' && v !== null && !toModel(v as JsonObject | JsonValue[])) return false;
    }
    return true;
  }
  const keys = Object.keys(value);
  // JS lists index-like keys first: if there is one, it is the first.
  if (keys.length > 0 && isIndexLikeKey(keys[0]!)) return false;
  for (const key of keys) {
    const v = value[key]!;
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) setOwn(value, key, new JsonFloat(v));
    } else if (typeof v === 'object' && v !== null && !toModel(v as JsonObject | JsonValue[])) return false;
  }
  return true;
}

/**
 * An entity as a dataset returns it: keys sorted in code-point order, as on a node. Bodies are stored sorted, so the
 * bookkeeping (in its own sorted order) is merged in; a body stored unsorted is sorted here. Integer-like keys still
 * come first in a JS object: serialisers sort those.
 */
function toEntity(row: VersionRow): JsonObject {
  const body = parseBody(row.body);
  const bookkeeping: [string, JsonValue][] = [
    ['_deleted', row.deleted === 1],
    ['_hash', row.hash],
    ['_previous', row.previous],
    ['_ts', row.ts],
    ['_updated', row.offset],
  ];
  const entity: JsonObject = {};
  let next = 0;
  let previous: string | undefined;
  for (const key of Object.keys(body)) {
    if (previous !== undefined && compareCodePoints(previous, key) > 0) return sortedEntity(body, bookkeeping);
    while (next < bookkeeping.length && compareCodePoints(bookkeeping[next]![0], key) < 0) {
      put(entity, ...bookkeeping[next]!);
      next++;
    }
    put(entity, key, body[key]!);
    previous = key;
  }
  for (; next < bookkeeping.length; next++) put(entity, ...bookkeeping[next]!);
  return entity;
}

function sortedEntity(body: JsonObject, bookkeeping: [string, JsonValue][]): JsonObject {
  for (const [key, value] of bookkeeping) body[key] = value;
  const entity: JsonObject = {};
  for (const key of Object.keys(body).sort(compareCodePoints)) put(entity, key, body[key]!);
  return entity;
}

/** Root `_` fields other than `_id` are dropped when writing to a dataset; nested ones stay. */
function storedBody(entity: JsonObject): JsonObject {
  const out: JsonObject = {};
  const keys: string[] = [];
  // objectKeys/setKeyOrder: integer-like keys ("15", "2") keep their place (see format/json.ts).
  for (const key of objectKeys(entity)) {
    if (key.startsWith('_') && key !== '_id') continue;
    out[key] = entity[key]!;
    keys.push(key);
  }
  return setKeyOrder(out, keys);
}

/**
 * What the pipe runtime (sources, sinks, pump, runner) sees of the store: datasets as version logs with a
 * latest-per-id index and populated flags, batched writes inside `transaction`, and per-pipe state. NodeStore is
 * the SQLite implementation; nothing outside it touches the database.
 */
export interface DatasetStore {
  transaction<T>(fn: () => T): T;
  dataset(id: string): DatasetInfo | undefined;
  ensureDataset(id: string): DatasetInfo;
  setPopulated(id: string, populated: boolean): void;
  deleteDataset(id: string): boolean;
  /** Cache key of a dataset's content; changes whenever the dataset does. */
  version(id: string): number;
  write(datasetId: string, entity: JsonObject, ts: number): boolean;
  latest(datasetId: string, id: string): JsonObject | undefined;
  versionAt(datasetId: string, offset: number): JsonObject | undefined;
  liveIds(datasetId: string): string[];
  read(datasetId: string, options?: ReadOptions): JsonObject[];
  /** The same versions as `read`, one at a time (no list of the whole dataset in memory). */
  entities(datasetId: string, options?: ReadOptions): IterableIterator<JsonObject>;
  countAfter(datasetId: string, since: number | undefined, latestOnly: boolean): number;
  pipeState(pipe: string): PipeState;
  setPipeState(pipe: string, state: PipeState): void;
  clearPipeState(pipe: string): void;
}

export class NodeStore implements DatasetStore {
  private readonly db: Database.Database;
  /** Bumped on every change to a dataset, so readers can cache (never reused, also across deletes). */
  private readonly versions = new Map<string, number>();
  private generation = 0;
  private readonly stmts;
  private readonly prepared = new Map<string, Database.Statement>();
  /**
   * The datasets table as last read or written (null: no such dataset), asked for on every write and hop. Only this
   * connection writes the database (data-lock.ts); a transaction that fails clears it.
   */
  private readonly infos = new Map<string, DatasetInfo | null>();
  /** Pipe states as parsed (null: none), read for every pipe on every runner pass and pipe listing; like infos. */
  private readonly pipeStates = new Map<string, JsonObject | null>();

  private constructor(db: Database.Database) {
    this.db = db;
    db.exec(SCHEMA);
    this.stmts = {
      dataset: db.prepare<[string], { id: string; next_offset: number; populated: number }>(
        'SELECT id, next_offset, populated FROM datasets WHERE id = ?',
      ),
      insertDataset: db.prepare('INSERT INTO datasets (id, next_offset, populated) VALUES (?, 0, 0)'),
      bumpOffset: db.prepare('UPDATE datasets SET next_offset = ? WHERE id = ?'),
      latestOf: db.prepare<[string, string], { offset: number; hash: string; deleted: number }>(
        'SELECT offset, hash, deleted FROM latest WHERE dataset = ? AND id = ?',
      ),
      insertVersion: db.prepare(
        'INSERT INTO versions (dataset, offset, id, deleted, hash, ts, previous, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      upsertLatest: db.prepare(
        'INSERT INTO latest (dataset, id, offset, hash, deleted) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (dataset, id) DO UPDATE SET offset = excluded.offset, hash = excluded.hash, deleted = excluded.deleted',
      ),
      versionAt: db.prepare<[string, number], VersionRow>(
        'SELECT offset, id, deleted, hash, ts, previous, body FROM versions WHERE dataset = ? AND offset = ?',
      ),
    };
  }

  /**
   * A statement prepared once per SQL text (preparing costs more than running the small ones here). One that is
   * still iterating (a generator of `entities` not yet finished) cannot run again: a fresh one is prepared then.
   */
  private prepare(sql: string): Database.Statement {
    const cached = this.prepared.get(sql);
    if (cached && !cached.busy) return cached;
    const statement = this.db.prepare(sql);
    if (!cached) this.prepared.set(sql, statement);
    return statement;
  }

  static open(options: { dir?: string; memory?: boolean }): NodeStore {
    let db: Database.Database;
    if (options.memory || !options.dir) db = new Database(':memory:');
    else {
      mkdirSync(options.dir, { recursive: true });
      db = new Database(join(options.dir, 'node.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    return new NodeStore(db);
  }

  close(): void {
    this.db.close();
  }

  /** Run fn atomically: all or nothing (nested calls join the outer transaction). */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    try {
      return this.db.transaction(fn)();
    } catch (err) {
      // Rolled back: what the caches learnt inside may be gone from the database.
      this.infos.clear();
      this.pipeStates.clear();
      throw err;
    }
  }

  // --- meta, config, env, secrets -------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return (this.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  getConfig(): JsonObject[] {
    const rows = this.prepare('SELECT body FROM config ORDER BY position').all() as { body: string }[];
    return rows.map((r) => parseJson(r.body) as JsonObject);
  }

  replaceConfig(entities: JsonObject[]): void {
    this.transaction(() => {
      this.prepare('DELETE FROM config').run();
      const insert = this.prepare('INSERT OR REPLACE INTO config (id, position, body) VALUES (?, ?, ?)');
      entities.forEach((e, i) => {
        insert.run(String(e._id), i, stringifyJson(e));
      });
    });
  }

  getEnv(): JsonObject {
    const rows = this.prepare('SELECT name, value FROM env ORDER BY position').all() as {
      name: string;
      value: string;
    }[];
    const env: JsonObject = {};
    for (const r of rows) env[r.name] = parseJson(r.value);
    return env;
  }

  replaceEnv(env: JsonObject): void {
    this.transaction(() => {
      this.prepare('DELETE FROM env').run();
      const insert = this.prepare('INSERT INTO env (name, position, value) VALUES (?, ?, ?)');
      Object.keys(env).forEach((name, i) => {
        insert.run(name, i, stringifyJson(env[name]!));
      });
    });
  }

  getSecrets(): Record<string, string> {
    const rows = this.prepare('SELECT name, value FROM secrets ORDER BY name').all() as {
      name: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  putSecrets(values: Record<string, string>, replace: boolean): void {
    this.transaction(() => {
      if (replace) this.prepare('DELETE FROM secrets').run();
      const insert = this.prepare('INSERT OR REPLACE INTO secrets (name, value) VALUES (?, ?)');
      for (const [name, value] of Object.entries(values)) insert.run(name, value);
    });
  }

  deleteSecret(name: string): boolean {
    return this.prepare('DELETE FROM secrets WHERE name = ?').run(name).changes > 0;
  }

  /** Names of a system's secrets (`/systems/{id}/secrets`), sorted. */
  getSystemSecretNames(system: string): string[] {
    return Object.keys(this.getSystemSecrets(system));
  }

  /** A system's secrets by name (what `$SECRET(...)` in that system's config resolves to besides the node's). */
  getSystemSecrets(system: string): Record<string, string> {
    const rows = this.prepare('SELECT name, value FROM system_secrets WHERE system = ? ORDER BY name').all(system) as {
      name: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  putSystemSecrets(system: string, values: Record<string, string>, replace: boolean): void {
    this.transaction(() => {
      if (replace) this.prepare('DELETE FROM system_secrets WHERE system = ?').run(system);
      const insert = this.prepare('INSERT OR REPLACE INTO system_secrets (system, name, value) VALUES (?, ?, ?)');
      for (const [name, value] of Object.entries(values)) insert.run(system, name, value);
    });
  }

  deleteSystemSecret(system: string, name: string): boolean {
    return this.prepare('DELETE FROM system_secrets WHERE system = ? AND name = ?').run(system, name).changes > 0;
  }

  /** System secrets die with their system. */
  dropSystemSecretsExcept(systems: string[]): void {
    const keep = new Set(systems);
    const owners = this.prepare('SELECT DISTINCT system FROM system_secrets').all() as { system: string }[];
    for (const { system } of owners) {
      if (!keep.has(system)) this.prepare('DELETE FROM system_secrets WHERE system = ?').run(system);
    }
  }

  /** Wipe everything (node reset). */
  wipe(): void {
    this.transaction(() => {
      for (const table of [
        'config',
        'env',
        'secrets',
        'system_secrets',
        'datasets',
        'versions',
        'latest',
        'pipe_state',
      ]) {
        this.prepare(`DELETE FROM ${table}`).run();
      }
    });
    this.infos.clear();
    this.pipeStates.clear();
    for (const id of [...this.versions.keys()]) this.touch(id);
  }

  // --- datasets ---------------------------------------------------------------------------------------------

  dataset(id: string): DatasetInfo | undefined {
    let info = this.infos.get(id);
    if (info === undefined) {
      const row = this.stmts.dataset.get(id);
      info = row ? { id: row.id, nextOffset: row.next_offset, populated: row.populated === 1 } : null;
      this.infos.set(id, info);
    }
    return info ? { ...info } : undefined;
  }

  listDatasets(): DatasetInfo[] {
    const rows = this.prepare('SELECT id, next_offset, populated FROM datasets ORDER BY id').all() as {
      id: string;
      next_offset: number;
      populated: number;
    }[];
    return rows.map((r) => ({ id: r.id, nextOffset: r.next_offset, populated: r.populated === 1 }));
  }

  ensureDataset(id: string): DatasetInfo {
    const existing = this.dataset(id);
    if (existing) return existing;
    this.stmts.insertDataset.run(id);
    this.infos.set(id, { id, nextOffset: 0, populated: false });
    this.touch(id);
    return { id, nextOffset: 0, populated: false };
  }

  setPopulated(id: string, populated: boolean): void {
    this.ensureDataset(id);
    this.prepare('UPDATE datasets SET populated = ? WHERE id = ?').run(populated ? 1 : 0, id);
    this.infos.set(id, { ...this.dataset(id)!, populated });
  }

  deleteDataset(id: string): boolean {
    const removed = this.transaction(() => {
      this.prepare('DELETE FROM versions WHERE dataset = ?').run(id);
      this.prepare('DELETE FROM latest WHERE dataset = ?').run(id);
      return this.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
    });
    this.infos.set(id, null);
    this.touch(id);
    return removed;
  }

  /** Cache key of a dataset's content; changes whenever the dataset does. */
  version(id: string): number {
    let v = this.versions.get(id);
    if (v === undefined) {
      v = ++this.generation;
      this.versions.set(id, v);
    }
    return v;
  }

  private touch(id: string): void {
    this.versions.set(id, ++this.generation);
  }

  /**
   * Append a version when the id is new or its hash (content + deleted flag) changed. Returns true when written.
   * Root `_` fields other than `_id`/`_deleted` are dropped.
   */
  write(datasetId: string, entity: JsonObject, ts: number): boolean {
    const id = entity._id;
    if (typeof id !== 'string') throw new Error(`entity without a string _id written to dataset '${datasetId}'`);
    const info = this.ensureDataset(datasetId);
    const deleted = entity._deleted === true;
    // The stored body is the hashed content (entity-hash.ts) less `_deleted`: one serialisation serves both.
    const body = stringifyJson(storedBody(entity), { sortKeys: true, separators: [',', ':'] });
    const hash = deleted ? entityHash(entity) : md5Hex(body);
    const latest = this.stmts.latestOf.get(datasetId, id);
    if (latest && latest.hash === hash) return false;
    const offset = info.nextOffset;
    this.stmts.insertVersion.run(datasetId, offset, id, deleted ? 1 : 0, hash, ts, latest ? latest.offset : null, body);
    this.stmts.upsertLatest.run(datasetId, id, offset, hash, deleted ? 1 : 0);
    this.stmts.bumpOffset.run(offset + 1, datasetId);
    this.infos.set(datasetId, { ...info, nextOffset: offset + 1 });
    this.touch(datasetId);
    return true;
  }

  /** The latest version of one id, or undefined. */
  latest(datasetId: string, id: string): JsonObject | undefined {
    const l = this.stmts.latestOf.get(datasetId, id);
    if (!l) return undefined;
    return toEntity(this.stmts.versionAt.get(datasetId, l.offset)!);
  }

  /** The version at an offset, or undefined. */
  versionAt(datasetId: string, offset: number): JsonObject | undefined {
    const row = this.stmts.versionAt.get(datasetId, offset);
    return row && toEntity(row);
  }

  /** Ids whose latest version is not deleted, in offset order. */
  liveIds(datasetId: string): string[] {
    const rows = this.prepare('SELECT id FROM latest WHERE dataset = ? AND deleted = 0 ORDER BY offset').all(
      datasetId,
    ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Versions in offset order, filtered per options. */
  read(datasetId: string, options: ReadOptions = {}): JsonObject[] {
    return [...this.entities(datasetId, options)];
  }

  *entities(datasetId: string, options: ReadOptions = {}): IterableIterator<JsonObject> {
    const history = options.history ?? true;
    const deleted = options.deleted ?? true;
    const where = ['v.dataset = ?'];
    const args: (string | number)[] = [datasetId];
    if (options.since !== undefined) {
      where.push('v.offset > ?');
      args.push(options.since);
    }
    if (!deleted) where.push('v.deleted = 0');
    const from = history ? 'versions v' : 'latest l JOIN versions v ON v.dataset = l.dataset AND v.offset = l.offset';
    if (!history) where[0] = 'l.dataset = ?';
    let sql = `SELECT v.offset, v.id, v.deleted, v.hash, v.ts, v.previous, v.body FROM ${from} WHERE ${where.join(' AND ')}`;
    sql += history ? ' ORDER BY v.offset' : ' ORDER BY l.offset';
    if (options.limit !== undefined) {
      sql += ' LIMIT ?';
      args.push(options.limit);
    }
    for (const row of this.prepare(sql).iterate(...args) as IterableIterator<VersionRow>) yield toEntity(row);
  }

  /** Number of versions (history) or latest versions after an offset; for queue sizes. */
  countAfter(datasetId: string, since: number | undefined, latestOnly: boolean): number {
    const table = latestOnly ? 'latest' : 'versions';
    const row = this.prepare(`SELECT count(*) AS n FROM ${table} WHERE dataset = ? AND offset > ?`).get(
      datasetId,
      since ?? -1,
    ) as { n: number };
    return row.n;
  }

  counts(datasetId: string): { exists: number; deleted: number; log: number } {
    const l = this.prepare('SELECT sum(deleted = 0) AS e, sum(deleted = 1) AS d FROM latest WHERE dataset = ?').get(
      datasetId,
    ) as { e: number | null; d: number | null };
    const v = this.prepare('SELECT count(*) AS n FROM versions WHERE dataset = ?').get(datasetId) as { n: number };
    return { exists: l.e ?? 0, deleted: l.d ?? 0, log: v.n };
  }

  // --- pipe state ------------------------------------------------------------------------------------------

  pipeState(pipe: string): PipeState {
    let body = this.pipeStates.get(pipe);
    if (body === undefined) {
      const row = this.prepare('SELECT body FROM pipe_state WHERE pipe = ?').get(pipe) as { body: string } | undefined;
      body = row ? (parseJson(row.body) as JsonObject) : null;
      this.pipeStates.set(pipe, body);
    }
    if (!body) return { lastSeen: null, depOffsets: {}, extra: {} };
    const depOffsets: Record<string, number> = {};
    if (isJsonObject(body.depOffsets)) for (const [k, v] of Object.entries(body.depOffsets)) depOffsets[k] = Number(v);
    return {
      lastSeen: typeof body.lastSeen === 'string' ? body.lastSeen : null,
      depOffsets,
      // A copy: the caller may change it (a fresh parse each time was one before the cache).
      extra: isJsonObject(body.extra) ? ((transferCopy(body.extra, false) as JsonObject | undefined) ?? {}) : {},
    };
  }

  setPipeState(pipe: string, state: PipeState): void {
    const body: JsonObject = {
      lastSeen: state.lastSeen,
      depOffsets: state.depOffsets as Record<string, JsonValue>,
      extra: state.extra,
    };
    this.prepare('INSERT OR REPLACE INTO pipe_state (pipe, body) VALUES (?, ?)').run(pipe, stringifyJson(body));
    // Remembered as the stored text reads back (format/json-transfer.ts), so a read gives what a parse would.
    const copy = transferCopy(body, false);
    if (isJsonObject(copy)) this.pipeStates.set(pipe, copy);
    else this.pipeStates.delete(pipe);
  }

  clearPipeState(pipe: string): void {
    this.prepare('DELETE FROM pipe_state WHERE pipe = ?').run(pipe);
    this.pipeStates.set(pipe, null);
  }
}
