// Date-and-time functions (dtl-functions-date-and-time.rst): datetime, datetime-diff, datetime-format,
// datetime-parse, datetime-plus, datetime-shift, is-datetime, now.
//
// Datetimes are DateTime values (bigint ns since the epoch, UTC). Time zones are IANA names resolved through Intl
// (no dependency); a wall-clock time that a zone skips or repeats resolves like pytz's localize(is_dst=False), i.e.
// with the zone's standard (smaller) offset, because Sesam's zone list is pytz's.
import { DtlRuntimeError } from '../errors.js';
import { DateTime, daysFromCivil, daysInMonth, firstValue, isLeapYear, normInt, type DtlValue } from '../values.js';
import { DROP, mapValues, showValue, typeTest, type Mapped } from './helpers.js';
import { defineFunctions, fnArg, valueArg, type ArgValue, type DtlFunction } from './registry.js';

const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1_000_000_000n;
const MS_PER_DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------------------------
// Time zones.

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'GMT',
  'Etc/GMT',
  'Zulu',
  'Etc/Zulu',
  'Universal',
  'Etc/Universal',
  'UCT',
  'Etc/UCT',
]);
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  formatters.set(zone, f);
  return f;
}

/** Whether `zone` names a time zone this runtime knows (IANA names, as in pytz's list). */
export function isTimeZone(zone: string): boolean {
  return UTC_NAMES.has(zone) || formatterFor(zone) !== undefined;
}

function requireZone(fn: string, zone: string): string {
  if (!isTimeZone(zone)) throw new DtlRuntimeError(`${fn}: unknown time zone '${zone}'`);
  return zone;
}

/** UTC offset of `zone` at the UTC instant `utcMs`, in milliseconds (whole seconds). */
export function zoneOffsetMs(utcMs: number, zone: string): number {
  if (UTC_NAMES.has(zone)) return 0;
  const f = formatterFor(zone);
  if (!f) throw new DtlRuntimeError(`unknown time zone '${zone}'`);
  const base = Math.floor(utcMs / 1000) * 1000;
  const fields: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(base))) fields[p.type] = p.value;
  let year = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') year = 1 - year;
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(fields.month) - 1, Number(fields.day));
  wall.setUTCHours(Number(fields.hour), Number(fields.minute), Number(fields.second), 0);
  return wall.getTime() - base;
}

/** The UTC instant of a wall-clock time in `zone` (gaps and overlaps take the standard offset). */
export function wallToUtcNs(wallNs: bigint, zone: string): bigint {
  if (UTC_NAMES.has(zone)) return wallNs;
  const wallMs = Number(floorDiv(wallNs, NS_PER_MS));
  const candidates = [
    ...new Set([
      zoneOffsetMs(wallMs - MS_PER_DAY, zone),
      zoneOffsetMs(wallMs, zone),
      zoneOffsetMs(wallMs + MS_PER_DAY, zone),
    ]),
  ];
  const valid = candidates.filter((o) => zoneOffsetMs(wallMs - o, zone) === o);
  const offset = Math.min(...(valid.length ? valid : candidates));
  return wallNs - BigInt(offset) * NS_PER_MS;
}

