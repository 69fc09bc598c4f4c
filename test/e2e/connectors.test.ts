// Connector development end to end: the built CLI against `sesam serve` on loopback. For every public connector
// in ../shared/fixtures/connectors: upload (expand, check, upload) then download (into .expanded, then collapse);
// the first cycle brings the templates to the form sesam-py's collapse writes, a second cycle changes nothing.
// The node accepts what a real node accepts (tripletex's and wave's sinks without "type" included); --skip-auth:
// the login flows are tested against a fake OAuth2 provider in test/connectors/auth.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../helpers/tmp.js';
import { CONNECTOR_FIXTURES, connectorCopy, connectorFixtures, hasConnectorFixtures } from '../connectors/helpers.js';
import { DUMMY_JWT, hasBuild, sesam, startServe } from './cli.js';

/** The connector folder as the user keeps it (the expanded folder is generated). */
function connectorFiles(dir: string): Record<string, string> {
  const tree = readTree(dir);
  for (const path of Object.keys(tree)) if (path.startsWith('.expanded/')) delete tree[path];
  return tree;
}

const why = !hasConnectorFixtures ? '../shared/fixtures/connectors is absent' : 'dist/ is not built';

describe.skipIf(!hasConnectorFixtures || !hasBuild)(`connectors against sesam serve (skipped when ${why})`, () => {
  let server: Awaited<ReturnType<typeof startServe>>;
  let flags: string[];
  beforeAll(async () => {
    server = await startServe(connectorCopy(connectorFixtures()[0]!).parent);
    flags = ['-node', server.url, '-jwt', DUMMY_JWT];
  });
  afterAll(async () => server?.stop());

  it.each(connectorFixtures())('%s: upload -> download -> collapse round trip', async (fixture) => {
    const { dir } = connectorCopy(fixture);
    const cycle = async () => {
      const up = await sesam([...flags, 'upload', '--skip-auth'], { cwd: dir });
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain('All config files are valid');
      const down = await sesam([...flags, 'download', '--no-snapshot'], { cwd: dir });
      expect(down.code, down.stderr).toBe(0);
    };
    await cycle();
    const collapsed = join(CONNECTOR_FIXTURES, fixture, 'variants', 'collapse', 'result');
    if (existsSync(collapsed)) expect(connectorFiles(dir)).toEqual(connectorFiles(collapsed));
    const afterFirst = connectorFiles(dir);
    await cycle();
    expect(connectorFiles(dir)).toEqual(afterFirst);
    // status compares the expanded folder, which download just wrote.
    const status = await sesam([...flags, 'status'], { cwd: dir });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('Sesam config is up-to-date with local config!');

    // The collapsed templates still expand to what sesam-py expands the published connector to.
    const expanded = await sesam(['expand'], { cwd: dir });
    expect(expanded.code, expanded.stderr).toBe(0);
    expect(readTree(join(dir, '.expanded'))).toEqual(readTree(join(CONNECTOR_FIXTURES, fixture, 'golden-expanded')));
  });
});
