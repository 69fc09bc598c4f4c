// Conformance: sesam-py's own fixture projects (real node output in their expected/ files) pass `sesam test`
// against the embedded node. They live in ../shared, which a user's clone does not have: then these skip.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyProject, hasBuild, hasSharedFixtures, SHARED_FIXTURES, sesam } from './cli.js';

const why = !hasSharedFixtures ? '../shared/fixtures is absent (only in the team workspace)' : 'dist/ is not built';

describe.skipIf(!hasSharedFixtures || !hasBuild)(`sesam-py fixture projects (skipped when ${why})`, () => {
  it('fair_weather_test passes with its whitelist, as in sesam-py CI', async () => {
    const project = copyProject(join(SHARED_FIXTURES, 'fair_weather_test'));
    const r = await sesam(['--node', 'local', '-vv', '-whitelist-file', 'whitelist.txt', 'test'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
  });

  it('embedded_conversion_test: convert then test, and the tree matches expected_after', async () => {
    const project = copyProject(join(SHARED_FIXTURES, 'embedded_conversion_test-before'));
    expect((await sesam(['--node', 'local', 'wipe'], { cwd: project })).code).toBe(0);
    const c = await sesam(['--node', 'local', 'convert'], { cwd: project });
    expect(c.code, c.stderr).toBe(0);
    const t = await sesam(['--node', 'local', 'test'], { cwd: project });
    expect(t.code, t.stderr + t.stdout).toBe(0);
    const after = join(SHARED_FIXTURES, 'embedded_conversion_test-expected_after');
    for (const rel of [
      'pipes/input-pipe-1.conf.json',
      'pipes/output-pipe.conf.json',
      'testdata/Input-Pipe-3.json',
      'testdata/input-pipe-norwegian.json',
    ]) {
      expect(existsSync(join(project, rel)), rel).toBe(true);
      expect(readFileSync(join(project, rel), 'utf8'), rel).toBe(readFileSync(join(after, rel), 'utf8'));
    }
  });
});
