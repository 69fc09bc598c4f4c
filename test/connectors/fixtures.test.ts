// sesam expand / validate / collapse on the public connectors in ../shared/fixtures/connectors: the expanded
// files must be byte-identical to what sesam-py 2.11.13 wrote, variants included, and collapse must give back
// templates that expand to the same files.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collapseConnector } from '../../src/connectors/collapse.js';
import { captureLogger } from '../helpers/logger.js';
import { runMain } from '../helpers/run-main.js';
import { readTree } from '../helpers/tmp.js';
import {
  CONNECTOR_FIXTURES,
  connectorCopy,
  connectorFixtures,
  fixtureText,
  hasConnectorFixtures,
  sesamPyLogLines,
  variantArgs,
  variantsOf,
} from './helpers.js';

const fixtures = connectorFixtures();

/** Our extra lines in connector validate: the project checks' warnings. */
const ourWarning = (line: string) => / warning: /.test(line);

describe.skipIf(!hasConnectorFixtures)('connector fixtures (skipped: ../shared/fixtures/connectors is absent)', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  describe.each(fixtures)('%s', (fixture) => {
    const golden = join(CONNECTOR_FIXTURES, fixture, 'golden-expanded');

    it('expand writes exactly the golden files, silently on stdout, exit as sesam-py', async () => {
      const { dir } = connectorCopy(fixture);
      const r = await runMain(['expand'], { cwd: dir });
      expect(r.code, r.stderr).toBe(Number(fixtureText(fixture, 'golden-exitcode.txt').trim()));
      expect(r.stdout).toBe(fixtureText(fixture, 'golden-stdout.txt'));
      expect(readTree(join(dir, '.expanded'))).toEqual(readTree(golden));
    });

    it('collapse after expand gives templates that expand to the same files again', async () => {
      const { dir } = connectorCopy(fixture);
      expect((await runMain(['expand'], { cwd: dir })).code).toBe(0);
      const { log } = captureLogger();
      collapseConnector({ connectorDir: dir, expandedDir: join(dir, '.expanded'), systemPlaceholder: 'xxxxxx', log });
      const r = await runMain(['expand'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(readTree(join(dir, '.expanded'))).toEqual(readTree(golden));
      // A second collapse of an unchanged expansion changes nothing.
      const again = collapseConnector({
        connectorDir: dir,
        expandedDir: join(dir, '.expanded'),
        systemPlaceholder: 'xxxxxx',
        log,
      });
      expect(again.changed).toEqual([]);
    });

    for (const variant of variantsOf(fixture)) {
      const base = join(CONNECTOR_FIXTURES, fixture, 'variants', variant);
      const expectedCode = Number(readFileSync(join(base, 'exitcode.txt'), 'utf8').trim());

      if (variant === 'collapse') {
        it('collapse: the connector folder matches sesam-py after its collapse, and re-expands identically', async () => {
          const { dir } = connectorCopy(fixture);
          expect((await runMain(['expand'], { cwd: dir })).code).toBe(0);
          const { log, text } = captureLogger();
          collapseConnector({
            connectorDir: dir,
            expandedDir: join(dir, '.expanded'),
            systemPlaceholder: 'xxxxxx',
            log,
          });
          expect(sesamPyLogLines(text())).toEqual(sesamPyLogLines(readFileSync(join(base, 'stderr.txt'), 'utf8')));
          expect(readTree(dir)).toEqual(readTree(join(base, 'result')));
          expect(readFileSync(join(base, 'reexpand-diff.txt'), 'utf8')).toBe('');
          expect((await runMain(['expand'], { cwd: dir })).code).toBe(0);
          expect(readTree(join(dir, '.expanded'))).toEqual(readTree(golden));
        });
        continue;
      }

      if (variant === 'validate') {
        it('validate: same verdict and messages as sesam-py', async () => {
          const { dir } = connectorCopy(fixture);
          const { args } = variantArgs(fixture, variant);
          const r = await runMain(args, { cwd: dir });
          expect(r.code, r.stderr).toBe(expectedCode);
          expect(r.stdout).toBe(readFileSync(join(base, 'stdout.txt'), 'utf8'));
          const ours = r.stderr.split('\n').filter((l) => l !== '' && !ourWarning(l));
          expect(ours).toEqual(sesamPyLogLines(readFileSync(join(base, 'stderr.txt'), 'utf8')));
          expect(readTree(join(dir, '.expanded'))).toEqual(readTree(golden));
        });
        continue;
      }

      if (variant === 'd-from-parent') {
        // sesam-py ignores -d in expand and fails from the parent folder ("Sesam client failed!", exit 1, nothing
        // written); here -d names the connector folder as it does for upload, so the expansion lands in it.
        it('d-from-parent: -d names the connector folder (sesam-py fails here instead)', async () => {
          expect(expectedCode).toBe(1);
          const { dir, parent } = connectorCopy(fixture, true);
          const { args } = variantArgs(fixture, variant);
          const r = await runMain(args, { cwd: parent });
          expect(r.code, r.stderr).toBe(0);
          expect(readTree(join(dir, '.expanded'))).toEqual(readTree(golden));
          expect(Object.keys(readTree(parent)).every((p) => p.startsWith('connector/'))).toBe(true);
        });
        continue;
      }

      it(`${variant}: the whole folder afterwards matches sesam-py's`, async () => {
        const { dir, parent } = connectorCopy(fixture);
        const { cwd, args } = variantArgs(fixture, variant);
        const r = await runMain(args, { cwd: cwd === 'parent' ? parent : dir });
        expect(r.code, r.stderr).toBe(expectedCode);
        expect(r.stdout).toBe(readFileSync(join(base, 'stdout.txt'), 'utf8'));
        const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('Expanded '));
        expect(lines).toEqual(sesamPyLogLines(readFileSync(join(base, 'stderr.txt'), 'utf8')));
        if (existsSync(join(base, 'result'))) expect(readTree(dir)).toEqual(readTree(join(base, 'result')));
      });
    }
  });
});
