// JSON handed over inside one process without text in between. The embedded node answers `--node local` in-process
// through the same Request -> Response handler as over a socket; serialising each answer only for the client to
// parse it again was a tenth of a large `sesam test`. A JSON answer therefore also carries a copy of its value that
// is exactly what parsing its text gives, and the in-process client takes that copy instead of reading the body.
import {
  isIndexLikeKey,
  JsonFloat,
  makeInt,
  objectKeys,
  setKeyOrder,
  setOwn,
  sortedKeys,
  type JsonObject,
  type JsonValue,
} from './json.js';

/** A value the copy cannot stand for (its text would differ or fail): the answer goes through text as before. */
class NotTransferable extends Error {}

// A lone surrogate becomes U+FFFD when the text is encoded as UTF-8; `u` makes a valid pair one code point.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What `parseJson(stringifyJson(value, { sortKeys }))` returns, built without the text; undefined when the value
 * holds anything that text would change or could not hold (a lone surrogate, a non-plain object, undefined, ...).
 */
export function transferCopy(value: unknown, sortKeys: boolean): JsonValue | undefined {
  try {
    return copy(value, sortKeys);
  } catch (err) {
    if (err instanceof NotTransferable) return undefined;
    throw err;
  }
}

function copy(v: unknown, sortKeys: boolean): JsonValue {
  if (v === null || v === true || v === false) return v;
  switch (typeof v) {
    case 'string':
      if (LONE_SURROGATE.test(v)) throw new NotTransferable();
      return v;
    case 'number':
      // Integers print as digits (parsed back as a number when safe, else a bigint), from 1e21 with an exponent
      // (parsed as a float); every other number prints as a float.
      if (!Number.isInteger(v)) return new JsonFloat(v);
      if (Number.isSafeInteger(v)) return v === 0 ? 0 : v;
      // String(): the shortest digits that round-trip, zeros after them (not the double's exact value).
      return Math.abs(v) < 1e21 ? makeInt(BigInt(String(v))) : new JsonFloat(v);
    case 'bigint':
      return makeInt(v);
    case 'object':
      break;
    default:
      throw new NotTransferable();
  }
  if (v instanceof JsonFloat) return v; // immutable: shared
  if (Array.isArray(v)) {
    const out = new Array<JsonValue>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], sortKeys);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new NotTransferable();
  const obj = v as JsonObject;
  const keys = sortKeys ? sortedKeys(obj) : objectKeys(obj);
  const out: JsonObject = {};
  let indexLike = false;
  for (const key of keys) {
    if (LONE_SURROGATE.test(key)) throw new NotTransferable();
    if (!indexLike && isIndexLikeKey(key)) indexLike = true;
    setOwn(out, key, copy(obj[key], sortKeys));
  }
  return indexLike ? setKeyOrder(out, keys) : out;
}

const attached = new WeakMap<Response, JsonValue>();

/** Record `copy` (from transferCopy) as the parsed body of `response`. */
export function attachJson(response: Response, value: JsonValue): Response {
  attached.set(response, value);
  return response;
}

/** The parsed body of a response made in this process, when it carries one. */
export function attachedJson(response: Response): JsonValue | undefined {
  return attached.get(response);
}
