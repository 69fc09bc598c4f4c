// What changed between two versions of a project (snapshots, revisions, the work tree or the node): per pipe and
// system the changed JSON paths, per expected/testdata file the entities added, removed and changed by `_id`.
// Differences of formatting alone are not changes; they are listed separately.
import { isJsonObject, parseJson, stringifyJson, type JsonValue } from '../format/json.js';
import { diffJson, showJson, toPlain, type JsonChange } from '../format/json-diff.js';

export type Status = 'added' | 'removed' | 'changed';

export interface ConfigItemDiff {
  id: string;
  file: string;
  status: Status;
  changes: JsonChange[];
}

export interface FileDiff {
  file: string;
  status: Status;
  changes: JsonChange[];
  /** Set when the content is not JSON (or not valid JSON) and was compared as bytes. */
  note?: string;
}

export interface EntityFileDiff {
  file: string;
  status: Status;
  added: string[];
  removed: string[];
  changed: { id: string; changes: JsonChange[] }[];
  note?: string;
}

export interface ProjectDiff {
  pipes: ConfigItemDiff[];
  systems: ConfigItemDiff[];
  /** node-metadata, the env file, test specs and anything else. */
  files: FileDiff[];
  expected: EntityFileDiff[];
  testdata: EntityFileDiff[];
  /** Files whose bytes differ but whose JSON is equal. */
  formattingOnly: string[];
}

type Files = Map<string, Uint8Array>;

const decoder = new TextDecoder('utf-8');

