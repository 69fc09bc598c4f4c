// The identity of an entity for verify is its canonical text (Python json.dumps(sort_keys=True)). Building that
// text for every entity on both sides costs time and, on large outputs, memory; these two functions answer the
// same questions from the value itself: a hash that is equal whenever the canonical texts are equal, and an
// equality that holds exactly when they are equal.
import { JsonFloat, pyFloatRepr, type JsonValue } from '../format/json.js';

// Two 32-bit lanes (FNV-1a and a murmur-style mix), combined into 53 bits at the end.
let h1 = 0;
let h2 = 0;

function mix(c: number): void {
  h1 = Math.imul(h1 ^ c, 0x01000193);
  h2 = Math.imul(h2 ^ c, 0x5bd1e995);
  h2 ^= h2 >>> 15;
}

function mixText(s: string): void {
  mix(s.length);
  for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
}

// Tags keep kinds apart; which tag a scalar gets depends only on its canonical text (see scalarText).
const NULL = 1;
const TRUE = 2;
const FALSE = 3;
const STRING = 4;
const SAFE_INT = 5;
const NUMBER_TEXT = 6;
const FLOAT = 9;
const LIST = 7;
const OBJECT = 8;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** What stringifyJson writes for a number of the model (or a stray non-integral number): its canonical text. */
function numberText(v: number | bigint | JsonFloat): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
  return pyFloatRepr(v.value);
}

function feed(v: JsonValue): void {
  if (v === null) mix(NULL);
  else if (v === true) mix(TRUE);
  else if (v === false) mix(FALSE);
  else if (typeof v === 'string') {
    mix(STRING);
    mixText(v);
  } else if (typeof v === 'number' && Number.isSafeInteger(v)) feedSafeInt(v);
  else if (typeof v === 'bigint' && v >= MIN_SAFE && v <= MAX_SAFE) feedSafeInt(Number(v));
  else if (v instanceof JsonFloat) feedFloat(v.value);
  else if (typeof v === 'number' || typeof v === 'bigint') {
    // Outside the model (a stray non-integral number, an unsafe integer number) or a big int: a number prints as
    // a float repr or as digits, and is hashed like the float or the digits it prints as.
    const text = numberText(v);
    if (typeof v === 'number' && text === pyFloatRepr(v)) feedFloat(v);
    else {
      mix(NUMBER_TEXT);
      mixText(text);
    }
  } else if (Array.isArray(v)) {
    mix(LIST);
    mix(v.length);
    for (let i = 0; i < v.length; i++) feed(v[i]!);
  } else {
    // Canonical text sorts the keys; summing per-property hashes gives the same result in any key order.
    const keys = Object.keys(v);
    const saved1 = h1;
    const saved2 = h2;
    let sum1 = 0;
    let sum2 = 0;
    for (const key of keys) {
      h1 = 0x811c9dc5;
      h2 = 0x9747b28c;
      mixText(key);
      feed(v[key]!);
      sum1 = (sum1 + h1) | 0;
      sum2 = (sum2 + h2) | 0;
    }
    h1 = saved1;
    h2 = saved2;
    mix(OBJECT);
    mix(keys.length);
    mix(sum1);
    mix(sum2);
  }
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

/** A float prints as its repr, which differs for different doubles (-0.0 too) and is NaN for every NaN. */
function feedFloat(x: number): void {
  mix(FLOAT);
  bits[0] = Number.isNaN(x) ? NaN : x;
  mix(words[0]!);
  mix(words[1]!);
}

/** A safe integer's text is its decimal digits (-0 prints as 0): hash the value instead of the text. */
function feedSafeInt(n: number): void {
  mix(SAFE_INT);
  mix(n >>> 0);
  mix(Math.floor(n / 0x100000000) | 0);
}

/** A 53-bit hash of a value's canonical text: equal canonical texts always give equal hashes. */
export function canonicalHash(value: JsonValue): number {
  h1 = 0x811c9dc5;
  h2 = 0x01000193;
  feed(value);
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** canonical(a) === canonical(b), without building either text. */
export function canonicalEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!canonicalEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(b, key) || !canonicalEqual(a[key]!, b[key]!)) return false;
    }
    return true;
  }
  if (Array.isArray(b) || isObject(b)) return false;
  // Scalars. Strings, null and booleans print as themselves (a string is quoted), so only identity makes them equal.
  if (
    a === null ||
    b === null ||
    typeof a === 'boolean' ||
    typeof b === 'boolean' ||
    typeof a === 'string' ||
    typeof b === 'string'
  )
    return false;
  // Two floats: repr is the shortest text that reads back as the same double, so it differs for different doubles
  // (and -0.0 from 0.0); every NaN prints as NaN.
  if (a instanceof JsonFloat && b instanceof JsonFloat) return Object.is(a.value, b.value);
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b)) return a === b;
  return numberText(a) === numberText(b);
}

function isObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonFloat);
}
