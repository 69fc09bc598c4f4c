import { describe, expect, it } from 'vitest';
import { DtlRuntimeError } from '../../../src/dtl/errors.js';
import {
  addMonths,
  datetimeDiff,
  datetimePlus,
  isTimeZone,
  strftime,
  strptime,
  toDateTime,
  utcToWallNs,
  wallToUtcNs,
  zoneOffsetMs,
} from '../../../src/dtl/functions/datetime.js';
import { FunctionArg, lookupFunction, type ArgValue, type CallContext } from '../../../src/dtl/functions/registry.js';
import { DateTime, decodeTransit, encodeTransit, type DtlValue } from '../../../src/dtl/values.js';
import type { JsonValue } from '../../../src/format/json.js';

const ctx: CallContext = {
  now: () => 1_438_076_760_123_456_789n,
  pipeId: 'p',
  namespacedIdentifiers: false,
  identityNamespace: 'p',
  propertyNamespace: 'p',
};

/** Call a registered function with transit-encoded arguments; the result comes back transit-encoded. */
function call(name: string, ...args: (JsonValue | FunctionArg)[]): JsonValue {
  const fn = lookupFunction(name);
  if (!fn) throw new Error(`${name} is not registered`);
  const values: ArgValue[] = args.map((a) => (a instanceof FunctionArg ? a : decodeTransit(a)));
  return encodeTransit(fn.call(values, ctx));
}

const dt = (text: string) => DateTime.parse(text)!;
const t = (text: string) => dt(text).ns;

