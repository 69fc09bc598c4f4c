// How Python prints values, where sesam-py's connector code lets it show: json.dump(indent=2, sort_keys=True) for
// every file it writes, str() for template output and repr() in some of its messages and checks.
import { JsonFloat, pyFloatRepr, stringifyJson, type JsonValue } from '../format/json.js';

/** Python `json.dumps(value, indent=2, sort_keys=True)`: sorted keys, `\uXXXX` escapes, no trailing newline. */
export function pyJsonDump(value: JsonValue): string {
  return stringifyJson(value, { indent: 2, sortKeys: true, ensureAscii: true });
}

/** Python `json.dumps(value)`: one line, `", "`/`": "` separators, `\uXXXX` escapes, keys in their order. */
export function pyJsonDumpsCompact(value: JsonValue): string {
  return stringifyJson(value, { ensureAscii: true });
}

/** Python `repr()` of a value of the JSON model (dicts in insertion order). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return pyStrRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (value instanceof JsonFloat) return pyFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return String(value);
}

/** Python `str()`: strings as they are, everything else as repr(). */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch !== ' ' && NOT_PRINTABLE.test(ch)) {
      const code = ch.codePointAt(0)!;
      if (code < 0x100) out += `\\x${code.toString(16).padStart(2, '0')}`;
      else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else out += `\\U${code.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}
