// End to end: the built `sesam` against the embedded node over real loopback HTTP (`sesam serve`), and in-process
// with `--node local`, on the bundled example project.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, DUMMY_JWT, hasBuild, REPO, sesam, startServe } from './cli.js';

const EXAMPLE = join(REPO, 'templates', 'example');

describe.skipIf(!hasBuild)('example project over HTTP (sesam serve)', () => {
  let server: Awaited<ReturnType<typeof startServe>>;
  let project: string;
  let flags: string[];

  beforeAll(async () => {
    project = copyProject(EXAMPLE);
    server = await startServe(project);
    flags = ['-node', server.url, '-jwt', DUMMY_JWT];
  });
  afterAll(async () => server?.stop());

  it('passes sesam test', async () => {
    const r = await sesam([...flags, 'test'], { cwd: project });
    expect(r.stderr + r.stdout).toMatch(/passed/i);
    expect(r.code).toBe(0);
  });

  it('reports the config in sync after the upload', async () => {
    const r = await sesam([...flags, 'status', '--exit-code'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
  });

  it('update leaves the hand-checked expected files byte-identical', async () => {
    const before = ['person-endpoint.json', 'person-crm-export.json', 'order-line-csv.csv'].map((f) =>
      readFileSync(join(project, 'expected', f), 'utf8'),
    );
    const r = await sesam([...flags, 'update', '--no-snapshot'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const after = ['person-endpoint.json', 'person-crm-export.json', 'order-line-csv.csv'].map((f) =>
      readFileSync(join(project, 'expected', f), 'utf8'),
    );
    expect(after).toEqual(before);
  });

  it('verify fails with exit 1 and names the entity and field when expected output is wrong', async () => {
    const file = join(project, 'expected', 'person-endpoint.json');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('"Alan Turing"', '"Alan M. Turing"'));
    try {
      const r = await sesam([...flags, 'verify'], { cwd: project });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).toContain('Alan M. Turing');
      expect(r.stdout + r.stderr).toMatch(/name/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('download writes the node config back formatted, then wipe empties the node', async () => {
    const d = await sesam([...flags, 'download', '--no-snapshot'], { cwd: project });
    expect(d.code, d.stderr).toBe(0);
    const w = await sesam([...flags, 'wipe'], { cwd: project });
    expect(w.code, w.stderr).toBe(0);
    const s = await sesam([...flags, 'status', '--exit-code'], { cwd: project });
    expect(s.code).toBe(1);
  });
});

describe.skipIf(!hasBuild)('example project in-process (--node local)', () => {
  it('passes sesam test --node local and keeps its state under .sesam/local-node', async () => {
    const project = copyProject(EXAMPLE);
    const r = await sesam(['test', '--node', 'local'], { cwd: project });
    expect(r.code, r.stderr).toBe(0);
    const again = await sesam(['verify', '--node', 'local'], { cwd: project });
    expect(again.code, again.stderr).toBe(0);
  });
});
