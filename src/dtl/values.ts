// The DTL value model: the lossless JSON model of src/format/json.ts (ints number|bigint, floats JsonFloat, strings,
// booleans, null, arrays, plain objects) plus the Sesam extension types, which in stored entities are transit
// strings ("~t…", "~:…", "~f…", "~u…", "~b…", "~r…"). Entities are decoded once on the way in and encoded on the
// way out; functions only ever see typed values.
import {
  compareCodePoints,
  isJsonObject,
  JsonFloat,
  makeInt,
  pyFloatRepr,
  type JsonObject,
  type JsonValue,
} from '../format/json.js';

export { JsonFloat };

export type DtlValue =
  | null
  | boolean
  | number
  | bigint
  | JsonFloat
  | string
  | Decimal
  | DateTime
  | Ni
  | Uri
  | Uuid
  | Bytes
  | DtlValue[]
  | DtlDict;

export interface DtlDict {
  [key: string]: DtlValue;
}

// ---------------------------------------------------------------------------------------------------------------
// Decimal: exact, value = unscaled × 10^-scale (scale ≥ 0). Python Decimal semantics where it matters: trailing
// zeros are kept ("1.50" stays "1.50"), division rounds half-even to 28 significant digits.

const DIVISION_PRECISION = 28;

export class Decimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static fromInt(value: number | bigint): Decimal {
    return new Decimal(BigInt(value), 0);
  }

  /** Exact value of a double (every finite double is a finite decimal); undefined for NaN/Infinity. */
  static fromFloat(value: number): Decimal | undefined {
    if (!Number.isFinite(value)) return undefined;
    // Use the shortest repr, as Python's Decimal(str(f)) / Sesam's float→decimal cast does.
    return Decimal.parse(pyFloatRepr(value));
  }

  /** Parse "123", "-1.50", "1e-3", "+.5"; undefined when the text is not a decimal number. */
  static parse(text: string): Decimal | undefined {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m) return undefined;
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    if (intPart === '' && frac === '') return undefined;
    if (m[4] && Math.abs(Number(m[4])) > 100_000) return undefined; // beyond any practical decimal
    let unscaled = BigInt((intPart || '0') + frac);
    let scale = frac.length - (m[4] ? Number(m[4]) : 0);
    if (m[1] === '-') unscaled = -unscaled;
    if (scale < 0) {
      unscaled *= 10n ** BigInt(-scale);
      scale = 0;
    }
    return new Decimal(unscaled, scale);
  }

  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return (negative ? '-' : '') + digits;
    const padded = digits.padStart(this.scale + 1, '0');
    const cut = padded.length - this.scale;
    return `${(negative ? '-' : '') + padded.slice(0, cut)}.${padded.slice(cut)}`;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  sign(): number {
    return this.unscaled > 0n ? 1 : this.unscaled < 0n ? -1 : 0;
  }

  private rescale(scale: number): bigint {
    return this.unscaled * 10n ** BigInt(scale - this.scale);
  }

  add(other: Decimal): Decimal {
    const s = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(s) + other.rescale(s), s);
  }

  sub(other: Decimal): Decimal {
    const s = Math.max(this.scale, other.scale);
    return new Decimal(this.rescale(s) - other.rescale(s), s);
  }

  mul(other: Decimal): Decimal {
    return new Decimal(this.unscaled * other.unscaled, this.scale + other.scale);
  }

  neg(): Decimal {
    return new Decimal(-this.unscaled, this.scale);
  }

  abs(): Decimal {
    return this.unscaled < 0n ? this.neg() : this;
  }

  /** Division; undefined when dividing by zero. Exact results keep the ideal scale, others get 28 digits. */
  div(other: Decimal): Decimal | undefined {
    if (other.unscaled === 0n) return undefined;
    const ideal = this.scale - other.scale;
    // Compute with enough extra digits for 28 significant digits plus a rounding digit.
    const extra =
      DIVISION_PRECISION + 2 + digitCount(other.unscaled) - Math.min(digitCount(this.unscaled), DIVISION_PRECISION);
    const shift = Math.max(extra, 0) + Math.max(-ideal, 0);
    const num = this.unscaled * 10n ** BigInt(shift);
    const q = num / other.unscaled;
    const exact = q * other.unscaled === num;
    let result = new Decimal(q, ideal + shift);
    if (exact) return result.stripTo(Math.max(ideal, 0));
    // Inexact: round half-even to 28 significant digits (the remainder breaks exact ties, never reached here).
    const digits = digitCount(q);
    if (digits > DIVISION_PRECISION) {
      const drop = digits - DIVISION_PRECISION;
      result = roundUnscaled(result, result.scale - drop, true);
    }
    return result;
  }

  /** Remove trailing zeros while scale > minScale. */
  stripTo(minScale: number): Decimal {
    let u = this.unscaled;
    let s = this.scale;
    while (s > minScale && u % 10n === 0n) {
      u /= 10n;
      s--;
    }
    return u === this.unscaled ? this : new Decimal(u, s);
  }

  /** Round to `scale` digits after the point, half-even (Python's quantize with ROUND_HALF_EVEN). */
  roundHalfEven(scale: number): Decimal {
    return roundUnscaled(this, scale, true);
  }

  compare(other: Decimal): number {
    const s = Math.max(this.scale, other.scale);
    const a = this.rescale(s);
    const b = other.rescale(s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** Integer part, truncated toward zero. */
  trunc(): bigint {
    return this.unscaled / 10n ** BigInt(this.scale);
  }

  floor(): bigint {
    const p = 10n ** BigInt(this.scale);
    const q = this.unscaled / p;
    return this.unscaled < 0n && q * p !== this.unscaled ? q - 1n : q;
  }

  ceil(): bigint {
    const p = 10n ** BigInt(this.scale);
    const q = this.unscaled / p;
    return this.unscaled > 0n && q * p !== this.unscaled ? q + 1n : q;
  }
}

function digitCount(n: bigint): number {
  return (n < 0n ? -n : n).toString().length;
}

function roundUnscaled(d: Decimal, scale: number, halfEven: boolean): Decimal {
  if (scale >= d.scale) return new Decimal(d.unscaled * 10n ** BigInt(scale - d.scale), scale);
  const p = 10n ** BigInt(d.scale - scale);
  const negative = d.unscaled < 0n;
  const abs = negative ? -d.unscaled : d.unscaled;
  let q = abs / p;
  const r = abs - q * p;
  const twice = r * 2n;
  if (twice > p || (twice === p && (!halfEven || q % 2n === 1n))) q += 1n;
  if (scale < 0) return new Decimal((negative ? -q : q) * 10n ** BigInt(-scale), 0);
  return new Decimal(negative ? -q : q, scale);
}

// ---------------------------------------------------------------------------------------------------------------
// DateTime: nanoseconds since 1970-01-01T00:00:00Z (UTC only), years 0001-9999. `dateOnly` marks "~t2015-12-31".

const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_DAY = 86_400n * NS_PER_SECOND;
export const DATETIME_MIN_NS = -62135596800n * NS_PER_SECOND; // 0001-01-01T00:00:00Z
export const DATETIME_MAX_NS = 253402300800n * NS_PER_SECOND - 1n; // 9999-12-31T23:59:59.999999999Z

export class DateTime {
  constructor(
    readonly ns: bigint,
    readonly dateOnly = false,
  ) {}

  /** undefined when outside years 0001-9999. */
  static fromNanos(ns: bigint, dateOnly = false): DateTime | undefined {
    return ns < DATETIME_MIN_NS || ns > DATETIME_MAX_NS ? undefined : new DateTime(ns, dateOnly);
  }

  /** Parse the transit text (without "~t"): "2015-12-31" or "2015-07-28T09:46:00.12345Z" (Z mandatory). */
  static parse(text: string): DateTime | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z)?$/.exec(text);
    if (!m) return undefined;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    const dateOnly = m[4] === undefined;
    const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    const frac = BigInt((m[7] ?? '').padEnd(9, '0'));
    return DateTime.fromParts(year, month, day, hour, minute, second, frac, dateOnly);
  }

  static fromParts(
    year: number,
    month: number,
    day: number,
    hour = 0,
    minute = 0,
    second = 0,
    nanos = 0n,
    dateOnly = false,
  ): DateTime | undefined {
    const days = BigInt(daysFromCivil(year, month, day));
    const ns = days * NS_PER_DAY + BigInt(hour * 3600 + minute * 60 + second) * NS_PER_SECOND + nanos;
    return DateTime.fromNanos(ns, dateOnly);
  }

  /** Calendar fields in UTC. */
  parts(): {
    year: number;
    month: number;
    day: number;
    hour: number;
    minute: number;
    second: number;
    nanos: bigint;
    weekday: number;
  } {
    let days = this.ns / NS_PER_DAY;
    let rest = this.ns - days * NS_PER_DAY;
    if (rest < 0n) {
      days -= 1n;
      rest += NS_PER_DAY;
    }
    const { year, month, day } = civilFromDays(Number(days));
    const secs = Number(rest / NS_PER_SECOND);
    // 1970-01-01 was a Thursday; weekday 0 = Monday as in Python.
    const weekday = (((Number(days) + 3) % 7) + 7) % 7;
    return {
      year,
      month,
      day,
      hour: Math.floor(secs / 3600),
      minute: Math.floor(secs / 60) % 60,
      second: secs % 60,
      nanos: rest % NS_PER_SECOND,
      weekday,
    };
  }

  /** ISO text as stored after "~t": fraction without trailing zeros, none when whole seconds. */
  toString(): string {
    const p = this.parts();
    const date = `${String(p.year).padStart(4, '0')}-${pad2(p.month)}-${pad2(p.day)}`;
    if (this.dateOnly) return date;
    let frac = '';
    if (p.nanos !== 0n) frac = `.${p.nanos.toString().padStart(9, '0').replace(/0+$/, '')}`;
    return `${date}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}${frac}Z`;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp + (mp < 10 ? 3 : -9);
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

// ---------------------------------------------------------------------------------------------------------------
// Namespaced identifier, URI, UUID, bytes.

/** The identifier part of a namespaced name: the text after the last colon (all of it when there is none). */
export function identifierPart(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1);
}

