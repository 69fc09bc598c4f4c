// What verify/update compare: node entities with internal properties stripped and blacklisted paths removed,
// exactly as sesam-py's filter_entity/is_path_blacklisted (reference §6.3), plus the two documented forms sesam-py
// fails to honour.
//
// sesam-py: the path of a property is its dict keys joined with "." (list indices add no segment); a pattern
// matches when fnmatch(path, pattern.replace("[].", ".*.")) does: `*` crosses dots, `?` is one character,
// `[...]` a character class, case-sensitive. So `foo.bar` drops both nested foo→bar and a top-level key named
// "foo.bar", `lst.bar` drops `bar` inside the objects of list `lst`, and `*.bar` matches at depth ≥ 2.
//
// Our decisions beyond sesam-py (each tested):
// 1. `\.` in a pattern is a literal dot: `foo\.bar` matches only a key named "foo.bar", never foo→bar. (In
//    sesam-py it matches nothing: fnmatch reads the backslash as a literal character.)
// 2. `lst.*.bar` and `lst[].bar` also match `bar` inside the items of list `lst`: the path is tried a second time
//    with a `[]` segment for every list it crosses (in sesam-py these documented forms never match list items).
//    Everything sesam-py matches still matches, so existing specs keep their meaning.
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';

// Separates path segments in the rendered path, so a separator can be told apart from a dot inside a key.
const SEP = '\u0000';
const LIST = '[]';

/** A predicate over property paths (the list of keys from the entity root), or undefined for an empty blacklist. */
export type PathMatcher = (keys: readonly string[], listKeys?: readonly string[]) => boolean;

/** Compile blacklist patterns into one anchored regular expression over rendered paths. */
export function compileBlacklist(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const alternatives = patterns.map((p) => translatePattern(p.split('[].').join('.*.')));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** fnmatch's translation, with `.` matching a separator or a literal dot and `\.` only a literal dot. */
export function translatePattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && pattern[i + 1] === '.') {
      out += '\\.';
      i++;
    } else if (c === '.') out += `[.${SEP}]`;
    else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end === -1) out += '\\[';
      else {
        out += translateClass(pattern.slice(i + 1, end));
        i = end;
      }
    } else out += escapeRegex(c);
  }
  return out;
}

/** Index of the `]` closing a class opened at `start`, as fnmatch finds it (`[]]` and `[!]]` hold a `]`). */
function classEnd(pattern: string, start: number): number {
  let j = start + 1;
  if (pattern[j] === '!') j++;
  if (pattern[j] === ']') j++;
  return pattern.indexOf(']', j);
}

function translateClass(body: string): string {
  const negate = body.startsWith('!');
  const members = (negate ? body.slice(1) : body).replace(/\\/g, '\\\\').replace(/\]/g, '\\]').replace(/^\^/, '\\^');
  const cls = `[${negate ? '^' : ''}${members}]`;
  // A class never matches our separator by itself; where it would match a dot, a separator is a dot too.
  const plain = `(?!${SEP})${cls}`;
  return new RegExp(`^${cls}$`).test('.') ? `(?:${plain}|${SEP})` : plain;
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c === SEP ? '\\u0000' : c;
}

/**
 * Strip internal properties and blacklisted paths from one entity. Keys starting with `_` are dropped at every
 * depth except `_id` and `_deleted: true`; the blacklist is checked first, so even `_id` can be blacklisted.
 */
export function makeEntityFilter(blacklist: readonly string[]): (entity: JsonValue) => JsonValue {
  const regex = compileBlacklist(blacklist);
  if (!regex) return stripInternal;
  const matches = (plain: string, listed: string) => regex.test(plain) || (listed !== plain && regex.test(listed));

  // `plain` is sesam-py's path (sesam-py also turns `\.` inside keys into `.`); `listed` adds `[]` per list.
  const walk = (value: JsonValue, plain: string, listed: string, depth: number): JsonValue => {
    if (Array.isArray(value)) {
      const inner = depth === 0 ? LIST : listed + SEP + LIST;
      return value.map((item) => walk(item, plain, inner, depth + 1));
    }
    if (!isJsonObject(value)) return value;
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const segment = key.split('\\.').join('.');
      const p = plain === '' ? segment : plain + SEP + segment;
      const l = listed === '' ? segment : listed + SEP + segment;
      const child = value[key]!;
      if (matches(p, l)) continue;
      if (key.startsWith('_')) {
        if (key === '_id' || (key === '_deleted' && child === true)) setKey(out, key, child);
        continue;
      }
      setKey(out, key, walk(child, p, l, depth + 1));
    }
    return out;
  };
  return (entity) => walk(entity, '', '', 0);
}

/** The filter without a blacklist: only internal properties go. */
export function stripInternal(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(stripInternal);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const child = value[key]!;
    if (key.startsWith('_')) {
      if (key === '_id' || (key === '_deleted' && child === true)) setKey(out, key, child);
      continue;
    }
    setKey(out, key, stripInternal(child));
  }
  return out;
}

function setKey(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}
