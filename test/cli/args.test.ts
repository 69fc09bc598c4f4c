import { describe, expect, it } from 'vitest';
import { ArgError, parseArgs } from '../../src/cli/args.js';

describe('parseArgs (commander over the option table)', () => {
  it('lists the options given once each, in order of first appearance, under their table names', () => {
    const r = parseArgs(['-v', '--color', 'status', '--no-color', '--client_id', 'c', '-y', '-v', '--days', '3']);
    expect(r.given).toEqual(['verbose', 'color', 'no-color', 'client_id', 'yes', 'days']);
    expect(r.options).toMatchObject({ verbose: 2, color: true, noColor: true, yes: true, clientId: 'c' });
    expect(r.options.ignoredGiven).toEqual(['days']);
    expect(r.words).toEqual(['status']);
  });

  it('reads --name=value, typed values and negative numbers, and keeps words after -- as words', () => {
    const r = parseArgs(['run', '--runs=-2', '--upload-rate', '2.5', '-1', '-', '--', '--json', '-h']);
    expect(r.options).toMatchObject({ runs: -2, uploadRate: 2.5, json: false });
    expect(r.words).toEqual(['run', '-1', '-', '--json', '-h']);
    expect(r.given).toEqual(['runs', 'upload-rate']);
  });

  it('puts help first for -h/--help without counting it as an option', () => {
    expect(parseArgs(['status', '-h'])).toMatchObject({ words: ['help', 'status'], given: [] });
    expect(parseArgs(['--help']).words).toEqual(['help']);
  });

  it('fails in one line naming the flag', () => {
    for (const [argv, message] of [
      [['--frobnicate=3'], "unknown option '--frobnicate'"],
      [['-x'], "unknown option '-x'"],
      [['-d'], "option '--connector-dir DIR' argument missing"],
      [['--verbose=2'], "option '--verbose' takes no value"],
      [['--upload-rate', 'fast'], "--upload-rate takes a number, not 'fast'."],
    ] as const) {
      expect(() => parseArgs([...argv]), argv.join(' ')).toThrow(new ArgError(message));
    }
  });
});