/** The namespace part of a namespaced name: the text before the last colon ("" when there is none). */
export function namespacePart(name: string): string {
  const i = name.lastIndexOf(':');
  return i < 0 ? '' : name.slice(0, i);
}

export class Ni {
  /** The identifier text after "~:" ("foo:bar", or "bar" in the global namespace). */
  readonly text: string;

  /** namespace "" is the global namespace ("~:bar"). */
  constructor(namespace: string, id: string) {
    this.text = namespace === '' ? id : `${namespace}:${id}`;
  }

  /** From the text after "~:". */
  static fromText(text: string): Ni {
    return new Ni('', text);
  }

  /** Text before the last colon ("" for the global namespace). */
  get namespace(): string {
    return namespacePart(this.text);
  }

  /** Text after the last colon. */
  get id(): string {
    return identifierPart(this.text);
  }

  toString(): string {
    return this.text;
  }
}

export class Uri {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export class Uuid {
  /** Canonical lowercase 8-4-4-4-12 text. */
  constructor(readonly value: string) {}

  /** Accepts canonical, braced, "urn:uuid:" and 32-hex forms (as Python's uuid.UUID does). */
  static parse(text: string): Uuid | undefined {
    let t = text.trim();
    if (t.toLowerCase().startsWith('urn:uuid:')) t = t.slice(9);
    t = t.replace(/^\{|\}$/g, '').replace(/-/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(t)) return undefined;
    t = t.toLowerCase();
    return new Uuid(`${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`);
  }

