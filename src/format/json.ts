// Lossless JSON with Python's number semantics, because sesam-py (Python) decides what the files look like and
// what counts as equal: `1` (int) and `1.0` (float) differ, integers are unbounded, floats print with repr().
//
// Value model, shared by every module:
//   integer  -> number when it is a safe integer, bigint beyond 2^53 (never a non-integral number)
//   float    -> JsonFloat (always, even when integral: 1.0 stays 1.0)
//   string, boolean, null, arrays and plain objects as usual.
// Objects are plain objects; duplicate keys keep the first position and the last value, as in Python.
// Key order is data (sesam-py keeps it), but a JS object lists integer-like keys ("2", "15") first, in numeric
// order. So an object that has such a key carries its real order under a hidden symbol (see KEY_ORDER), and
// every writer asks objectKeys() for the order instead of Object.keys(). Objects without such keys need nothing.

export class JsonFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return pyFloatRepr(this.value);
  }
}

export type JsonValue = null | boolean | number | bigint | JsonFloat | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The insertion order of an object's keys, kept only where it differs from Object.keys (integer-like keys). */
const KEY_ORDER = Symbol('sesam.keyOrder');

type Ordered = JsonObject & { [KEY_ORDER]?: string[] };

/** A key that JS orders before all others (an array index: "0", "15", not "015" or "-1"). */
export function isIndexLikeKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (!(c >= 48 && c <= 57) || (c === 48 && key.length > 1) || key.length > 10) return false;
  return /^\d+$/.test(key) && Number(key) < 4294967295;
}

/**
 * An object's keys in their real order: the order they were parsed or set in (see setKeyOrder), with keys added
 * later appended and deleted ones left out. Use it instead of Object.keys wherever the order reaches a user.
 */
export function objectKeys(obj: JsonObject): string[] {
  const order = (obj as Ordered)[KEY_ORDER];
  const keys = Object.keys(obj);
  if (order === undefined) return keys;
  if (order.length === keys.length && order.every((k) => Object.hasOwn(obj, k))) return order;
  const listed = new Set(order);
  return [...order.filter((k) => Object.hasOwn(obj, k)), ...keys.filter((k) => !listed.has(k))];
}

/** [key, value] pairs in objectKeys order. */
export function objectEntries(obj: JsonObject): [string, JsonValue][] {
  return objectKeys(obj).map((k) => [k, obj[k]!]);
}

/** Record `keys` (the object's own keys) as its order, when JS would list them differently. Returns obj. */
export function setKeyOrder<T extends JsonObject>(obj: T, keys: string[]): T {
  if (keys.some(isIndexLikeKey)) {
    Object.defineProperty(obj, KEY_ORDER, { value: keys, enumerable: false, writable: true, configurable: true });
  }
  return obj;
}

/** A new object with the given entries in this order (duplicates: first position, last value). */
export function orderedObject(entries: Iterable<readonly [string, JsonValue]>): JsonObject {
  const out: JsonObject = {};
  const keys: string[] = [];
  for (const [key, value] of entries) {
    if (!Object.hasOwn(out, key)) keys.push(key);
    setOwn(out, key, value);
  }
  return setKeyOrder(out, keys);
}

/** out[key] = value, with '__proto__' as an own property rather than the prototype. */
export function setOwn(out: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly offset: number,
  ) {
    super(`${reason}: line ${line} column ${column} (char ${offset})`);
    this.name = 'JsonSyntaxError';
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonFloat);
}

