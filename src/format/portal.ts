// sesam-py's `format_json` (jsonformat.py, "portal style"): configs written by download/convert/format must be
// byte-identical to it, so this reproduces its two steps exactly rather than pretty-printing "equivalently":
//   1. order keys by a conventional weight (`_id`, `type`, `name`, ... first; other keys by code point;
//      internal `_x` keys, `$audit` and `$principals-from-user` last);
//   2. dump compactly, then re-layout character by character with its small state machine.
import { compareCodePoints, isJsonObject, orderedObject, stringifyJson, type JsonValue } from './json.js';

/** Keys that come first, in this order (pipes, sources/sinks, hops, DTL). */
const LEADING_KEYS = [
  '_id',
  'type',
  'name',
  'description',
  'source',
  'sink',
  'transform',
  'pump',
  'metadata',
  'system',
  'datasets',
  'where',
  'return',
  'recurse',
  'max_depth',
  'exclude_root',
  'track-dependencies',
  'trace',
  'default',
];
const LEADING_INDEX = new Map(LEADING_KEYS.map((key, index) => [key, index]));
const TRAILING_KEYS = new Set(['$audit', '$principals-from-user']);

/** The sort weight of a key: a control character for leading keys (sorts before '0'), '0'+key, or '1'+key. */
function keyWeight(key: string): string {
  if ((key.startsWith('_') && key !== '_id') || TRAILING_KEYS.has(key)) return `1${key}`;
  const index = LEADING_INDEX.get(key);
  return index === undefined ? `0${key}` : String.fromCharCode(index);
}

/** A copy of the value with every object's keys in portal order (lists keep their order). */
export function portalOrder(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(portalOrder);
  if (!isJsonObject(value)) return value;
  const weighted = Object.keys(value).map((key) => ({ key, weight: keyWeight(key) }));
  weighted.sort((a, b) => compareCodePoints(a.weight, b.weight));
  // orderedObject keeps this order even for integer-like keys ("15" before "2"), which JS would move first.
  return orderedObject(weighted.map(({ key }) => [key, portalOrder(value[key]!)]));
}

const DICT = 0;
const ARRAY = 1;
type Frame = typeof DICT | typeof ARRAY;

const UNIT = '  ';

/**
 * format_json: portal-ordered keys, 2-space indent, objects inside arrays not indented, nested arrays closed on
 * their own line, a trailing newline.
 *
 * The loop follows sesam-py's state machine over the compact dump. Strings are copied in one step (the machine does
 * nothing inside them but track escapes), and plain characters are copied as runs: same output, far less work.
 */
export function formatJson(value: JsonValue): string {
  const minimal = stringifyJson(portalOrder(value), { separators: [',', ':'] });
  const out: string[] = [];
  const stack: Frame[] = [];
  let indent = 0;
  let prev = -1; // char code of the previous character (a string's last character is its closing quote)
  let runStart = 0; // start of the characters of `minimal` not yet copied to out
  const newLines: string[] = [];
  const newLine = (offset = 0) => {
    const n = Math.max(0, indent + offset);
    const cached = newLines[n];
    if (cached !== undefined) return cached;
    const line = `\n${UNIT.repeat(n)}`;
    newLines[n] = line;
    return line;
  };
  const flush = (end: number) => {
    if (end > runStart) out.push(minimal.slice(runStart, end));
    runStart = end;
  };
  // sesam-py's output.rstrip(): only ever meets whitespace this function appended.
  const rstrip = () => {
    while (out.length > 0) {
      const trimmed = out[out.length - 1]!.trimEnd();
      if (trimmed.length > 0) {
        out[out.length - 1] = trimmed;
        return;
      }
      out.pop();
    }
  };
  const endsWith = (suffix: string) => {
    let tail = '';
    for (let i = out.length - 1; i >= 0 && tail.length < suffix.length; i--) tail = out[i]! + tail;
    return tail.endsWith(suffix);
  };

  const n = minimal.length;
  for (let i = 0; i < n; i++) {
    const c = minimal.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip to the closing quote; backslash escapes the next character.
      let j = i + 1;
      for (;;) {
        const d = minimal.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === 34) break;
        else j++;
      }
      i = j;
      prev = 34;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 123 /* { */) {
      // Objects are only indented inside objects (collapse_indent_for_dict_inside_array).
      if (stack.length === 0 || top === DICT) indent++;
      stack.push(DICT);
    } else if (c === 91 /* [ */) {
      indent++;
      stack.push(ARRAY);
      if (stack.length > 1 && stack[stack.length - 2] === ARRAY) {
        flush(i);
        if (!endsWith(newLine(-1))) {
          rstrip();
          out.push(newLine(-1));
        }
      }
    } else if (c === 93 /* ] */) {
      stack.pop();
      indent--;
      if (prev === 93) {
        // close_nested_array_on_new_line
        flush(i);
        out.push(newLine());
      }
    } else if (c === 125 /* } */) {
      stack.pop();
      const outer = stack[stack.length - 1];
      if (stack.length === 0 || outer === DICT) indent--;
      flush(i);
      if (prev === 123)
        rstrip(); // {} stays collapsed
      else out.push(outer === ARRAY ? newLine(-1) : newLine());
    }
    // After the character itself.
    if (c === 123) {
      flush(i + 1);
      out.push(newLine());
    } else if (c === 58 /* : */) {
      flush(i + 1);
      out.push(' ');
    } else if (c === 44 /* , */) {
      flush(i + 1);
      out.push(stack[stack.length - 1] === DICT ? newLine() : ' ');
    }
    prev = c;
  }
  flush(n);
  out.push('\n');
  return out.join('');
}
