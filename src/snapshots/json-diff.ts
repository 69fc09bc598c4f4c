// Structural diff of two lossless-JSON values: the paths where they differ, with the value before and after.
// Arrays compare position by position (configs are small and order matters in DTL); 1 and 1.0 differ.
import { isJsonObject, JsonFloat, jsonEquals, stringifyJson, type JsonValue } from '../format/json.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface JsonChange {
  /** JSONPath-like: `$.source.dataset`, `$.rules.default[2]`, `$["key.with dots"]`. */
  path: string;
  kind: ChangeKind;
  before?: JsonValue;
  after?: JsonValue;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

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
    for (const key of Object.keys(a)) {
      const p = childPath(path, key);
      if (!Object.hasOwn(b, key)) out.push({ path: p, kind: 'removed', before: a[key]! });
      else walk(a[key]!, b[key]!, p, out);
    }
    for (const key of Object.keys(b)) {
      if (!Object.hasOwn(a, key)) out.push({ path: childPath(path, key), kind: 'added', after: b[key]! });
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
  if (!jsonEquals(a, b)) out.push({ path, kind: 'changed', before: a, after: b });
}

/** One-line JSON for human output, shortened to `max` characters. */
export function showJson(value: JsonValue | undefined, max = 60): string {
  if (value === undefined) return '(none)';
  const text = stringifyJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Plain JS for --json documents: floats become numbers, big integers stay bigint (printed as strings). */
export function toPlain(value: JsonValue | undefined): unknown {
  if (value instanceof JsonFloat) return Number.isFinite(value.value) ? value.value : String(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}