/** An integer value of the model: a safe-integer number or a bigint. */
export function makeInt(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

export interface DuplicateKey {
  key: string;
  /** 1-based position of the repeated key's opening quote. */
  line: number;
  column: number;
}

export interface ParseOptions {
  /** Called for each key that repeats an earlier key of the same object (the later value wins, as in Python). */
  onDuplicateKey?: (duplicate: DuplicateKey) => void;
}

/** Parse JSON text losslessly (Python json.loads semantics, including NaN/Infinity). A leading BOM is accepted. */
export function parseJson(text: string, options: ParseOptions = {}): JsonValue {
  const parser = new Parser(stripBom(text));
  const report = options.onDuplicateKey;
  if (report) parser.onDuplicateKey = (key, at) => report({ key, ...parser.position(at) });
  parser.ws();
  const value = parser.value();
  parser.ws();
  if (parser.pos < parser.text.length) parser.fail('Extra data');
  return value;
}

// Memory: a large export holds the same short strings (keys, codes, enum-like values) many times over, and V8
// copies every substring under 13 characters. Short unescaped strings therefore go through a small direct-mapped
// cache, so repeats share one string; a miss only replaces the slot, which keeps the cost bounded and the result
// independent of the input's size. Strings are primitives, so sharing is invisible to callers.
const CACHED_MAX_LENGTH = 24;
const CACHE_SLOTS_SMALL = 64; // powers of two; small texts (most parses) get a small cache
const CACHE_SLOTS_LARGE = 4096;

class Parser {
  pos = 0;
  private readonly cache: string[];
  private readonly cacheMask: number;
  // Array elements are collected here and copied into an array of exactly their number: an array grown by push()
  // keeps room for 17 or more elements, which is most of the memory of a short list.
  private readonly scratch: JsonValue[] = [];
  private top = 0;
  constructor(readonly text: string) {
    const slots = text.length < 1 << 16 ? CACHE_SLOTS_SMALL : CACHE_SLOTS_LARGE;
    this.cache = new Array<string>(slots).fill('');
    this.cacheMask = slots - 1;
  }

  onDuplicateKey?: (key: string, at: number) => void;

  position(at: number): { line: number; column: number } {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at; i++) {
      if (this.text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return { line, column: at - lineStart + 1 };
  }

  fail(reason: string, at = this.pos): never {
    const { line, column } = this.position(at);
    throw new JsonSyntaxError(reason, line, column, at);
  }

  ws(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  value(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 123: // {
        return this.object();
      case 91: // [
        return this.array();
      case 34: // "
        return this.string();
      case 116: // t
        return this.keyword('true', true);
      case 102: // f
        return this.keyword('false', false);
      case 110: // n
        return this.keyword('null', null);
      case 78: // N
        return this.keyword('NaN', new JsonFloat(NaN));
      case 73: // I
        return this.keyword('Infinity', new JsonFloat(Infinity));
      default:
        if (c === 45 || (c >= 48 && c <= 57)) return this.number();
        return this.fail('Expecting value');
    }
  }

  keyword<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail('Expecting value');
  }

  number(): JsonValue {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === 45) {
      p++;
      if (t.startsWith('Infinity', p)) {
        this.pos = p + 8;
        return new JsonFloat(-Infinity);
      }
    }
    const intStart = p;
    if (t.charCodeAt(p) === 48) p++;
    else {
      while (isDigit(t.charCodeAt(p))) p++;
    }
    if (p === intStart) this.fail('Expecting value', start);
    let isFloat = false;
    if (t.charCodeAt(p) === 46 && isDigit(t.charCodeAt(p + 1))) {
      isFloat = true;
      p++;
      while (isDigit(t.charCodeAt(p))) p++;
    }
    const e = t.charCodeAt(p);
    if (e === 101 || e === 69) {
      let q = p + 1;
      const s = t.charCodeAt(q);
      if (s === 43 || s === 45) q++;
      if (isDigit(t.charCodeAt(q))) {
        isFloat = true;
        while (isDigit(t.charCodeAt(q))) q++;
        p = q;
      }
    }
    this.pos = p;
    const literal = t.slice(start, p);
    if (isFloat) return new JsonFloat(Number(literal));
    if (p - start < 16) {
      const n = Number(literal);
      return n === 0 ? 0 : n; // Python has no -0 integer
    }
    return makeInt(BigInt(literal));
  }

  string(): string {
    const t = this.text;
    let p = this.pos + 1;
    let chunkStart = p;
    let out = '';
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        this.pos = p + 1;
        if (out === '' && p - chunkStart <= CACHED_MAX_LENGTH) return this.shared(chunkStart, p);
        return out + t.slice(chunkStart, p);
      }
      if (c === 92) {
        out += t.slice(chunkStart, p);
        const esc = t.charCodeAt(p + 1);
        switch (esc) {
          case 34:
            out += '"';
            break;
          case 92:
            out += '\\';
            break;
          case 47:
            out += '/';
            break;
          case 98:
            out += '\b';
            break;
          case 102:
            out += '\f';
            break;
          case 110:
            out += '\n';
            break;
          case 114:
            out += '\r';
            break;
          case 116:
            out += '\t';
            break;
          case 117: {
            const hex = t.slice(p + 2, p + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', p);
            out += String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            this.fail('Invalid \\escape', p);
        }
        p += 2;
        chunkStart = p;
        continue;
      }
      if (!(c >= 32)) {
        // NaN past the end of the text (a plain `c < 32` is false for it, and the loop would never end).
        if (Number.isNaN(c)) this.fail('Unterminated string starting at', this.pos);
        this.fail('Invalid control character at', p);
      }
      p++;
    }
  }

  /** The text between start and end (no escapes in it), shared with earlier equal strings when short. */
  private shared(start: number, end: number): string {
    const t = this.text;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
    const slot = (h ^ (h >>> 15)) & this.cacheMask;
    const hit = this.cache[slot]!;
    if (hit.length === end - start && t.startsWith(hit, start)) return hit;
    const s = t.slice(start, end);
    this.cache[slot] = s;
    return s;
  }

  array(): JsonValue[] {
    this.pos++;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return [];
    }
    const base = this.top;
    const scratch = this.scratch;
    for (;;) {
      this.ws();
      const item = this.value();
      scratch[this.top++] = item;
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 93) {
        this.pos++;
        const out = scratch.slice(base, this.top);
        // Forget the elements (nested arrays reuse the slots above base), so the scratch holds no parsed values.
        scratch.fill(null, base, this.top);
        this.top = base;
        return out;
      }
      this.fail("Expecting ',' delimiter");
    }
  }

  object(): JsonObject {
    this.pos++;
    const out: JsonObject = {};
    // Only objects with an integer-like key need their order written down (Object.keys is right for the rest):
    // the list starts at the first such key, from the keys so far, which Object.keys still has in order.
    let order: string[] | undefined;
    this.ws();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 34) this.fail('Expecting property name enclosed in double quotes');
      const keyAt = this.pos;
      const key = this.string();
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) this.fail("Expecting ':' delimiter");
      this.pos++;
      this.ws();
      const value = this.value();
      // Object.hasOwn only where it matters: plain objects without duplicates are the hot path of big exports.
      const check = order !== undefined || this.onDuplicateKey !== undefined || isIndexLikeKey(key);
      const seen = check && Object.hasOwn(out, key);
      if (seen) this.onDuplicateKey?.(key, keyAt);
      else if (order !== undefined) order.push(key);
      else if (isIndexLikeKey(key)) order = [...Object.keys(out), key];
      setOwn(out, key, value);
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      if (c === 125) {
        this.pos++;
        return order === undefined ? out : setKeyOrder(out, order);
      }
      this.fail("Expecting ',' delimiter");
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Python's repr() of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa!.startsWith('-');
  const digits = mantissa!.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

