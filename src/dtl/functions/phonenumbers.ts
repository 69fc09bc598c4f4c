// Phone-number functions (dtl-functions-phonenumbers.rst): phonenumber-parse and phonenumber-format, on
// libphonenumber-js (the JavaScript port of the Google library behind Python's `phonenumbers`). Phone numbers are
// RFC 3966 "tel:" URIs, e.g. "~rtel:+47-22-22-22-22".
import { createRequire } from 'node:module';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js/max';
import { DtlRuntimeError } from '../errors.js';
import { firstValue, Uri, type DtlValue } from '../values.js';
import { DROP, mapValues, showValue } from './helpers.js';
import { defineFunctions, valueArg, type DtlFunction } from './registry.js';

const PATH_LIKE = /^_[A-Z]?\./;

type PhoneLibrary = typeof import('libphonenumber-js/max');
let library: PhoneLibrary | undefined;
/**
 * libphonenumber-js with its full metadata takes ~60 ms to load: loaded (synchronously, as DTL functions run) the
 * first time a transform uses a phone-number function, not by every command that imports the DTL engine.
 */
function phone(): PhoneLibrary {
  library ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneLibrary;
  return library;
}

/** RFC 3966 text of a number: the international format with dashes, plus ";ext=" (as phonenumbers' RFC3966). */
export function toRfc3966(p: PhoneNumber): string {
  const international = p.formatInternational({ formatExtension: (formatted: string) => formatted }).trim();
  return `tel:${international.replace(/[\s\u00a0]+/g, '-')}${p.ext ? `;ext=${p.ext}` : ''}`;
}

/** Parse a phone number (string or integer) with an optional default region; undefined when it does not parse. */
export function parsePhoneNumber(value: DtlValue, region?: CountryCode): PhoneNumber | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) text = String(value);
  else if (value instanceof Uri && value.value.startsWith('tel:')) text = value.value.slice(4).split(';')[0]!;
  else return undefined;
  try {
    return phone().parsePhoneNumberFromString(text, region);
  } catch {
    return undefined;
  }
}

function regionOf(v: DtlValue): CountryCode {
  const r = firstValue(v);
  if (typeof r !== 'string' || !phone().isSupportedCountry(r.toUpperCase()))
    throw new DtlRuntimeError(
      `phonenumber-parse: DEFAULT_REGION must be an ISO 3166 region code such as "NO" (got ${showValue(r as DtlValue)})`,
    );
  return r.toUpperCase() as CountryCode;
}

export const PHONE_FORMATS = [
  'e164',
  'rfc3966',
  'national',
  'international',
  'national-e164',
  'isocode',
  'country-code',
] as const;
type PhoneFormat = (typeof PHONE_FORMATS)[number];

/** One phone number as FORMAT_STRING says; undefined when the number has no such part (isocode of +800 …). */
export function formatPhoneNumber(p: PhoneNumber, format: PhoneFormat): string | undefined {
  switch (format) {
    case 'e164':
      // Documented without the leading '+': "~rtel:+47-22-22-22-22" -> "4722222222".
      return p.countryCallingCode + p.nationalNumber;
    case 'national-e164':
      return p.nationalNumber;
    case 'rfc3966':
      return toRfc3966(p);
    case 'national':
      return p.formatNational();
    case 'international':
      return p.formatInternational();
    case 'isocode':
      return p.country;
    case 'country-code':
      return p.countryCallingCode;
  }
}

function isPhoneFormat(s: unknown): s is PhoneFormat {
  return typeof s === 'string' && (PHONE_FORMATS as readonly string[]).includes(s);
}

const phoneFunctions: DtlFunction[] = [
  {
    name: 'phonenumber-parse',
    category: 'phonenumbers',
    min: 1,
    max: 2,
    validate: (raw) => {
      const r = raw.length === 2 ? raw[0] : undefined;
      if (typeof r === 'string' && !PATH_LIKE.test(r) && !phone().isSupportedCountry(r.toUpperCase()))
        return `phonenumber-parse: unknown DEFAULT_REGION '${r}' (expected an ISO 3166 region code such as "NO")`;
      return undefined;
    },
    call: (args) => {
      const region = args.length === 2 ? regionOf(valueArg(args, 0)) : undefined;
      return mapValues(valueArg(args, args.length - 1), (v) => {
        const p = parsePhoneNumber(v, region);
        return p ? new Uri(toRfc3966(p)) : DROP;
      });
    },
  },
  {
    name: 'phonenumber-format',
    category: 'phonenumbers',
    min: 2,
    max: 2,
    validate: (raw) => {
      const f = raw[0];
      if (Array.isArray(f) || (typeof f === 'string' && PATH_LIKE.test(f)) || isPhoneFormat(f)) return undefined;
      return `phonenumber-format: FORMAT_STRING must be one of ${PHONE_FORMATS.join(', ')} (got ${showValue(f as DtlValue)})`;
    },
    call: (args) => {
      const format = firstValue(valueArg(args, 0));
      if (!isPhoneFormat(format))
        throw new DtlRuntimeError(`phonenumber-format: FORMAT_STRING must be one of ${PHONE_FORMATS.join(', ')}`);
      return mapValues(valueArg(args, 1), (v) => {
        if (!(v instanceof Uri)) return DROP; // the docs require URI values
        const p = parsePhoneNumber(v);
        return p ? (formatPhoneNumber(p, format) ?? DROP) : DROP;
      });
    },
  },
];

defineFunctions(phoneFunctions);
