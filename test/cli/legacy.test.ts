import { describe, expect, it } from 'vitest';
import { rewriteLegacyArgs } from '../../src/cli/legacy.js';
import { parseArgs } from '../../src/cli/main.js';

describe('legacy flags', () => {
  it("rewrites sesam-py's CI invocation", () => {
    expect(rewriteLegacyArgs(['-node', 'URL', '-jwt', 'T', '-vv', '-whitelist-file', 'w.txt', 'test'])).toEqual([
      '--node',
      'URL',
      '--jwt',
      'T',
      '--verbose',
      '--verbose',
      '--whitelist-file',
      'w.txt',
      'test',
    ]);
  });
  it('expands unique prefixes as argparse does, and keeps values that start with a dash', () => {
    expect(rewriteLegacyArgs(['-print-sched', '-pytest-args', '-x -q'])).toEqual([
      '--print-scheduler-log',
      '--pytest-args',
      '-x -q',
    ]);
  });
  it('parses flags before and after the command', () => {
    const { options, words } = parseArgs(['-vvv', 'verify', '-single', 'p1', '--json', '-scheduler-zero-runs', '3']);
    expect(words).toEqual(['verify']);
    expect(options.verbose).toBe(3);
    expect(options.single).toBe('p1');
    expect(options.json).toBe(true);
    expect(options.schedulerZeroRuns).toBe(3);
    expect(options.profile).toBe('test');
  });
  it('records ignored compatibility flags', () => {
    expect(parseArgs(['-use-internal-scheduler', 'run']).options.ignoredGiven).toEqual(['use-internal-scheduler']);
  });
  it('rejects unknown and malformed flags with one line', () => {
    expect(() => parseArgs(['-nosuchflag'])).toThrow("unknown option '-nosuchflag'");
    expect(() => parseArgs(['-runs', 'x'])).toThrow('--runs takes a whole number');
  });
});

describe('negated flags', () => {
  it('reads --no-snapshot, -no-large-int-bugs and --no-color/--color', () => {
    expect(parseArgs(['download', '--no-snapshot']).options.noSnapshot).toBe(true);
    expect(parseArgs(['download']).options.noSnapshot).toBe(false);
    expect(parseArgs(['verify', '-no-large-int-bugs']).options.noLargeIntBugs).toBe(true);
    expect(parseArgs(['status', '--no-color']).options).toMatchObject({ noColor: true, color: false });
    expect(parseArgs(['status', '--color']).options).toMatchObject({ noColor: false, color: true });
    expect(parseArgs(['status']).options).toMatchObject({ noColor: false, color: false });
  });
});