/** The wall-clock time in `zone` of a UTC instant, and the offset used (seconds). */
export function utcToWallNs(utcNs: bigint, zone: string): { wallNs: bigint; offsetSeconds: number } {
  if (UTC_NAMES.has(zone)) return { wallNs: utcNs, offsetSeconds: 0 };
  const offset = zoneOffsetMs(Number(floorDiv(utcNs, NS_PER_MS)), zone);
  return { wallNs: utcNs + BigInt(offset) * NS_PER_MS, offsetSeconds: offset / 1000 };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

// ---------------------------------------------------------------------------------------------------------------
// strftime / strptime.

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Composite tokens, expanded before formatting or parsing (C locale). */
const COMPOSITES: Record<string, string> = {
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  D: '%m/%d/%y',
  R: '%H:%M',
  c: '%a %b %e %H:%M:%S %Y',
  x: '%m/%d/%y',
  X: '%H:%M:%S',
};
const FORMAT_TOKENS = new Set('YymdHMSfeIpjaAbBwuzUWnt%'.split(''));
const PARSE_TOKENS = new Set('YymdHMSfeIpjaAbBzn%t'.split(''));

function expandComposites(format: string): string {
  return format.replace(/%([FTDRcxX])/g, (_, c: string) => COMPOSITES[c]!);
}

/** The first unsupported %-token of a format string, or undefined. */
function unsupportedToken(format: string, tokens: Set<string>): string | undefined {
  const f = expandComposites(format);
  for (let i = 0; i < f.length; i++) {
    if (f[i] !== '%') continue;
    const t = f[i + 1];
    if (t === undefined) return '%';
    if (!tokens.has(t)) return `%${t}`;
    i++;
  }
  return undefined;
}

const pad = (n: number | bigint, width: number, fill = '0') => String(n).padStart(width, fill);

/** Format wall-clock fields with strftime tokens; `offsetSeconds` feeds %z. */
export function strftime(wallNs: bigint, format: string, offsetSeconds = 0): string {
  const p = new DateTime(wallNs).parts();
  const yday = daysFromCivil(p.year, p.month, p.day) - daysFromCivil(p.year, 1, 1); // 0-based
  const sundayBased = (p.weekday + 1) % 7;
  const f = expandComposites(format);
  let out = '';
  for (let i = 0; i < f.length; i++) {
    const c = f[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const t = f[++i];
    switch (t) {
      case 'Y':
        out += pad(p.year, 4);
        break;
      case 'y':
        out += pad(p.year % 100, 2);
        break;
      case 'm':
        out += pad(p.month, 2);
        break;
      case 'd':
        out += pad(p.day, 2);
        break;
      case 'e':
        out += pad(p.day, 2, ' ');
        break;
      case 'H':
        out += pad(p.hour, 2);
        break;
      case 'I':
        out += pad(p.hour % 12 || 12, 2);
        break;
      case 'p':
        out += p.hour < 12 ? 'AM' : 'PM';
        break;
      case 'M':
        out += pad(p.minute, 2);
        break;
      case 'S':
        out += pad(p.second, 2);
        break;
      case 'f':
        out += pad(p.nanos / 1000n, 6);
        break; // microseconds: %f carries no nanoseconds
      case 'j':
        out += pad(yday + 1, 3);
        break;
      case 'a':
        out += DAY_NAMES[p.weekday]!.slice(0, 3);
        break;
      case 'A':
        out += DAY_NAMES[p.weekday]!;
        break;
      case 'b':
        out += MONTH_NAMES[p.month - 1]!.slice(0, 3);
        break;
      case 'B':
        out += MONTH_NAMES[p.month - 1]!;
        break;
      case 'w':
        out += String(sundayBased);
        break;
      case 'u':
        out += String(p.weekday + 1);
        break;
      case 'U':
        out += pad(Math.floor((yday + 7 - sundayBased) / 7), 2);
        break;
      case 'W':
        out += pad(Math.floor((yday + 7 - p.weekday) / 7), 2);
        break;
      case 'z': {
        const abs = Math.abs(offsetSeconds);
        const secs = abs % 60;
        out +=
          (offsetSeconds < 0 ? '-' : '+') +
          pad(Math.floor(abs / 3600), 2) +
          pad(Math.floor(abs / 60) % 60, 2) +
          (secs ? pad(secs, 2) : '');
        break;
      }
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '%':
        out += '%';
        break;
      default:
        throw new DtlRuntimeError(`datetime-format: unsupported format token '%${t ?? ''}' in '${format}'`);
    }
  }
  return out;
}

interface CompiledParse {
  regex: RegExp;
  fields: string[];
}
const parseCache = new Map<string, CompiledParse>();

const names = (list: string[]) => list.map((n) => `${n}|${n.slice(0, 3)}`).join('|');
const PARSE_PATTERNS: Record<string, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  e: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[01]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[01]|[0-5]\\d|\\d)',
  f: '(\\d{1,9})', // Python takes 1-6 digits; we keep up to nanoseconds
  p: '(am|pm)',
  j: '(36[0-6]|3[0-5]\\d|[12]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  a: `(${names(DAY_NAMES)})`,
  A: `(${names(DAY_NAMES)})`,
  b: `(${names(MONTH_NAMES)})`,
  B: `(${names(MONTH_NAMES)})`,
  z: '(Z|[+-]\\d\\d:?\\d\\d(?::?\\d\\d)?)',
};

