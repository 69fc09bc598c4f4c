// Expected-data files (`expected/*.json`), as sesam-py's `update` and `format expected` write them:
// json.dumps(indent 2, sorted keys, ensure_ascii per -unicode-encoding) plus a newline, then the Go encoder's
// html escapes (<, >, & as \u003c, \u003e, \u0026) unless -disable-json-html-escape. And `_fix_decimal_to_ints`,
// which makes node output comparable with (and written like) what the old Go client produced.
import {
  isJsonObject,
  JsonFloat,
  makeInt,
  pyFloatRepr,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from './json.js';

export interface ExpectedFormatOptions {
  /** -unicode-encoding: escape everything outside printable ASCII as \uXXXX (Python ensure_ascii). */
  unicodeEncoding?: boolean;
  /** -disable-json-html-escape: leave <, > and & as they are. */
  disableJsonHtmlEscape?: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

export function formatExpected(value: JsonValue, options: ExpectedFormatOptions = {}): string {
  const text = `${stringifyJson(value, { indent: 2, sortKeys: true, ensureAscii: options.unicodeEncoding ?? false })}\n`;
  // sesam-py replaces in the serialised text, so keys and every string are escaped alike.
  return options.disableJsonHtmlEscape ? text : text.replace(/[<>&]/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * sesam-py's `_fix_decimal_to_ints`: floats whose Python str() ends in ".0" become ints (5.0 -> 5, -0.0 -> 0,
 * 1e+16 stays a float). Unless `noLargeIntBugs`, ints longer than 16 characters (sign included) are rounded
 * through a double (12345678901234567890 -> 12345678901234567000), the old Go client's bug that expected files
 * still encode. Returns a new value; idempotent.
 */
export function fixDecimalToInts(value: JsonValue, options: { noLargeIntBugs?: boolean } = {}): JsonValue {
  const roundLarge = !options.noLargeIntBugs;
  const fix = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return v.map(fix);
    if (v instanceof JsonFloat) {
      // str() ends in ".0" exactly for the integral floats below 1e16 (from 1e16 on it has an exponent).
      const x = v.value;
      return Number.isInteger(x) && Math.abs(x) < 1e16 ? fix(makeInt(BigInt(x))) : v;
    }
    if (roundLarge && typeof v === 'number' && Number.isSafeInteger(v)) {
      // A safe integer has at most 16 digits: only a negative one from -1e15 down is longer than 16 characters.
      return v <= -1e15 ? makeInt(roundThroughDouble(String(v))) : v;
    }
    if (roundLarge && (typeof v === 'number' || typeof v === 'bigint')) {
      const text = v.toString();
      if (text.length > 16) return makeInt(roundThroughDouble(text));
      return v;
    }
    if (isJsonObject(v)) {
      const out: JsonObject = {};
      for (const key of Object.keys(v)) {
        if (key === '__proto__')
          Object.defineProperty(out, key, {
            value: fix(v[key]!),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else out[key] = fix(v[key]!);
      }
      return out;
    }
    return v;
  };
  return fix(value);
}

/** int(Decimal(str(float(n)))): the exact integer value of the nearest double, from Python's repr digits. */
function roundThroughDouble(intText: string): bigint {
  const repr = pyFloatRepr(Number(intText)); // e.g. "1.2345678901234567e+19" or "-9999999999999998.0"
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(repr);
  if (!match) throw new Error(`Cannot round ${intText} through a double (got ${repr})`);
  const [, sign, whole, fraction = '', exp = '0'] = match;
  const digits = whole! + fraction;
  const shift = Number(exp) - fraction.length;
  // Decimal(str(float)) of an integral double has no fractional digits left after the shift (shift >= 0),
  // except for the "x.0" form, where the fraction is just "0".
  const magnitude = shift >= 0 ? BigInt(digits) * 10n ** BigInt(shift) : BigInt(digits) / 10n ** BigInt(-shift);
  return sign === '-' ? -magnitude : magnitude;
}
