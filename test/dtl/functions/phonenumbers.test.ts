import { describe, expect, it } from 'vitest';
import { lookupFunction, type CallContext } from '../../../src/dtl/functions/registry.js';
import '../../../src/dtl/functions/phonenumbers.js';
import { decodeTransit, encodeTransit } from '../../../src/dtl/values.js';
import type { JsonValue } from '../../../src/format/json.js';

const ctx: CallContext = {
  now: () => 0n,
  pipeId: 'p',
  namespacedIdentifiers: false,
  identityNamespace: 'p',
  propertyNamespace: 'p',
};
function call(name: string, ...args: JsonValue[]): JsonValue {
  return encodeTransit(lookupFunction(name)!.call(args.map(decodeTransit), ctx));
}

describe('phonenumber-parse', () => {
  it('gives RFC 3966 tel: URIs', () => {
    expect(call('phonenumber-parse', '+4722222222')).toBe('~rtel:+47-22-22-22-22');
    expect(call('phonenumber-parse', 'NO', '22 22 55 55')).toBe('~rtel:+47-22-22-55-55');
    expect(call('phonenumber-parse', 'US', '(650) 253-0000')).toBe('~rtel:+1-650-253-0000');
    expect(call('phonenumber-parse', 'gb', '020 7946 0018')).toBe('~rtel:+44-20-7946-0018');
    expect(call('phonenumber-parse', '+1 650 253 0000 ext. 12')).toBe('~rtel:+1-650-253-0000;ext=12');
  });

  it('accepts integers, drops what does not parse and passes null', () => {
    expect(call('phonenumber-parse', 'NO', ['22222222', 22225555, 'not a number', true, null])).toEqual([
      '~rtel:+47-22-22-22-22',
      '~rtel:+47-22-22-55-55',
    ]);
    expect(call('phonenumber-parse', '22222222')).toBeNull(); // no country code and no region
    expect(call('phonenumber-parse', null)).toBeNull();
  });

  it('rejects an unknown region', () => {
    expect(lookupFunction('phonenumber-parse')!.validate!(['XX', '_S.phone'])).toMatch(/unknown DEFAULT_REGION 'XX'/);
    expect(lookupFunction('phonenumber-parse')!.validate!(['NO', '_S.phone'])).toBeUndefined();
    expect(() => call('phonenumber-parse', 'XX', '22222222')).toThrow(/DEFAULT_REGION/);
  });
});

describe('phonenumber-format', () => {
  const no = '~rtel:+47-22-22-22-22';
  it('formats every documented kind', () => {
    expect(call('phonenumber-format', 'e164', no)).toBe('4722222222');
    expect(call('phonenumber-format', 'national-e164', no)).toBe('22222222');
    expect(call('phonenumber-format', 'national', no)).toBe('22 22 22 22');
    expect(call('phonenumber-format', 'international', no)).toBe('+47 22 22 22 22');
    expect(call('phonenumber-format', 'rfc3966', no)).toBe('tel:+47-22-22-22-22');
    expect(call('phonenumber-format', 'isocode', no)).toBe('NO');
    expect(call('phonenumber-format', 'country-code', no)).toBe('47');
    expect(call('phonenumber-format', 'national', '~rtel:+1-650-253-0000')).toBe('(650) 253-0000');
  });

  it('round-trips parse -> format(rfc3966)', () => {
    for (const [region, text] of [
      ['NO', '22225555'],
      ['US', '650-253-0000'],
      ['SE', '08-123 456 78'],
      ['DE', '030 123456'],
    ]) {
      const uri = call('phonenumber-parse', region!, text!);
      expect(typeof uri === 'string' && uri.startsWith('~rtel:+')).toBe(true);
      expect(`~r${call('phonenumber-format', 'rfc3966', uri)}`).toBe(uri);
    }
  });

  it('only takes tel: URI values and rejects unknown formats', () => {
    expect(call('phonenumber-format', 'e164', ['+4722222222', '~rhttp://x/', '~rtel:+47-22-22-55-55'])).toEqual([
      '4722225555',
    ]);
    expect(lookupFunction('phonenumber-format')!.validate!(['E.164', '_S.x'])).toMatch(/FORMAT_STRING/);
    expect(() => call('phonenumber-format', 'nope', no)).toThrow(/FORMAT_STRING/);
  });
});