  toString(): string {
    return this.value;
  }
}

export class Bytes {
  constructor(readonly value: Uint8Array) {}

  static fromBase64(text: string): Bytes | undefined {
    const clean = text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) return undefined;
    return new Bytes(
      new Uint8Array(Buffer.from(clean, clean.includes('-') || clean.includes('_') ? 'base64url' : 'base64')),
    );
  }

  toBase64(): string {
    return Buffer.from(this.value.buffer, this.value.byteOffset, this.value.byteLength).toString('base64');
  }

  toString(): string {
    return this.toBase64();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Type guards.

export type DtlInt = number | bigint;
export type DtlNumber = number | bigint | JsonFloat | Decimal;

export function isInt(v: DtlValue): v is DtlInt {
  return typeof v === 'bigint' || typeof v === 'number';
}

export function isNumber(v: DtlValue): v is DtlNumber {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof JsonFloat || v instanceof Decimal;
}

export function isDict(v: DtlValue | undefined): v is DtlDict {
  return typeof v === 'object' && v !== null && isPlainObject(v);
}

/**
 * A plain object (prototype Object.prototype), for any non-null object. The inherited `constructor` is checked
 * first: a monomorphic load, several times cheaper than Object.getPrototypeOf. Only an own "constructor" key can
 * make it differ, and a model value never holds the Object function, so a dict with that key takes the exact test.
 */
export function isPlainObject(v: object): boolean {
  return (
    (v as { constructor?: unknown }).constructor === Object ||
    (!Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype)
  );
}

export function isList(v: DtlValue): v is DtlValue[] {
  return Array.isArray(v);
}

/** DTL truthiness: false, null and [] are false; everything else (0, "", {} included) is true. */
export function isTruthy(v: DtlValue): boolean {
  if (v === null || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** A value as a list: null → [], list → itself, scalar → [scalar]. */
export function asList(v: DtlValue): DtlValue[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** First value of a value-expression result (lists give their first element, or null when empty). */
export function firstValue(v: DtlValue): DtlValue {
  if (Array.isArray(v)) return v.length ? v[0]! : null;
  return v;
}

/** Normalise an integer result: bigint inside the safe range becomes a number. */
export function normInt(v: bigint | number): DtlInt {
  return typeof v === 'bigint' ? makeInt(v) : v;
}

// ---------------------------------------------------------------------------------------------------------------
// Transit codec.

/** Decode one transit string; undefined when it is not a (valid) transit value. */
export function decodeTransitString(s: string): DtlValue | undefined {
  if (s.length < 2 || s.charCodeAt(0) !== 126 /* ~ */) return undefined;
  const rest = s.slice(2);
  switch (s[1]) {
    case 't':
      return DateTime.parse(rest);
    case ':':
      return Ni.fromText(rest);
    case 'f':
      return Decimal.parse(rest);
    case 'u':
      return Uuid.parse(rest);
    case 'b':
      return Bytes.fromBase64(rest);
    case 'r':
      return new Uri(rest);
    default:
      return undefined;
  }
}

/**
 * Turn transit strings (recursively in lists and dict values, not keys) into typed values; values that are already
 * typed pass through, so decoding is idempotent. Lists and dicts without
 * transit strings are returned as they are (copy on change): DTL never mutates its inputs.
 */
export function decodeTransit(value: JsonValue): DtlValue {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) !== 126) return value;
    return decodeTransitString(value) ?? value;
  }
  // A non-integral JS number (from JSON.parse rather than parseJson) is a float of the model.
  if (typeof value === 'number') return Number.isInteger(value) ? value : new JsonFloat(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return decodeList(value);
  // Typed values (and JsonFloat) are already decoded; only plain dicts are walked.
  return isPlainObject(value) ? decodeDict(value as JsonObject) : (value as DtlValue);
}

/** Decode one member; primitives that need no work are returned without a call (the hot path). */
function decodeMember(item: JsonValue): DtlValue {
  switch (typeof item) {
    case 'string':
      return item.charCodeAt(0) === 126 ? (decodeTransitString(item) ?? item) : item;
    case 'boolean':
    case 'bigint':
      return item;
    case 'number':
      return Number.isInteger(item) ? item : new JsonFloat(item);
    default:
      if (item === null) return item;
      if (Array.isArray(item)) return decodeList(item);
      return isPlainObject(item) ? decodeDict(item as JsonObject) : (item as DtlValue);
  }
}

function decodeList(value: JsonValue[]): DtlValue[] {
  let out: DtlValue[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i]!;
    // Plain strings and ints (nearly every member) are checked here without a call.
    const decoded =
      typeof item === 'string'
        ? item.charCodeAt(0) === 126
          ? (decodeTransitString(item) ?? item)
          : item
        : typeof item === 'number' && Number.isInteger(item)
          ? item
          : decodeMember(item);
    if (decoded !== item && !out) out = value.slice(0, i) as DtlValue[];
    if (out) out.push(decoded);
  }
  return out ?? (value as DtlValue[]);
}

function decodeDict(value: JsonObject): DtlDict {
  let out: DtlDict | undefined;
  for (const key in value) {
    const item = value[key]!;
    const decoded =
      typeof item === 'string'
        ? item.charCodeAt(0) === 126
          ? (decodeTransitString(item) ?? item)
          : item
        : typeof item === 'number' && Number.isInteger(item)
          ? item
          : decodeMember(item);
    if (decoded !== item && !out) {
      out = {};
      for (const k in value) {
        if (k === key) break;
        setKey(out, k, value[k] as DtlValue);
      }
    }
    if (out) setKey(out, key, decoded);
  }
  return out ?? (value as DtlDict);
}

/** Transit-encode a typed value into the JSON model (dict key order kept; unchanged parts are shared). */
export function encodeTransit(value: DtlValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  // Plain dicts (the usual object) skip the class tests: see isPlainObject for why the constructor test is exact.
  if ((value as { constructor?: unknown }).constructor !== Object) {
    if (value instanceof JsonFloat) return value;
    if (Array.isArray(value)) {
      let out: JsonValue[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = value[i]!;
        const encoded = item === null || typeof item !== 'object' ? item : encodeTransit(item); // primitives: no call
        if (encoded !== item && !out) out = value.slice(0, i) as JsonValue[];
        if (out) out.push(encoded);
      }
      return out ?? (value as JsonValue[]);
    }
    if (value instanceof DateTime) return `~t${value.toString()}`;
    if (value instanceof Ni) return `~:${value.toString()}`;
    if (value instanceof Decimal) return `~f${value.toString()}`;
    if (value instanceof Uuid) return `~u${value.value}`;
    if (value instanceof Bytes) return `~b${value.toBase64()}`;
    if (value instanceof Uri) return `~r${value.value}`;
  }
  const dict = value as DtlDict;
  let out: JsonObject | undefined;
  for (const key in dict) {
    const item = dict[key]!;
    const encoded = item === null || typeof item !== 'object' ? item : encodeTransit(item);
    if (encoded !== item && !out) {
      out = {};
      for (const k in dict) {
        if (k === key) break;
        setKey(out, k, dict[k] as JsonValue);
      }
    }
    if (out) setKey(out, key, encoded);
  }
  return out ?? (dict as JsonObject);
}

/** Plain-JSON rendering without transit tags (what `json` and `string` show for typed values). */
export function toPlainJson(value: DtlValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof JsonFloat) return value;
  if (Array.isArray(value)) return value.map(toPlainJson);
  if (value instanceof Decimal) return new JsonFloat(value.toNumber());
  if (value instanceof DateTime || value instanceof Ni || value instanceof Uuid || value instanceof Uri)
    return value.toString();
  if (value instanceof Bytes) return value.toBase64();
  const out: JsonObject = {};
  for (const key in value) setKey(out, key, toPlainJson(value[key]!));
  return out;
}

/** Assign a key safely (a "__proto__" key is an ordinary property). */
export function setKey<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function hasKey(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

export { isJsonObject };

// ---------------------------------------------------------------------------------------------------------------
// Mixed-type ordering (dtl.md §7): null < boolean < numbers < datetime < UUID < NI < URI < string < dict < list < bytes.

export function typeRank(v: DtlValue): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 7;
  }
  if (Array.isArray(v)) return 9;
  if (v instanceof JsonFloat || v instanceof Decimal) return 2;
  if (v instanceof DateTime) return 3;
  if (v instanceof Uuid) return 4;
  if (v instanceof Ni) return 5;
  if (v instanceof Uri) return 6;
  if (v instanceof Bytes) return 10;
  return 8;
}

