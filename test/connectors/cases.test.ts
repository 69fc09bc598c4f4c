// Hand-made connectors (cases/*/input) against what sesam-py's own connectorpy wrote for them (cases/*/sesam-py):
// template quirks, variants and collapse, compared as whole folders.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collapseConnector } from '../../src/connectors/collapse.js';
import { captureLogger } from '../helpers/logger.js';
import { runMain } from '../helpers/run-main.js';
import { readTree, tempDir } from '../helpers/tmp.js';
import { copyWritable } from './helpers.js';

const CASES = join(import.meta.dirname, 'cases');
const cases = readdirSync(CASES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

function copyInput(name: string): string {
  return copyWritable(join(CASES, name, 'input'), join(tempDir('sesam-case-'), name));
}

const sesamPy = (name: string, run: string) => join(CASES, name, 'sesam-py', run);
const logLines = (text: string) => text.split('\n').filter((l) => l !== '');

describe.each(cases)('connector case %s', (name) => {
  it('expand: the folder afterwards is byte-identical to sesam-py', async () => {
    const dir = copyInput(name);
    const r = await runMain(['expand'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readTree(dir)).toEqual(readTree(sesamPy(name, 'expand')));
    const warnings = logLines(r.stderr).filter((l) => !l.startsWith('Expanded '));
    expect(warnings).toEqual(logLines(readFileSync(`${sesamPy(name, 'expand')}.log`, 'utf8')));
  });

  it('expand --system-placeholder acme -e out/exp -profile prod', async () => {
    const dir = copyInput(name);
    const r = await runMain(['--system-placeholder', 'acme', '-e', 'out/exp', '-profile', 'prod', 'expand'], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readTree(dir)).toEqual(readTree(sesamPy(name, 'expand-acme-prod-out')));
  });

  it('collapse: as sesam-py, or refused before writing anything where sesam-py crashes', async () => {
    const dir = copyInput(name);
    expect((await runMain(['expand'], { cwd: dir })).code).toBe(0);
    const before = readTree(dir);
    const { log, text } = captureLogger();
    const expected = readFileSync(`${sesamPy(name, 'collapse')}.log`, 'utf8');
    const collapse = () =>
      collapseConnector({ connectorDir: dir, expandedDir: join(dir, '.expanded'), systemPlaceholder: 'xxxxxx', log });
    if (expected.includes('FAILED:')) {
      expect(collapse).toThrow(/is not a string/);
      expect(readTree(dir)).toEqual(before);
      return;
    }
    collapse();
    expect(logLines(text())).toEqual(logLines(expected));
    expect(readTree(dir)).toEqual(readTree(sesamPy(name, 'collapse')));
  });
});