describe('time zones', () => {
  it('knows IANA names and rejects others', () => {
    expect(isTimeZone('Europe/Oslo')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('gives summer and winter offsets', () => {
    expect(zoneOffsetMs(Number(t('2018-08-18T12:00:00Z') / 1_000_000n), 'Europe/Oslo')).toBe(2 * 3600_000);
    expect(zoneOffsetMs(Number(t('2018-01-18T12:00:00Z') / 1_000_000n), 'Europe/Oslo')).toBe(3600_000);
    expect(zoneOffsetMs(Number(t('2018-01-18T12:00:00Z') / 1_000_000n), 'America/New_York')).toBe(-5 * 3600_000);
  });

  it('resolves a skipped wall time (spring forward) with the standard offset, as pytz is_dst=False', () => {
    // Europe/Oslo jumps 02:00 -> 03:00 on 2018-03-25; 02:30 does not exist.
    expect(new DateTime(wallToUtcNs(t('2018-03-25T02:30:00Z'), 'Europe/Oslo')).toString()).toBe('2018-03-25T01:30:00Z');
    expect(new DateTime(wallToUtcNs(t('2018-03-25T01:59:59Z'), 'Europe/Oslo')).toString()).toBe('2018-03-25T00:59:59Z');
    expect(new DateTime(wallToUtcNs(t('2018-03-25T03:00:00Z'), 'Europe/Oslo')).toString()).toBe('2018-03-25T01:00:00Z');
  });

  it('resolves a repeated wall time (fall back) with the standard offset', () => {
    // 02:30 happens twice on 2018-10-28 (CEST then CET); standard time is CET (+01).
    expect(new DateTime(wallToUtcNs(t('2018-10-28T02:30:00Z'), 'Europe/Oslo')).toString()).toBe('2018-10-28T01:30:00Z');
    expect(new DateTime(wallToUtcNs(t('2018-10-28T01:30:00Z'), 'Europe/Oslo')).toString()).toBe('2018-10-27T23:30:00Z');
  });

  it('round-trips UTC -> wall -> UTC outside transitions, keeping nanoseconds', () => {
    for (const zone of ['Europe/Oslo', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney']) {
      const utc = t('2021-06-01T10:11:12.123456789Z');
      const { wallNs } = utcToWallNs(utc, zone);
      expect(wallToUtcNs(wallNs, zone)).toBe(utc);
    }
  });

  it('handles the southern hemisphere (Sydney: DST in January)', () => {
    expect(utcToWallNs(t('2020-01-15T00:00:00Z'), 'Australia/Sydney').offsetSeconds).toBe(11 * 3600);
    expect(utcToWallNs(t('2020-07-15T00:00:00Z'), 'Australia/Sydney').offsetSeconds).toBe(10 * 3600);
  });
});

describe('strftime', () => {
  const ns = t('2015-07-28T09:46:00.123456789Z');
  it('formats the documented tokens', () => {
    expect(strftime(ns, '%Y-%m-%dT%H:%M:%S.%fZ')).toBe('2015-07-28T09:46:00.123456Z');
    expect(strftime(ns, '%y %e %I %p %j %a %A %b %B %%')).toBe('15 28 09 AM 209 Tue Tuesday Jul July %');
    expect(strftime(t('2015-07-05T21:00:00Z'), '%e|%I%p|%w|%u')).toBe(' 5|09PM|0|7');
    expect(strftime(ns, '%z', 7200)).toBe('+0200');
    expect(strftime(ns, '%z', -(5 * 3600 + 30 * 60))).toBe('-0530');
    expect(strftime(ns, '%F %T')).toBe('2015-07-28 09:46:00');
  });

  it('truncates nanoseconds to microseconds in %f', () => {
    expect(strftime(t('2015-07-28T09:46:00.000000999Z'), '%f')).toBe('000000');
    expect(strftime(t('2015-07-28T09:46:00.5Z'), '%f')).toBe('500000');
  });

  it('pads years below 1000 and handles midnight/noon in 12-hour format', () => {
    expect(strftime(t('0099-01-01T00:00:00Z'), '%Y %y %I%p')).toBe('0099 99 12AM');
    expect(strftime(t('2000-01-01T12:00:00Z'), '%I%p')).toBe('12PM');
  });

  it('computes week numbers like Python (%U Sunday-based, %W Monday-based)', () => {
    // 2015-01-01 is a Thursday.
    expect(strftime(t('2015-01-01T00:00:00Z'), '%U %W')).toBe('00 00');
    expect(strftime(t('2015-01-05T00:00:00Z'), '%U %W')).toBe('01 01'); // Monday
    expect(strftime(t('2015-01-04T00:00:00Z'), '%U %W')).toBe('01 00'); // Sunday
  });

  it('rejects an unsupported token loudly', () => {
    expect(() => strftime(ns, '%Q')).toThrow(DtlRuntimeError);
  });
});

describe('strptime', () => {
  it('parses fractions up to nanoseconds', () => {
    expect(strptime('2015-07-28T09:46:00.12345Z', '%Y-%m-%dT%H:%M:%S.%fZ')?.toString()).toBe(
      '2015-07-28T09:46:00.12345Z',
    );
    expect(strptime('2015-07-28T09:46:00.123456789', '%Y-%m-%dT%H:%M:%S.%f')?.toString()).toBe(
      '2015-07-28T09:46:00.123456789Z',
    );
  });

  it('applies %z offsets in every documented form', () => {
    for (const z of ['+0200', '+02:00'])
      expect(strptime(`2015-07-28T09:46:00${z}`, '%Y-%m-%dT%H:%M:%S%z')?.toString()).toBe('2015-07-28T07:46:00Z');
    expect(strptime('2015-07-28T09:46:00-0130', '%Y-%m-%dT%H:%M:%S%z')?.toString()).toBe('2015-07-28T11:16:00Z');
    // %z wins over the zone argument.
    expect(strptime('2015-07-28T09:46:00+0000', '%Y-%m-%dT%H:%M:%S%z', 'Europe/Oslo')?.toString()).toBe(
      '2015-07-28T09:46:00Z',
    );
  });

  it('pivots %y at 69 like POSIX', () => {
    expect(strptime('68', '%y')?.toString()).toBe('2068-01-01T00:00:00Z');
    expect(strptime('69', '%y')?.toString()).toBe('1969-01-01T00:00:00Z');
  });

  it('reads 12-hour clocks, month names and day-of-year', () => {
    expect(strptime('12:05 AM', '%I:%M %p')?.toString()).toBe('1900-01-01T00:05:00Z');
    expect(strptime('01:05 pm', '%I:%M %p')?.toString()).toBe('1900-01-01T13:05:00Z');
    expect(strptime('28 July 2015', '%d %B %Y')?.toString()).toBe('2015-07-28T00:00:00Z');
    expect(strptime('Tue, 28 jul 2015', '%a, %d %b %Y')?.toString()).toBe('2015-07-28T00:00:00Z');
    expect(strptime('2016 060', '%Y %j')?.toString()).toBe('2016-02-29T00:00:00Z');
  });

  it('reads in a time zone across DST', () => {
    expect(strptime('2018-08-18T12:39:01', '%Y-%m-%dT%H:%M:%S', 'Europe/Oslo')?.toString()).toBe(
      '2018-08-18T10:39:01Z',
    );
    expect(strptime('2018-01-18T12:39:01', '%Y-%m-%dT%H:%M:%S', 'Europe/Oslo')?.toString()).toBe(
      '2018-01-18T11:39:01Z',
    );
  });

  it('rejects partial matches and impossible dates', () => {
    expect(strptime('2015-07-28 extra', '%Y-%m-%d')).toBeUndefined();
    expect(strptime('2015-02-29', '%Y-%m-%d')).toBeUndefined();
    expect(strptime('2016-02-29', '%Y-%m-%d')?.toString()).toBe('2016-02-29T00:00:00Z');
    expect(strptime('2015-13-01', '%Y-%m-%d')).toBeUndefined();
  });

  it('round-trips with strftime at microsecond precision', () => {
    const fmt = '%Y-%m-%d %H:%M:%S.%f';
    for (const s of [
      '0001-01-01T00:00:00Z',
      '1969-12-31T23:59:59.999999Z',
      '2024-02-29T12:34:56.000001Z',
      '9999-12-31T23:59:59.999999Z',
    ]) {
      const ns = t(s);
      expect(strptime(strftime(ns, fmt), fmt)?.ns).toBe(ns);
    }
  });
});

describe('datetime cast', () => {
  it('casts ISO strings, nanosecond integers and keeps date-only values', () => {
    expect(toDateTime('2015-07-28T09:46:00.12345Z')?.toString()).toBe('2015-07-28T09:46:00.12345Z');
    expect(toDateTime(1438076760123450000n)?.toString()).toBe('2015-07-28T09:46:00.12345Z');
    expect(toDateTime(-1)?.toString()).toBe('1969-12-31T23:59:59.999999999Z');
    expect(toDateTime(2n ** 70n)).toBeUndefined();
    expect(toDateTime('2015-12-31')?.dateOnly).toBe(true);
    expect(toDateTime('2015-07-28T11:46:00+02:00')?.toString()).toBe('2015-07-28T09:46:00Z');
    expect(toDateTime('hello')).toBeUndefined();
    expect(toDateTime(true)).toBeUndefined();
  });

  it('maps over lists, drops failures and uses the default function', () => {
    expect(call('datetime', ['2015-07-28T09:46:00Z', 'hello', null, 0])).toEqual([
      '~t2015-07-28T09:46:00Z',
      '~t1970-01-01T00:00:00Z',
    ]);
    const fallback = new FunctionArg((v: DtlValue) => (typeof v === 'string' ? v.toUpperCase() : v));
    expect(call('datetime', fallback, ['hello', '2015-07-28T09:46:00Z'])).toEqual(['HELLO', '~t2015-07-28T09:46:00Z']);
    expect(call('datetime', null)).toBeNull();
    expect(call('datetime', 'nope')).toBeNull();
  });
});

describe('datetime-plus', () => {
  it('clamps to the end of the month', () => {
    expect(addMonths(dt('2015-01-31T10:00:00Z'), 1n)?.toString()).toBe('2015-02-28T10:00:00Z');
    expect(addMonths(dt('2016-01-31T10:00:00Z'), 1n)?.toString()).toBe('2016-02-29T10:00:00Z');
    expect(addMonths(dt('2016-03-31T00:00:00Z'), -1n)?.toString()).toBe('2016-02-29T00:00:00Z');
    expect(datetimePlus(dt('2016-02-29T00:00:00Z'), 'year', 1n)?.toString()).toBe('2017-02-28T00:00:00Z');
    expect(datetimePlus(dt('2016-02-29T00:00:00Z'), 'year', 4n)?.toString()).toBe('2020-02-29T00:00:00Z');
    expect(datetimePlus(dt('2015-12-15T00:00:00Z'), 'month', 14n)?.toString()).toBe('2017-02-15T00:00:00Z');
    expect(datetimePlus(dt('2015-01-15T00:00:00Z'), 'month', -13n)?.toString()).toBe('2013-12-15T00:00:00Z');
  });

  it('adds every fixed unit down to nanoseconds', () => {
    const base = dt('2015-07-28T00:00:00Z');
    expect(datetimePlus(base, 'week', 1n)?.toString()).toBe('2015-08-04T00:00:00Z');
    expect(datetimePlus(base, 'minute', -1n)?.toString()).toBe('2015-07-27T23:59:00Z');
    expect(datetimePlus(base, 'millisecond', 1n)?.toString()).toBe('2015-07-28T00:00:00.001Z');
    expect(datetimePlus(base, 'microsecond', 1n)?.toString()).toBe('2015-07-28T00:00:00.000001Z');
    expect(datetimePlus(base, 'nanosecond', 1n)?.toString()).toBe('2015-07-28T00:00:00.000000001Z');
  });

  it('keeps date-only values for day steps and drops results outside 0001-9999', () => {
    expect(encodeTransit(datetimePlus(dt('2015-12-31'), 'day', 1n)!)).toBe('~t2016-01-01');
    expect(datetimePlus(dt('9999-12-31T00:00:00Z'), 'day', 1n)).toBeUndefined();
    expect(call('datetime-plus', 'day', 1, ['~t9999-12-31T00:00:00Z', '~t2015-01-01T00:00:00Z', 'x'])).toEqual([
      '~t2015-01-02T00:00:00Z',
    ]);
  });

  it('fails loudly on a bad datepart', () => {
    expect(() => call('datetime-plus', 'fortnight', 1, '~t2015-01-01T00:00:00Z')).toThrow(/DATEPART/);
    expect(lookupFunction('datetime-plus')!.validate!(['fortnight', 1, '_S.x'])).toMatch(/DATEPART/);
    expect(lookupFunction('datetime-plus')!.validate!(['day', 1.5, '_S.x'])).toMatch(/integer/);
    expect(lookupFunction('datetime-plus')!.validate!(['day', 1, '_S.x'])).toBeUndefined();
  });
});

describe('datetime-diff', () => {
  it('is start minus end, truncated toward zero', () => {
    expect(datetimeDiff('day', dt('2015-07-28T00:00:00Z'), dt('2015-07-29T00:00:00Z'))).toBe(-1n);
    expect(datetimeDiff('day', dt('2015-07-29T23:00:00Z'), dt('2015-07-28T00:00:00Z'))).toBe(1n);
    expect(datetimeDiff('week', dt('2015-07-09T00:00:00Z'), dt('2015-07-01T00:00:00Z'))).toBe(1n);
    expect(datetimeDiff('week', dt('2015-07-01T00:00:00Z'), dt('2015-07-09T00:00:00Z'))).toBe(-1n);
    expect(datetimeDiff('nanosecond', dt('2015-07-28T00:00:00.000000001Z'), dt('2015-07-28T00:00:00Z'))).toBe(1n);
  });

  it('counts calendar months and years', () => {
    expect(datetimeDiff('month', dt('2015-03-02T00:00:00Z'), dt('2016-07-29T00:00:00Z'))).toBe(-16n);
    expect(datetimeDiff('year', dt('2015-03-02T00:00:00Z'), dt('2016-07-29T00:00:00Z'))).toBe(-1n);
    expect(datetimeDiff('year', dt('2016-02-01T00:00:00Z'), dt('2015-03-01T00:00:00Z'))).toBe(0n); // 11 months
    expect(datetimeDiff('month', dt('2015-02-28T00:00:00Z'), dt('2015-01-31T00:00:00Z'))).toBe(1n);
    expect(datetimeDiff('month', dt('2015-03-30T00:00:00Z'), dt('2015-02-28T12:00:00Z'))).toBe(1n);
    expect(datetimeDiff('month', dt('2015-03-28T11:00:00Z'), dt('2015-02-28T12:00:00Z'))).toBe(0n);
  });

  it('returns big integers exactly and null for non-datetimes', () => {
    expect(call('datetime-diff', 'nanosecond', '~t9999-01-01T00:00:00Z', '~t0001-01-01T00:00:00Z')).toBe(
      315506361600000000000n,
    );
    expect(call('datetime-diff', 'day', 'x', '~t0001-01-01T00:00:00Z')).toBeNull();
  });
});

describe('datetime-format / datetime-parse / datetime-shift / is-datetime / now', () => {
  it('formats in a zone and drops non-datetimes', () => {
    expect(
      call('datetime-format', 'Europe/Oslo', '%Y-%m-%d %H:%M:%S %z', [
        '~t2018-08-18T12:39:01Z',
        'x',
        '~t2018-01-18T12:39:01Z',
      ]),
    ).toEqual(['2018-08-18 14:39:01 +0200', '2018-01-18 13:39:01 +0100']);
    expect(call('datetime-format', '%Y', 123)).toBeNull();
  });

  it('rejects unknown zones and tokens at compile time and at run time', () => {
    expect(lookupFunction('datetime-format')!.validate!(['Mars/Base', '%Y', '_S.x'])).toMatch(
      /unknown time zone 'Mars\/Base'/,
    );
    expect(lookupFunction('datetime-parse')!.validate!(['%Y %Q', '_S.x'])).toMatch(/'%Q'/);
    expect(lookupFunction('datetime-parse')!.validate!(['_S.fmt', '_S.x'])).toBeUndefined();
    expect(() => call('datetime-format', 'Mars/Base', '%Y', '~t2018-08-18T12:39:01Z')).toThrow(/Mars\/Base/);
    expect(() => call('datetime-shift', 'UTC', 'Nowhere/Land', '~t2018-08-18T12:39:01Z')).toThrow(/Nowhere\/Land/);
  });

  it('shifts wall-clock time between zones in both directions', () => {
    expect(call('datetime-shift', 'Europe/Oslo', 'UTC', '~t2015-07-28T09:46:00Z')).toBe('~t2015-07-28T07:46:00Z');
    expect(call('datetime-shift', 'UTC', 'Europe/Oslo', '~t2015-07-28T09:46:00.5Z')).toBe('~t2015-07-28T11:46:00.5Z');
    expect(call('datetime-shift', 'America/New_York', 'Europe/Oslo', '~t2015-01-10T12:00:00Z')).toBe(
      '~t2015-01-10T18:00:00Z',
    );
  });

  it('tests the first value only and reads the context clock', () => {
    expect(call('is-datetime', ['~t2015-07-28T09:46:00Z', 1])).toBe(true);
    expect(call('is-datetime', [1, '~t2015-07-28T09:46:00Z'])).toBe(false);
    expect(call('now')).toBe('~t2015-07-28T09:46:00.123456789Z');
  });
});
