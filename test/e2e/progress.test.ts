// Progress as people and CI see it: drawn and cleared on a real terminal, absent from a pipe.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyProject, hasBuild, REPO, sesam } from './cli.js';
import { hasPython, sesamInPty } from './pty.js';

const EXAMPLE = join(REPO, 'templates', 'example');
const LABELS = /Uploading config|Running pipes until stable|Verifying [░█]/;

if (!hasPython) console.warn('Skipping the terminal progress test: python3 with the pty module is not installed.');

describe.skipIf(!hasBuild)('progress of the built CLI', () => {
  it('reaches neither stdout nor stderr when they are pipes', async () => {
    const r = await sesam(['test', '--node', 'local'], { cwd: copyProject(EXAMPLE) });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(LABELS);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/[\r\x1b]/);
  }, 120_000);

  it.skipIf(!hasPython)(
    'is drawn on a terminal and cleared before the results',
    async () => {
      const run = sesamInPty(['test', '--node', 'local'], { cwd: copyProject(EXAMPLE) });
      expect(await run.exit).toBe(0);
      const screen = run.output();
      for (const label of ['Uploading config', 'Running pipes until stable', 'Verifying ░'])
        expect(screen).toContain(label);
      // The last progress line is erased (cursor to column 1, clear line) before the report is printed.
      const report = screen.indexOf('PASS country-xml');
      expect(report).toBeGreaterThan(0);
      const beforeReport = screen.slice(0, report);
      const lastDraw = beforeReport.search(/Verifying [░█][^\n]*$/);
      expect(lastDraw).toBeGreaterThan(0);
      expect(beforeReport.slice(lastDraw)).toMatch(/\x1b\[1G\x1b\[2K$/);
      expect(screen.slice(report)).not.toMatch(LABELS);
      expect(screen).toContain('\x1b[?25h'); // the cursor is shown again
    },
    120_000,
  );

  it.skipIf(!hasPython)(
    'is not drawn on a terminal with --no-progress',
    async () => {
      const run = sesamInPty(['test', '--node', 'local', '--no-progress'], { cwd: copyProject(EXAMPLE) });
      expect(await run.exit).toBe(0);
      expect(run.output()).not.toMatch(LABELS);
      expect(run.output()).not.toMatch(/\x1b/);
    },
    120_000,
  );
});
