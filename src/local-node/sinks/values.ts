// Entity values as text for the CSV and XML sinks: transit strings lose their tag (NI "~:a:b" → "a:b",
// "~rhttp://x" → the URI, "~t…" → the date text), floats print as Python repr, lists and dicts as JSON text,
// null as nothing, booleans as Python prints them.
import { JsonFloat, isJsonObject, pyFloatRepr, stringifyJson, type JsonValue } from '../../format/json.js';

export function plainString(s: string): string {
  if (s.length >= 2 && s[0] === '~') return s[1] === '~' ? s.slice(1) : s.slice(2);
  return s;
}

export function valueText(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return plainString(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof JsonFloat) return pyFloatRepr(value.value);
  if (Array.isArray(value) || isJsonObject(value)) return stringifyJson(value);
  return String(value);
}

/** Numbers for Python's QUOTE_NONNUMERIC (bool is an int in Python; "~f" decimals are Decimals). */
export function isNumeric(value: JsonValue | undefined): boolean {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean' ||
    value instanceof JsonFloat ||
    (typeof value === 'string' && value.startsWith('~f'))
  );
}