export interface StringifyOptions {
  /** Python's indent: undefined for one line, a number of spaces or a string per level. */
  indent?: number | string;
  sortKeys?: boolean;
  /** Python's ensure_ascii: escape everything outside 0x20-0x7E as \uXXXX. Default false. */
  ensureAscii?: boolean;
  /** Python's separators (item, key). Default: (', ', ': ') on one line, (',', ': ') with indent. */
  separators?: [string, string];
}

/** Python json.dumps with the given options; values are of the lossless model. */
export function stringifyJson(value: JsonValue, options: StringifyOptions = {}): string {
  const indent = typeof options.indent === 'number' ? ' '.repeat(options.indent) : options.indent;
  const [itemSep, keySep] = options.separators ?? (indent === undefined ? [', ', ': '] : [',', ': ']);
  const quote = options.ensureAscii ? quoteAscii : quoteUnicode;
  const sortKeys = options.sortKeys ?? false;
  // Built by concatenation (V8 joins the pieces lazily, once): cheaper than collecting parts to join.
  const write = (v: JsonValue, level: number): string => {
    if (v === null) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return quote(v);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof JsonFloat) return pyFloatRepr(v.value);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      const inner = indent === undefined ? '' : `\n${indent.repeat(level + 1)}`;
      let out = '[';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) out += itemSep;
        out += inner + write(v[i]!, level + 1);
      }
      if (indent !== undefined) out += `\n${indent.repeat(level)}`;
      return `${out}]`;
    }
    const keys = sortKeys ? sortedKeys(v) : objectKeys(v);
    if (keys.length === 0) return '{}';
    const inner = indent === undefined ? '' : `\n${indent.repeat(level + 1)}`;
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (i > 0) out += itemSep;
      out += inner + quote(key) + keySep + write(v[key]!, level + 1);
    }
    if (indent !== undefined) out += `\n${indent.repeat(level)}`;
    return `${out}}`;
  };
  return write(value, 0);
}

// eslint-disable-next-line no-control-regex
const SURROGATE = /[\uD800-\uDFFF]/;

/** Keys in code point order: without surrogates that is UTF-16 order, which the built-in sort uses. */
export function sortedKeys(obj: JsonObject): string[] {
  const keys = Object.keys(obj);
  for (const key of keys) if (SURROGATE.test(key)) return keys.sort(compareCodePoints);
  return keys.sort();
}

/** Order strings by Unicode code point, as Python does (JS compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Surrogates (astral characters) sort after every BMP character in code point order.
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function quoteUnicode(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? hex4(c.charCodeAt(0)))}"`;
}

function quoteAscii(s: string): string {
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\]|[^\u0020-\u007e]/g, (c) => ESCAPES[c] ?? hex4(c.charCodeAt(0)))}"`;
}

function hex4(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Deep structural equality of two model values (1 and 1.0 differ, key order does not matter). */
export function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (a instanceof JsonFloat)
    return b instanceof JsonFloat && (a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value)));
  if (typeof a === 'bigint' || typeof b === 'bigint') return typeof a === typeof b && a === b;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEquals(a[i]!, b[i]!)) return false;
    return true;
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    for (const k of ka) {
      if (!Object.hasOwn(b, k) || !jsonEquals(a[k]!, b[k]!)) return false;
    }
    return true;
  }
  return false;
}
