// The one structural diff of two lossless-JSON values, used by verify (entity changes), snapshots (config and
// expected-file changes), the reports and the UI, so a changed value's path reads the same everywhere.
// Object keys are visited in code-point order; arrays compare position by position (order matters in DTL and in
// entity lists); 1 and 1.0 differ.
import { compareCodePoints, isJsonObject, JsonFloat, stringifyJson, type JsonValue } from './json.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface JsonChange {
  /** `$.source.dataset`, `$.rules.default[2]`, `$.person:name`, `$["key.with dots"]`. */
  path: string;
  kind: ChangeKind;
  /** Absent when the value was added. */
  before?: JsonValue;
  /** Absent when the value was removed. */
  after?: JsonValue;
}

// Sesam's namespaced identifiers (`ns:name`) are ordinary keys here: brackets only where a key would be ambiguous.
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$:-]*$/;

/** The path of a member (string key) or element (index) below `path`: the one path printer. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${stringifyJson(key)}]`;
}

export function diffJson(before: JsonValue, after: JsonValue, path = '$'): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before, after, path, out);
  return out;
}

function walk(a: JsonValue, b: JsonValue, path: string, out: JsonChange[]): void {
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    for (const key of Object.keys(b)) if (!Object.hasOwn(a, key)) keys.push(key);
    keys.sort(compareCodePoints);
    for (const key of keys) {
      const p = childPath(path, key);
      if (!Object.hasOwn(b, key)) out.push({ path: p, kind: 'removed', before: a[key]! });
      else if (!Object.hasOwn(a, key)) out.push({ path: p, kind: 'added', after: b[key]! });
      else walk(a[key]!, b[key]!, p, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) walk(a[i]!, b[i]!, childPath(path, i), out);
    for (let i = common; i < a.length; i++) out.push({ path: childPath(path, i), kind: 'removed', before: a[i]! });
    for (let i = common; i < b.length; i++) out.push({ path: childPath(path, i), kind: 'added', after: b[i]! });
    return;
  }
  if (!sameLeaf(a, b)) out.push({ path, kind: 'changed', before: a, after: b });
}

/** Scalars (or values of different types) as equal as their JSON text: -0.0 and 0.0 differ, like 1 and 1.0. */
function sameLeaf(a: JsonValue, b: JsonValue): boolean {
  if (a instanceof JsonFloat && b instanceof JsonFloat) return stringifyJson(a) === stringifyJson(b);
  return a === b;
}

/** One-line JSON for human output, shortened to `max` characters. */
export function showJson(value: JsonValue | undefined, max = 60): string {
  if (value === undefined) return '(none)';
  const text = stringifyJson(value, { sortKeys: true });
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Plain JS for --json documents: floats become numbers, big integers stay bigint (printed as strings). */
export function toPlain(value: JsonValue | undefined): unknown {
  if (value instanceof JsonFloat) return Number.isFinite(value.value) ? value.value : String(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = toPlain(value[key]!);
    return out;
  }
  return value;
}
