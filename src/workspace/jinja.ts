// `.jinja_vars`: variables written as `{{@ name @}}` in config files, replaced by their values in what is uploaded
// or dumped, and put back (reverse lookup) in downloaded pipes/systems. The file is JSON, or INI like .syncconfig
// (no section needed, keys lowercased).
//
// Difference from sesam-py: it uses re.sub both ways, so a variable name is a regex pattern, a value is a regex
// replacement template on the way out (backslashes and \g<..> interpreted) and a regex pattern on the way back
// (`.` matches any character). Here both directions are literal text replacement, so values with `\`, `.`, `(`
// survive unchanged and the reverse lookup only replaces the exact value. An empty value is never reverse-replaced
// (sesam-py's empty pattern would insert the placeholder between every character).
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject, JsonFloat, JsonSyntaxError, parseJson, pyFloatRepr, type JsonValue } from '../format/json.js';
import { isFile } from './project.js';
import { readText } from './files.js';

export const JINJA_VARS_FILE = '.jinja_vars';

/** The variables of `<root>/.jinja_vars`, or undefined when there is no such file. Invalid content is an input error. */
export function readJinjaVars(root: string): Record<string, string> | undefined {
  const path = join(root, JINJA_VARS_FILE);
  if (!isFile(path)) return undefined;
  const text = readText(path);
  let json: JsonValue | undefined;
  try {
    json = parseJson(text);
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
  }
  if (json !== undefined && isJsonObject(json) && Object.keys(json).length > 0) {
    const vars: Record<string, string> = {};
    for (const [key, value] of Object.entries(json)) vars[key] = pythonStr(value, key);
    return vars;
  }
  return parseIni(text, JINJA_VARS_FILE);
}

/** Python's str() of a scalar, as sesam-py inserts it. */
function pythonStr(value: JsonValue, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  if (value instanceof JsonFloat) return pyFloatRepr(value.value);
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null) return 'None';
  throw inputError(`Invalid variable '${key}' in ${JINJA_VARS_FILE}: the value must be a string, number or boolean`, {
    file: JINJA_VARS_FILE,
  });
}

/**
 * INI as Python's ConfigParser reads sesam-py's config files: an implicit first section, `key = value` or
 * `key: value`, `#`/`;` comment lines, indented continuation lines, keys lowercased, later keys win, sections merged,
 * `%%` for a literal percent sign and `%(key)s` references within a section.
 */
export function parseIni(text: string, displayPath: string): Record<string, string> {
  const sections = new Map<string, Map<string, string>>();
  let section = new Map<string, string>();
  sections.set('', section);
  let lastKey: string | undefined;
  let keyIndent = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    const stripped = line.trimStart();
    const indent = line.length - stripped.length;
    const fail = (reason: string): never => {
      throw inputError(`Invalid ${displayPath}:${index + 1}`, { reason, file: displayPath, line: index + 1 });
    };
    if (stripped === '') {
      lastKey = undefined;
      return;
    }
    if (stripped.startsWith('#') || stripped.startsWith(';')) return;
    if (lastKey !== undefined && indent > keyIndent) {
      section.set(lastKey, `${section.get(lastKey)}\n${stripped}`);
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(stripped);
    if (header) {
      const name = header[1]!;
      section = sections.get(name) ?? new Map();
      sections.set(name, section);
      lastKey = undefined;
      return;
    }
    const at = stripped.search(/[=:]/);
    if (at <= 0) fail(`expected 'name = value', got '${stripped}'`);
    const key = stripped.slice(0, at).trim().toLowerCase();
    section.set(key, stripped.slice(at + 1).trim());
    lastKey = key;
    keyIndent = indent;
  });
  const out: Record<string, string> = {};
  for (const values of sections.values()) {
    for (const [key, value] of values) out[key] = interpolate(value, values, displayPath, key, 0);
  }
  return out;
}

function interpolate(value: string, values: Map<string, string>, file: string, key: string, depth: number): string {
  if (depth > 10) throw inputError(`Invalid ${file}: '${key}' refers to itself through %(...)s`, { file });
  return value.replace(/%(%|\(([^)]*)\)s|)/g, (_match, what: string, ref: string | undefined) => {
    if (what === '%') return '%';
    if (ref !== undefined) {
      const target = values.get(ref.toLowerCase());
      if (target === undefined) throw inputError(`Invalid ${file}: '${key}' refers to unknown '%(${ref})s'`, { file });
      return interpolate(target, values, file, ref.toLowerCase(), depth + 1);
    }
    throw inputError(`Invalid ${file}: '${key}' has a lone '%' (write '%%' for a percent sign)`, { file });
  });
}

/** Replace every `{{@ name @}}` (exactly one space inside the braces) by the variable's value, literally. */
export function substituteJinja(text: string, vars: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(vars)) out = out.split(`{{@ ${name} @}}`).join(value);
  return out;
}

/** Replace every occurrence of a variable's value by `{{@ name @}}`, literally (download's reverse lookup). */
export function reverseJinja(text: string, vars: Record<string, string>): string {
  let out = text;
  for (const [name, value] of Object.entries(vars)) {
    if (value === '') continue;
    out = out.split(value).join(`{{@ ${name} @}}`);
  }
  return out;
}