/** Total order over all values; 0 exactly when `valuesEqual`. Numbers of different types compare by value. */
export function compareValues(a: DtlValue, b: DtlValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : compareCodePoints(a, b) < 0 ? -1 : 1;
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return compareNumbers(a as DtlNumber, b as DtlNumber);
    case 3: {
      const x = (a as DateTime).ns;
      const y = (b as DateTime).ns;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4:
    case 6:
      return sign(compareCodePoints((a as Uuid).value, (b as Uuid).value));
    case 5:
      return sign(compareCodePoints((a as Ni).text, (b as Ni).text));
    case 7:
      return sign(compareCodePoints(a as string, b as string));
    case 8:
      return compareDicts(a as DtlDict, b as DtlDict);
    case 9: {
      const x = a as DtlValue[];
      const y = b as DtlValue[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return sign(x.length - y.length);
    }
    default: {
      const x = (a as Bytes).value;
      const y = (b as Bytes).value;
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return sign(x.length - y.length);
    }
  }
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareDicts(a: DtlDict, b: DtlDict): number {
  const ka = Object.keys(a).sort(compareCodePoints);
  const kb = Object.keys(b).sort(compareCodePoints);
  // First the sorted key lists, then the values key by key.
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const c = compareCodePoints(ka[i]!, kb[i]!);
    if (c !== 0) return sign(c);
  }
  if (ka.length !== kb.length) return sign(ka.length - kb.length);
  for (const k of ka) {
    const c = compareValues(a[k]!, b[k]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Compare numbers of any type by value; NaN sorts below every other number (and equals itself) to stay total. */
export function compareNumbers(a: DtlNumber, b: DtlNumber): number {
  const an = a instanceof JsonFloat ? a.value : a;
  const bn = b instanceof JsonFloat ? b.value : b;
  if (typeof an === 'number' && typeof bn === 'number') {
    const aNaN = Number.isNaN(an);
    const bNaN = Number.isNaN(bn);
    if (aNaN || bNaN) return aNaN && bNaN ? 0 : aNaN ? -1 : 1;
    return an < bn ? -1 : an > bn ? 1 : 0;
  }
  if (typeof an === 'bigint' && typeof bn === 'bigint') return an < bn ? -1 : an > bn ? 1 : 0;
  // Mixed bigint/float/decimal: compare exactly through Decimal, handling non-finite floats first.
  if (typeof an === 'number' && !Number.isFinite(an)) return Number.isNaN(an) ? -1 : an > 0 ? 1 : -1;
  if (typeof bn === 'number' && !Number.isFinite(bn)) return Number.isNaN(bn) ? 1 : bn > 0 ? -1 : 1;
  return toExactDecimal(an as number | bigint | Decimal).compare(toExactDecimal(bn as number | bigint | Decimal));
}

/** Exact decimal value of an int, finite double or decimal. */
export function toExactDecimal(v: number | bigint | Decimal): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return new Decimal(v, 0);
  if (Number.isInteger(v)) return new Decimal(BigInt(v), 0);
  // A double is m × 2^e exactly; with e < 0 that is m × 5^-e / 10^-e.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, v);
  const bits = buf.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  let unscaled: bigint;
  let scale: number;
  if (e >= 0) {
    unscaled = mant << BigInt(e);
    scale = 0;
  } else {
    unscaled = mant * 5n ** BigInt(-e);
    scale = -e;
  }
  return new Decimal(negative ? -unscaled : unscaled, scale).stripTo(0);
}

/** Equality consistent with compareValues (1, 1.0 and ~f1 are equal; true and 1 are not). */
export function valuesEqual(a: DtlValue, b: DtlValue): boolean {
  if (a === b) return true;
  if (typeof a === 'string' || typeof b === 'string') return false;
  return compareValues(a, b) === 0;
}