function parse(data: Uint8Array | undefined): { ok: true; value: JsonValue } | { ok: false } | undefined {
  if (!data) return undefined;
  try {
    return { ok: true, value: parseJson(decoder.decode(data)) };
  } catch {
    return { ok: false };
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const isConfigFile = (path: string) => /^(pipes|systems)\/.+\.conf\.json$/.test(path);
const isEntityFile = (path: string) =>
  (/^expected\/[^/]+\.json$/.test(path) && !path.endsWith('.test.json')) || /^testdata\/.+\.json$/i.test(path);

interface ConfigItem {
  id: string;
  file: string;
  value: JsonValue;
}

/** The config objects of pipes/ or systems/, keyed by `_id` (a file may hold one object or a list). */
function configItems(files: Files, dir: 'pipes' | 'systems'): Map<string, ConfigItem> {
  const out = new Map<string, ConfigItem>();
  for (const [file, data] of files) {
    if (!file.startsWith(`${dir}/`) || !isConfigFile(file)) continue;
    const parsed = parse(data);
    const values = parsed?.ok ? (Array.isArray(parsed.value) ? parsed.value : [parsed.value]) : [];
    const withIds = values.filter((v) => isJsonObject(v) && typeof v._id === 'string');
    if (!parsed?.ok || withIds.length !== values.length || !values.length) {
      out.set(`file:${file}`, { id: file, file, value: parsed?.ok ? parsed.value : decoder.decode(data) });
      continue;
    }
    for (const v of withIds) {
      const id = (v as { _id: string })._id;
      out.set(out.has(id) ? `${id} (${file})` : id, { id, file, value: v });
    }
  }
  return out;
}

function diffConfig(before: Files, after: Files, dir: 'pipes' | 'systems'): ConfigItemDiff[] {
  const a = configItems(before, dir);
  const b = configItems(after, dir);
  const out: ConfigItemDiff[] = [];
  for (const [key, item] of a) {
    const other = b.get(key);
    if (!other) out.push({ id: item.id, file: item.file, status: 'removed', changes: [] });
    else {
      const changes = diffJson(item.value, other.value);
      if (changes.length) out.push({ id: item.id, file: other.file, status: 'changed', changes });
    }
  }
  for (const [key, item] of b)
    if (!a.has(key)) out.push({ id: item.id, file: item.file, status: 'added', changes: [] });
  return out.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Entities keyed by `_id`; entities without one (or repeated ids) get a positional key. */
function entityMap(value: JsonValue): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  const list = Array.isArray(value) ? value : [value];
  list.forEach((entity, i) => {
    const raw = isJsonObject(entity) ? entity._id : undefined;
    let key = raw === undefined ? `#${i}` : typeof raw === 'string' ? raw : stringifyJson(raw);
    if (out.has(key)) key = `${key} #${i}`;
    out.set(key, entity);
  });
  return out;
}

function diffEntities(file: string, a: JsonValue | undefined, b: JsonValue | undefined): EntityFileDiff | undefined {
  const before = a === undefined ? new Map<string, JsonValue>() : entityMap(a);
  const after = b === undefined ? new Map<string, JsonValue>() : entityMap(b);
  const result: EntityFileDiff = {
    file,
    status: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
    added: [],
    removed: [],
    changed: [],
  };
  for (const [id, entity] of before) {
    const other = after.get(id);
    if (other === undefined) result.removed.push(id);
    else {
      const changes = diffJson(entity, other);
      if (changes.length) result.changed.push({ id, changes });
    }
  }
  for (const id of after.keys()) if (!before.has(id)) result.added.push(id);
  const any = result.added.length + result.removed.length + result.changed.length > 0;
  return any || result.status !== 'changed' ? result : undefined;
}

export function diffProjects(before: Files, after: Files): ProjectDiff {
  const diff: ProjectDiff = {
    pipes: diffConfig(before, after, 'pipes'),
    systems: diffConfig(before, after, 'systems'),
    files: [],
    expected: [],
    testdata: [],
    formattingOnly: [],
  };
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  for (const file of paths) {
    const a = before.get(file);
    const b = after.get(file);
    if (a && b && bytesEqual(a, b)) continue;
    const status: Status = !a ? 'added' : !b ? 'removed' : 'changed';
    if (!file.toLowerCase().endsWith('.json')) {
      diff.files.push({ file, status, changes: [], note: 'not JSON: compared as bytes' });
      continue;
    }
    const pa = parse(a);
    const pb = parse(b);
    const bothJson = (pa?.ok ?? true) && (pb?.ok ?? true);
    const jsonA = pa?.ok ? pa.value : undefined;
    const jsonB = pb?.ok ? pb.value : undefined;
    if (isConfigFile(file)) {
      if (bothJson && a && b && diffJson(jsonA!, jsonB!).length === 0) diff.formattingOnly.push(file);
      continue; // reported per pipe/system above
    }
    if (!bothJson) {
      diff.files.push({ file, status, changes: [], note: 'invalid JSON: compared as bytes' });
      continue;
    }
    if (isEntityFile(file)) {
      const entities = diffEntities(file, jsonA, jsonB);
      if (entities) (file.startsWith('expected/') ? diff.expected : diff.testdata).push(entities);
      else diff.formattingOnly.push(file);
      continue;
    }
    const changes = a && b ? diffJson(jsonA!, jsonB!) : [];
    if (a && b && !changes.length) diff.formattingOnly.push(file);
    else diff.files.push({ file, status, changes });
  }
  return diff;
}

export interface DiffSummary {
  pipes: Record<Status, number>;
  systems: Record<Status, number>;
  files: number;
  expected: number;
  testdata: number;
}

export function summarize(diff: ProjectDiff): DiffSummary {
  const count = (items: { status: Status }[]) => ({
    added: items.filter((i) => i.status === 'added').length,
    removed: items.filter((i) => i.status === 'removed').length,
    changed: items.filter((i) => i.status === 'changed').length,
  });
  return {
    pipes: count(diff.pipes),
    systems: count(diff.systems),
    files: diff.files.length,
    expected: diff.expected.length,
    testdata: diff.testdata.length,
  };
}

export function isEmptyDiff(diff: ProjectDiff): boolean {
  return (
    !diff.pipes.length && !diff.systems.length && !diff.files.length && !diff.expected.length && !diff.testdata.length
  );
}

/** One line: `pipes +1 -0 ~2, systems +0 -0 ~1, 1 expected file, 2 other files`. */
export function summaryLine(diff: ProjectDiff): string {
  if (isEmptyDiff(diff)) return 'no changes';
  const s = summarize(diff);
  const parts: string[] = [];
  const counts = (label: string, c: Record<Status, number>) => {
    if (c.added + c.removed + c.changed) parts.push(`${label} +${c.added} -${c.removed} ~${c.changed}`);
  };
  counts('pipes', s.pipes);
  counts('systems', s.systems);
  const plural = (n: number, what: string) => `${n} ${what} file${n === 1 ? '' : 's'}`;
  if (s.expected) parts.push(plural(s.expected, 'expected'));
  if (s.testdata) parts.push(plural(s.testdata, 'testdata'));
  if (s.files) parts.push(plural(s.files, 'other'));
  return parts.join(', ');
}

const MARK: Record<Status, string> = { added: '+', removed: '-', changed: '~' };

function changeLine(c: JsonChange): string {
  if (c.kind === 'added') return `${c.path}: added ${showJson(c.after)}`;
  if (c.kind === 'removed') return `${c.path}: removed (was ${showJson(c.before)})`;
  return `${c.path}: ${showJson(c.before)} → ${showJson(c.after)}`;
}

/** Human-readable lines; `limit` caps the paths and ids listed per item (Infinity for all). */
export function renderDiff(diff: ProjectDiff, limit = 10): string[] {
  const lines: string[] = [];
  const capped = <T>(items: T[], indent: string, show: (item: T) => string) => {
    for (const item of items.slice(0, limit)) lines.push(indent + show(item));
    if (items.length > limit) lines.push(`${indent}… ${items.length - limit} more`);
  };
  const section = (title: string, items: ConfigItemDiff[]) => {
    if (!items.length) return;
    lines.push(`${title}:`);
    for (const item of items) {
      lines.push(
        `  ${MARK[item.status]} ${item.id}${item.status === 'changed' ? ` (${item.changes.length} path${item.changes.length === 1 ? '' : 's'})` : ` (${item.status})`}`,
      );
      capped(item.changes, '      ', changeLine);
    }
  };
  section('pipes', diff.pipes);
  section('systems', diff.systems);
  const entitySection = (title: string, items: EntityFileDiff[]) => {
    if (!items.length) return;
    lines.push(`${title}:`);
    for (const f of items) {
      lines.push(
        `  ${MARK[f.status]} ${f.file}: ${f.added.length} added, ${f.removed.length} removed, ${f.changed.length} changed entities`,
      );
      capped(f.added, '      + ', (id) => id);
      capped(f.removed, '      - ', (id) => id);
      capped(
        f.changed,
        '      ~ ',
        (c) =>
          `${c.id}: ${c.changes
            .map((x) => x.path)
            .slice(0, limit)
            .join(', ')}`,
      );
    }
  };
  entitySection('expected', diff.expected);
  entitySection('testdata', diff.testdata);
  if (diff.files.length) {
    lines.push('files:');
    for (const f of diff.files) {
      lines.push(
        `  ${MARK[f.status]} ${f.file}${f.note ? ` (${f.note})` : f.status !== 'changed' ? ` (${f.status})` : ''}`,
      );
      capped(f.changes, '      ', changeLine);
    }
  }
  return lines;
}

const plainChanges = (changes: JsonChange[]) =>
  changes.map((c) => ({
    path: c.path,
    kind: c.kind,
    ...(c.before !== undefined ? { before: toPlain(c.before) } : {}),
    ...(c.after !== undefined ? { after: toPlain(c.after) } : {}),
  }));

/** The diff as plain data for --json. */
export function diffToJson(diff: ProjectDiff): Record<string, unknown> {
  return {
    summary: summarize(diff),
    pipes: diff.pipes.map((p) => ({ ...p, changes: plainChanges(p.changes) })),
    systems: diff.systems.map((p) => ({ ...p, changes: plainChanges(p.changes) })),
    files: diff.files.map((f) => ({ ...f, changes: plainChanges(f.changes) })),
    expected: diff.expected.map((f) => ({
      ...f,
      changed: f.changed.map((c) => ({ id: c.id, changes: plainChanges(c.changes) })),
    })),
    testdata: diff.testdata.map((f) => ({
      ...f,
      changed: f.changed.map((c) => ({ id: c.id, changes: plainChanges(c.changes) })),
    })),
    formattingOnly: diff.formattingOnly,
  };
}
