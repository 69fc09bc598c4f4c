// A hand-built project shaped like a real one (fixtures/node-only-project): systems of external types with
// node-only env variables and secrets, a conditional source picked by node-env, a sink without type, an external
// sql source, a hop into a dataset no pipe writes, an input pipe that needs a node-only variable, and an output
// pipe with a rest sink. It must get through `sesam test --node local` to verify, with one result per spec.
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/run-main.js';
import { tempDir } from '../helpers/tmp.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/node-only-project', import.meta.url));

function project(): string {
  const dir = tempDir('sesam-node-only-');
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const statuses = (stdout: string) =>
  (JSON.parse(stdout) as { specs: { id: string; status: string }[] }).specs.map((s) => `${s.id}: ${s.status}`);

describe('a project with external systems, node-only env and hops into unpopulated datasets', () => {
  it('is uploaded with warnings, runs, and verifies spec by spec', async () => {
    const dir = project();
    const r = await runMain(['test', '--node', 'local', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(statuses(r.stdout)).toEqual([
      'person-crm-share: passed',
      'person-endpoint: passed',
      'person-org-endpoint: passed',
    ]);
    expect(r.stderr).toContain(
      "Warning: legacy-import: Unknown environment variable 'legacy-flag' ($['transform']['rules']['default'][1][2])",
    );
    expect(r.stderr).toContain("Warning: crm: Unknown environment variable 'crm-base-url' ($['base_url'])");

    const run = await runMain(['run', '--node', 'local', '-print-scheduler-log'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("pipe 'erp-order-collect': source type 'sql' needs an external system");
    expect(run.stderr).toContain(
      "Input pipe 'legacy-import' failed (ignored without check_input_pipes): the pipe needs the environment variable 'legacy-flag'",
    );
    expect(run.stderr).toContain("Pipe 'person-org-enrich' is waiting for dataset 'org-register' (hopped into)");
  });

  it('reports a difference in one spec without hiding the others', async () => {
    const dir = project();
    writeFileSync(join(dir, 'expected', 'person-endpoint.json'), '[{"_id": "1", "name": "Ann"}]\n');
    const r = await runMain(['test', '--node', 'local', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(statuses(r.stdout)).toEqual([
      'person-crm-share: passed',
      'person-endpoint: failed',
      'person-org-endpoint: passed',
    ]);
  });

  it('fails the run naming the pipe and variable when input pipes are checked', async () => {
    const dir = project();
    const r = await runMain(['test', '--node', 'local', '--scheduler-check-input-pipes'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "legacy-import: the pipe needs the environment variable 'legacy-flag', which is not set",
    );
  });
});
