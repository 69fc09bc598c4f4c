import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { runMain } from '../helpers/run-main.js';

describe('main', () => {
  it('prints the version for -version and --version', async () => {
    for (const flag of ['-version', '--version']) {
      const r = await runMain([flag]);
      expect(r).toMatchObject({ code: 0, stdout: `sesam version ${VERSION}\n` });
    }
  });

  it('keeps VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it('prints help on stdout for --help, with sesam-py spellings', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sesam [options] <command> [args]');
    expect(r.stdout).toContain('-whitelist-file');
    expect(r.stdout).toContain('bisect');
  });

  it('prints the options of one command for `help <command>` and `<command> --help`', async () => {
    const r = await runMain(['test', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sesam test [options]');
    expect(r.stdout).toContain('--runs N');
    expect(r.stdout).toContain('(also -scheduler-zero-runs)');
    expect(r.stdout).toContain('Global options:');
    expect(r.stdout).not.toContain('--good REV');
  });

  it('has help for every command', async () => {
    const { COMMANDS } = await import('../../src/cli/registry.js');
    for (const c of COMMANDS) {
      const r = await runMain(['help', c.name]);
      expect(r.code, c.name).toBe(0);
      expect(r.stdout, c.name).toContain(c.summary);
    }
  });

  it('exits 2 with help on stderr when no command is given', async () => {
    const r = await runMain([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('No command given.');
  });

  it('names an unknown command in one line and exits 2', async () => {
    const r = await runMain(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Unknown command: 'frobnicate'.");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unknown flag and exits 2', async () => {
    const r = await runMain(['status', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')[0]).toBe("sesam: unknown option '--frobnicate'");
  });

  it("takes sesam-py's help spelling connector_init for connector-init", async () => {
    const r = await runMain(['connector_init', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: sesam connector-init');
  });

  it('prints one JSON error document with --json', async () => {
    const r = await runMain(['frobnicate', '--json']);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as {
      schemaVersion: number;
      ok: boolean;
      error: { kind: string; exitCode: number };
    };
    expect(doc).toMatchObject({ schemaVersion: 1, ok: false, error: { kind: 'usage', exitCode: 2 } });
  });

  it('treats the command word case-insensitively, like sesam-py', async () => {
    const r = await runMain(['HELP']);
    expect(r.code).toBe(0);
  });
});
