// The value model: decimals, datetimes, transit codec (round trip), ordering (total, consistent, antisymmetric).
import { describe, expect, it } from 'vitest';
import { JsonFloat, stringifyJson } from '../../src/format/json.js';
import {
  compareValues,
  DateTime,
  Decimal,
  decodeTransit,
  encodeTransit,
  isTruthy,
  Ni,
  valuesEqual,
  type DtlValue,
} from '../../src/dtl/values.js';
import { randomValue, rng } from './random.js';

describe('Decimal', () => {
  it('parses, prints and keeps trailing zeros', () => {
    expect(Decimal.parse('1.50')!.toString()).toBe('1.50');
    expect(Decimal.parse('-0.001')!.toString()).toBe('-0.001');
    expect(Decimal.parse('1e3')!.toString()).toBe('1000');
    expect(Decimal.parse('abc')).toBeUndefined();
    expect(Decimal.fromFloat(0.1)!.toString()).toBe('0.1');
  });

  it('does exact arithmetic', () => {
    const d = (s: string) => Decimal.parse(s)!;
    expect(d('0.1').add(d('0.2')).toString()).toBe('0.3');
    expect(d('1.5').mul(d('2')).toString()).toBe('3.0');
    expect(d('1').div(d('4'))!.toString()).toBe('0.25');
    expect(d('10').div(d('2'))!.toString()).toBe('5');
    expect(d('2').div(d('3'))!.toString()).toBe('0.6666666666666666666666666667');
    expect(d('1').div(d('0'))).toBeUndefined();
    expect(d('2.5').roundHalfEven(0).toString()).toBe('2');
    expect(d('3.5').roundHalfEven(0).toString()).toBe('4');
    expect(d('-2.5').floor()).toBe(-3n);
    expect(d('-2.5').ceil()).toBe(-2n);
  });
});

describe('DateTime', () => {
  it('parses and prints transit text with nanoseconds', () => {
    expect(DateTime.parse('2015-07-28T09:46:00.12345Z')!.toString()).toBe('2015-07-28T09:46:00.12345Z');
    expect(DateTime.parse('2015-07-28T09:46:00.123456789Z')!.ns).toBe(1438076760123456789n);
    expect(DateTime.parse('2015-12-31')!.toString()).toBe('2015-12-31');
    expect(DateTime.parse('1969-12-31T23:59:59.5Z')!.ns).toBe(-500_000_000n);
    expect(DateTime.parse('0001-01-01T00:00:00Z')!.toString()).toBe('0001-01-01T00:00:00Z');
    expect(DateTime.parse('2015-02-29T00:00:00Z')).toBeUndefined();
    expect(DateTime.parse('2015-07-28T09:46:00')).toBeUndefined();
  });
});

describe('transit codec', () => {
  it('decodes tags recursively in values, not keys', () => {
    const v = decodeTransit({
      '~:k': [
        '~t2015-12-31',
        '~:foo:bar',
        '~f1.5',
        '~u9F598F65-EEA5-4906-A8F5-82F6D8E69726',
        '~bYWJj',
        '~rhttp://x/',
        '~x',
        'plain',
      ],
    });
    expect(stringifyJson(encodeTransit(v))).toBe(
      '{"~:k": ["~t2015-12-31", "~:foo:bar", "~f1.5", "~u9f598f65-eea5-4906-a8f5-82f6d8e69726", "~bYWJj", "~rhttp://x/", "~x", "plain"]}',
    );
    const list = (v as Record<string, DtlValue[]>)['~:k']!;
    expect(list[1]).toBeInstanceOf(Ni);
    expect((list[1] as Ni).namespace).toBe('foo');
    expect(list[6]).toBe('~x');
  });

  it('round-trips random values (encode → decode → encode is stable)', () => {
    const r = rng(7);
    for (let i = 0; i < 2000; i++) {
      const v = randomValue(r);
      const once = encodeTransit(v);
      const twice = encodeTransit(decodeTransit(once));
      expect(stringifyJson(twice)).toBe(stringifyJson(once));
    }
  });
});

describe('mixed-type ordering', () => {
  it('follows the documented rank order', () => {
    const ranked: DtlValue[] = [
      null,
      false,
      true,
      -1,
      new JsonFloat(0.5),
      2n ** 70n,
      DateTime.parse('2015-12-31')!,
      Decimal.parse('1')!,
    ];
    expect(compareValues(ranked[0]!, ranked[1]!)).toBe(-1);
    expect(compareValues(1, new JsonFloat(1))).toBe(0);
    expect(compareValues(Decimal.parse('1.0')!, 1)).toBe(0);
    expect(compareValues(2n ** 70n, new JsonFloat(1e300))).toBe(-1);
    expect(compareValues(new JsonFloat(0.1), Decimal.parse('0.1')!)).toBe(1); // the double 0.1 is slightly above 1/10
    expect(compareValues('A', 'a')).toBe(-1);
    expect(compareValues({ x: 1 }, { x: 'abc' })).toBe(-1);
    expect(compareValues({ x: 1 }, [1])).toBe(-1);
  });

  it('is total, antisymmetric, transitive and consistent with equality on random values', () => {
    const r = rng(42);
    const values = Array.from({ length: 150 }, () => randomValue(r));
    for (const a of values) {
      expect(compareValues(a, a)).toBe(0);
      for (const b of values) {
        const ab = compareValues(a, b);
        expect([-1, 0, 1]).toContain(ab);
        expect(compareValues(b, a)).toBe(-ab || 0);
        expect(valuesEqual(a, b)).toBe(ab === 0);
      }
    }
    const sorted = [...values].sort(compareValues);
    for (let i = 0; i + 1 < sorted.length; i++) {
      for (let j = i + 1; j < Math.min(sorted.length, i + 10); j++)
        expect(compareValues(sorted[i]!, sorted[j]!)).toBeLessThanOrEqual(0);
    }
  });

  it('truthiness: false, null and [] are false', () => {
    expect([false, null, []].map(isTruthy)).toEqual([false, false, false]);
    expect([0, '', {}, [null], new JsonFloat(0)].map(isTruthy)).toEqual([true, true, true, true, true]);
  });
});