function compileParse(format: string): CompiledParse {
  let c = parseCache.get(format);
  if (c) return c;
  const f = expandComposites(format);
  let src = '';
  const fields: string[] = [];
  for (let i = 0; i < f.length; i++) {
    const ch = f[i]!;
    if (ch === '%') {
      const t = f[++i] ?? '';
      if (t === '%') src += '%';
      else if (t === 'n' || t === 't') src += '\\s+';
      else if (PARSE_PATTERNS[t]) {
        src += PARSE_PATTERNS[t];
        fields.push(t);
      } else throw new DtlRuntimeError(`datetime-parse: unsupported format token '%${t}' in '${format}'`);
    } else if (/\s/.test(ch)) {
      while (i + 1 < f.length && /\s/.test(f[i + 1]!)) i++;
      src += '\\s+'; // as Python's strptime: a run of whitespace matches any whitespace
    } else src += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  c = { regex: new RegExp(`^${src}$`, 'i'), fields };
  if (parseCache.size >= 256) parseCache.clear(); // formats are normally constants; bound computed ones
  parseCache.set(format, c);
  return c;
}

const monthIndex = (name: string) =>
  MONTH_NAMES.findIndex((m) => m.slice(0, 3).toLowerCase() === name.slice(0, 3).toLowerCase()) + 1;

/** strptime: the UTC instant of `text` read with `format` in `zone`, or undefined when it does not match. */
export function strptime(text: string, format: string, zone = 'UTC'): DateTime | undefined {
  const { regex, fields } = compileParse(format);
  const m = regex.exec(text);
  if (!m) return undefined;
  let year = 1900;
  let month = 1;
  let day = 1;
  let hour = 0;
  let hour12: number | undefined;
  let pm: boolean | undefined;
  let minute = 0;
  let second = 0;
  let nanos = 0n;
  let julian: number | undefined;
  let offsetSeconds: number | undefined;
  let hasMonthOrDay = false;
  fields.forEach((field, k) => {
    const v = m[k + 1]!;
    switch (field) {
      case 'Y':
        year = Number(v);
        break;
      case 'y':
        year = Number(v) + (Number(v) < 69 ? 2000 : 1900);
        break;
      case 'm':
        month = Number(v);
        hasMonthOrDay = true;
        break;
      case 'b':
      case 'B':
        month = monthIndex(v);
        hasMonthOrDay = true;
        break;
      case 'd':
      case 'e':
        day = Number(v.trim());
        hasMonthOrDay = true;
        break;
      case 'H':
        hour = Number(v);
        break;
      case 'I':
        hour12 = Number(v);
        break;
      case 'p':
        pm = v.toLowerCase() === 'pm';
        break;
      case 'M':
        minute = Number(v);
        break;
      case 'S':
        second = Number(v);
        break;
      case 'f':
        nanos = BigInt(v.padEnd(9, '0'));
        break;
      case 'j':
        julian = Number(v);
        break;
      case 'z': {
        if (v.toUpperCase() === 'Z') offsetSeconds = 0;
        else {
          const d = v.replace(/:/g, '');
          const sign = d[0] === '-' ? -1 : 1;
          offsetSeconds =
            sign * (Number(d.slice(1, 3)) * 3600 + Number(d.slice(3, 5)) * 60 + Number(d.slice(5, 7) || 0));
        }
        break;
      }
      // %a/%A are matched but, as in Python, do not affect the date.
    }
  });
  if (hour12 !== undefined) hour = (hour12 % 12) + (pm ? 12 : 0);
  if (second > 59) second = 59; // Python clamps leap seconds 60/61
  if (julian !== undefined && !hasMonthOrDay) {
    if (julian > (isLeapYear(year) ? 366 : 365)) return undefined;
    const start = daysFromCivil(year, 1, 1) + julian - 1;
    const d = new DateTime(BigInt(start) * 86_400n * NS_PER_SECOND).parts();
    month = d.month;
    day = d.day;
  }
  if (month < 1 || month > 12 || day > daysInMonth(year, month) || year < 1) return undefined;
  const wall = DateTime.fromParts(year, month, day, hour, minute, second, nanos);
  if (!wall) return undefined;
  const utc =
    offsetSeconds !== undefined ? wall.ns - BigInt(offsetSeconds) * NS_PER_SECOND : wallToUtcNs(wall.ns, zone);
  return DateTime.fromNanos(utc);
}

// ---------------------------------------------------------------------------------------------------------------
// Casting and calendar arithmetic.

const ISO_LENIENT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** The `datetime` cast of one value: DateTime as is, ISO-8601 strings, integers as ns since the epoch. */
export function toDateTime(v: DtlValue): DateTime | undefined {
  if (v instanceof DateTime) return v;
  if (typeof v === 'number' && Number.isInteger(v)) return DateTime.fromNanos(BigInt(v));
  if (typeof v === 'bigint') return DateTime.fromNanos(v);
  if (typeof v !== 'string') return undefined;
  const text = v.trim();
  const strict = DateTime.parse(text);
  if (strict) return strict;
  const m = ISO_LENIENT.exec(text);
  if (!m || m[4] === undefined) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const wall = DateTime.fromParts(year, month, day, hour, minute, second, BigInt((m[7] ?? '').padEnd(9, '0')));
  if (!wall) return undefined;
  let offset = 0;
  const z = m[8];
  if (z && z.toUpperCase() !== 'Z') {
    const d = z.replace(':', '');
    offset = (d[0] === '-' ? -1 : 1) * (Number(d.slice(1, 3)) * 3600 + Number(d.slice(3, 5) || 0) * 60);
  }
  return DateTime.fromNanos(wall.ns - BigInt(offset) * NS_PER_SECOND);
}

export const DATEPARTS = [
  'year',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'millisecond',
  'microsecond',
  'nanosecond',
] as const;
export type Datepart = (typeof DATEPARTS)[number];

const FIXED_NS: Record<Exclude<Datepart, 'year' | 'month'>, bigint> = {
  week: 7n * 86_400n * NS_PER_SECOND,
  day: 86_400n * NS_PER_SECOND,
  hour: 3_600n * NS_PER_SECOND,
  minute: 60n * NS_PER_SECOND,
  second: NS_PER_SECOND,
  millisecond: 1_000_000n,
  microsecond: 1_000n,
  nanosecond: 1n,
};

function isDatepart(s: unknown): s is Datepart {
  return typeof s === 'string' && (DATEPARTS as readonly string[]).includes(s);
}

/** Add whole calendar months; the day is clamped to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(dt: DateTime, months: bigint): DateTime | undefined {
  const p = dt.parts();
  const total = BigInt(p.year) * 12n + BigInt(p.month - 1) + months;
  const year = Number(floorDiv(total, 12n));
  const month = Number(total - BigInt(year) * 12n) + 1;
  if (year < 1 || year > 9999) return undefined;
  const day = Math.min(p.day, daysInMonth(year, month));
  return DateTime.fromParts(year, month, day, p.hour, p.minute, p.second, p.nanos, dt.dateOnly);
}

/** `dt` plus `amount` units; undefined when the result leaves years 0001-9999. */
export function datetimePlus(dt: DateTime, part: Datepart, amount: bigint): DateTime | undefined {
  if (part === 'year') return addMonths(dt, amount * 12n);
  if (part === 'month') return addMonths(dt, amount);
  const keepsDate = dt.dateOnly && (part === 'day' || part === 'week');
  return DateTime.fromNanos(dt.ns + amount * FIXED_NS[part], keepsDate);
}

/** Whole `part` units of (start - end), truncated toward zero (the sign convention of every documented example). */
export function datetimeDiff(part: Datepart, start: DateTime, end: DateTime): bigint {
  if (part !== 'year' && part !== 'month') return (start.ns - end.ns) / FIXED_NS[part];
  const a = start.parts();
  const b = end.parts();
  let months = BigInt((a.year - b.year) * 12 + (a.month - b.month));
  // Step back while `end` shifted by `months` overshoots `start` (dateutil's relativedelta rule).
  const overshoots = (m: bigint) => {
    const shifted = addMonths(end, m);
    if (!shifted) return false;
    return m > 0n ? shifted.ns > start.ns : m < 0n ? shifted.ns < start.ns : false;
  };
  while (months !== 0n && overshoots(months)) months += months > 0n ? -1n : 1n;
  return part === 'year' ? months / 12n : months;
}

// ---------------------------------------------------------------------------------------------------------------
// Argument helpers.

const PATH_LIKE = /^_[A-Z]?\./;

function constString(raw: unknown): string | undefined {
  return typeof raw === 'string' && !PATH_LIKE.test(raw) ? raw : undefined;
}

function stringValue(fn: string, what: string, v: DtlValue): string {
  const f = firstValue(v);
  if (typeof f !== 'string') throw new DtlRuntimeError(`${fn}: ${what} must be a string`);
  return f;
}

function validateZone(fn: string, raw: unknown): string | undefined {
  const zone = constString(raw);
  return zone !== undefined && !isTimeZone(zone) ? `${fn}: unknown time zone '${zone}'` : undefined;
}

function validateFormat(fn: string, raw: unknown, tokens: Set<string>): string | undefined {
  const format = constString(raw);
  if (format === undefined) return undefined;
  const bad = unsupportedToken(format, tokens);
  return bad ? `${fn}: unsupported format token '${bad}' in '${format}'` : undefined;
}

function validateDatepart(fn: string, raw: unknown): string | undefined {
  if (Array.isArray(raw) || (typeof raw === 'string' && PATH_LIKE.test(raw))) return undefined; // checked when it runs
  return isDatepart(raw)
    ? undefined
    : `${fn}: DATEPART must be one of ${DATEPARTS.join(', ')} (got ${showValue(raw as DtlValue)})`;
}

function datepartValue(fn: string, v: DtlValue): Datepart {
  const f = firstValue(v);
  if (!isDatepart(f)) throw new DtlRuntimeError(`${fn}: DATEPART must be one of ${DATEPARTS.join(', ')}`);
  return f;
}

/** Map-style over datetimes only (other types dropped, null skipped). */
function mapDateTimes(values: DtlValue, fn: (dt: DateTime) => Mapped): DtlValue {
  return mapValues(values, (v) => (v instanceof DateTime ? fn(v) : DROP));
}

function zoneAndFormat(fn: string, args: readonly ArgValue[]): { zone: string; format: string; values: DtlValue } {
  const three = args.length === 3;
  const zone = three ? requireZone(fn, stringValue(fn, 'TIMEZONE_NAME', valueArg(args, 0))) : 'UTC';
  const format = stringValue(fn, 'FORMATSTRING', valueArg(args, three ? 1 : 0));
  return { zone, format, values: valueArg(args, three ? 2 : 1) };
}

const datetimeFunctions: DtlFunction[] = [
  {
    name: 'datetime',
    category: 'date-and-time',
    min: 1,
    max: 2,
    functionArgs: (n) => (n === 2 ? [0] : []),
    call: (args) => {
      const fallback = args.length === 2 ? fnArg(args, 0) : undefined;
      const values = valueArg(args, args.length - 1);
      const cast = (v: DtlValue): Mapped => toDateTime(v) ?? (fallback ? fallback.apply(v) : DROP);
      if (Array.isArray(values)) return mapValues(values, (v) => (v === null ? DROP : cast(v)));
      return mapValues(values, cast);
    },
  },
  {
    name: 'datetime-diff',
    category: 'date-and-time',
    min: 3,
    max: 3,
    validate: (raw) => validateDatepart('datetime-diff', raw[0]),
    call: (args) => {
      const part = datepartValue('datetime-diff', valueArg(args, 0));
      const start = firstValue(valueArg(args, 1));
      const end = firstValue(valueArg(args, 2));
      if (!(start instanceof DateTime) || !(end instanceof DateTime)) return null;
      return normInt(datetimeDiff(part, start, end));
    },
  },
  {
    name: 'datetime-format',
    category: 'date-and-time',
    min: 2,
    max: 3,
    validate: (raw) =>
      (raw.length === 3 ? validateZone('datetime-format', raw[0]) : undefined) ??
      validateFormat('datetime-format', raw[raw.length - 2], FORMAT_TOKENS),
    call: (args) => {
      const { zone, format, values } = zoneAndFormat('datetime-format', args);
      const bad = unsupportedToken(format, FORMAT_TOKENS);
      if (bad) throw new DtlRuntimeError(`datetime-format: unsupported format token '${bad}' in '${format}'`);
      return mapDateTimes(values, (dt) => {
        const { wallNs, offsetSeconds } = utcToWallNs(dt.ns, zone);
        return strftime(wallNs, format, offsetSeconds);
      });
    },
  },
  {
    name: 'datetime-parse',
    category: 'date-and-time',
    min: 2,
    max: 3,
    validate: (raw) =>
      (raw.length === 3 ? validateZone('datetime-parse', raw[0]) : undefined) ??
      validateFormat('datetime-parse', raw[raw.length - 2], PARSE_TOKENS),
    call: (args) => {
      const { zone, format, values } = zoneAndFormat('datetime-parse', args);
      const bad = unsupportedToken(format, PARSE_TOKENS);
      if (bad) throw new DtlRuntimeError(`datetime-parse: unsupported format token '${bad}' in '${format}'`);
      return mapValues(values, (v) => (typeof v === 'string' ? (strptime(v, format, zone) ?? DROP) : DROP));
    },
  },
  {
    name: 'datetime-plus',
    category: 'date-and-time',
    min: 3,
    max: 3,
    validate: (raw) => {
      const bad = validateDatepart('datetime-plus', raw[0]);
      if (bad) return bad;
      const n = raw[1];
      if (
        typeof n === 'boolean' ||
        (typeof n === 'number' && !Number.isInteger(n)) ||
        (typeof n === 'string' && !PATH_LIKE.test(n))
      )
        return `datetime-plus: VALUE must be an integer (got ${showValue(n as DtlValue)})`;
      return undefined;
    },
    call: (args) => {
      const part = datepartValue('datetime-plus', valueArg(args, 0));
      const n = firstValue(valueArg(args, 1));
      if (n === null) return null;
      if (!(typeof n === 'bigint' || (typeof n === 'number' && Number.isInteger(n))))
        throw new DtlRuntimeError('datetime-plus: VALUE must be an integer');
      const amount = BigInt(n);
      return mapDateTimes(valueArg(args, 2), (dt) => datetimePlus(dt, part, amount) ?? DROP);
    },
  },
  {
    name: 'datetime-shift',
    category: 'date-and-time',
    min: 3,
    max: 3,
    validate: (raw) => validateZone('datetime-shift', raw[0]) ?? validateZone('datetime-shift', raw[1]),
    call: (args) => {
      const from = requireZone('datetime-shift', stringValue('datetime-shift', 'FROM_TIMEZONE', valueArg(args, 0)));
      const to = requireZone('datetime-shift', stringValue('datetime-shift', 'TO_TIMEZONE', valueArg(args, 1)));
      // The stored UTC fields are a wall-clock time in FROM; the result is that instant's wall-clock time in TO.
      return mapDateTimes(
        valueArg(args, 2),
        (dt) => DateTime.fromNanos(utcToWallNs(wallToUtcNs(dt.ns, from), to).wallNs) ?? DROP,
      );
    },
  },
  typeTest('is-datetime', 'date-and-time', (v) => v instanceof DateTime),
  {
    name: 'now',
    category: 'date-and-time',
    min: 0,
    max: 0,
    nondeterministic: true,
    call: (_args, ctx) => new DateTime(ctx.now()),
  },
];

defineFunctions(datetimeFunctions);
