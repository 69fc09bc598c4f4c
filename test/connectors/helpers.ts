// Connector fixtures from ../shared (sesam-py 2.11.13's own output on public connectors) and writable copies.
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CONNECTOR_FIXTURES = join(REPO, '..', 'shared', 'fixtures', 'connectors');
export const hasConnectorFixtures = existsSync(CONNECTOR_FIXTURES);

export function connectorFixtures(): string[] {
  if (!hasConnectorFixtures) return [];
  return readdirSync(CONNECTOR_FIXTURES)
    .filter((n) => existsSync(join(CONNECTOR_FIXTURES, n, 'input', 'manifest.json')))
    .sort();
}

export function variantsOf(fixture: string): string[] {
  const dir = join(CONNECTOR_FIXTURES, fixture, 'variants');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Copy a tree and make it writable (the fixtures are read-only). */
export function copyWritable(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  const walk = (path: string) => {
    const st = statSync(path);
    chmodSync(path, st.mode | 0o200);
    if (st.isDirectory()) for (const n of readdirSync(path)) walk(join(path, n));
  };
  walk(to);
  return to;
}

/** A writable copy of a fixture's input/ connector folder; with `inParent`, as `<parent>/connector`. */
export function connectorCopy(fixture: string, inParent = false): { dir: string; parent: string } {
  const parent = tempDir('sesam-connector-');
  const dir = inParent ? join(parent, 'connector') : parent;
  copyWritable(join(CONNECTOR_FIXTURES, fixture, 'input'), dir);
  return { dir, parent };
}

export function fixtureText(fixture: string, ...path: string[]): string {
  return readFileSync(join(CONNECTOR_FIXTURES, fixture, ...path), 'utf8');
}

/** sesam-py's log lines minus its start and end lines, which this client does not print. */
export function sesamPyLogLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('Using ') && !l.startsWith('Total run time was '));
}

/** The arguments of a variant run (args.txt) without sesam-py's node and JWT. */
export function variantArgs(fixture: string, variant: string): { cwd: 'connector' | 'parent'; args: string[] } {
  const text = fixtureText(fixture, 'variants', variant, 'args.txt');
  const cwd = /cwd: (\w+)/.exec(text)?.[1] === 'parent' ? 'parent' : 'connector';
  const line = text.split('\n').find((l) => l.startsWith('sesam-py ')) ?? '';
  const words = line.split(';')[0]!.trim().split(/\s+/).slice(1);
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-node' || words[i] === '-jwt') i++;
    else args.push(words[i]!);
  }
  return { cwd, args };
}
