import { describe, expect, it } from 'vitest';
import { tempProject } from '../helpers/tmp.js';
import { runMain } from '../helpers/run-main.js';

const project = {
  'pipes/in.conf.json': { _id: 'in', type: 'pipe', source: { type: 'embedded', entities: [] } },
  'pipes/out.conf.json': {
    _id: 'out',
    type: 'pipe',
    source: { type: 'dataset', dataset: 'in' },
    sink: { type: 'http_endpoint' },
  },
  'test-env.json': {},
  'expected/out.test.json': {},
  'expected/out.json': [],
};

describe('sesam validate', () => {
  it('exits 0 with a summary when the project is consistent', async () => {
    const result = await runMain(['validate'], { cwd: tempProject(project) });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Validated 5 files: no problems found\n');
  });

  it('prints one line per problem and exits 2 on errors', async () => {
    const root = tempProject({
      ...project,
      'pipes/out.conf.json': {
        _id: 'out',
        type: 'pipe',
        source: { type: 'dataset', dataset: 'missing' },
        sink: { type: 'http_endpoint' },
      },
      'pipes/renamed.conf.json': {
        _id: 'other',
        type: 'pipe',
        sink: { type: 'null' },
        source: { type: 'embedded', entities: [] },
      },
    });
    const result = await runMain(['validate'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(
      [
        "pipes/out.conf.json:6:16: Pipe 'out': source dataset 'missing' is not written by any pipe",
        "pipes/renamed.conf.json:2:10: warning: The file name does not match the pipe's _id 'other' (expected pipes/other.conf.json)",
        '',
      ].join('\n'),
    );
    expect(result.stderr).toContain('Validation failed: 1 error, 1 warning in 6 files.');
  });

  it('exits 0 on warnings alone', async () => {
    const root = tempProject({ ...project, 'pipes/x.conf.json': { _id: 'y', type: 'pipe', sink: { type: 'null' } } });
    const result = await runMain(['validate'], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Validated 6 files: no errors, 1 warning');
  });

  it('gives errors and warnings as JSON', async () => {
    const root = tempProject({ ...project, 'pipes/bad.conf.json': '{"_id": "bad", "type": "pipe",,}' });
    const result = await runMain(['validate', '--json'], { cwd: root });
    expect(result.code).toBe(2);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ schemaVersion: 1, ok: false, warnings: [], filesChecked: 6 });
    expect(doc.errors).toEqual([
      {
        file: 'pipes/bad.conf.json',
        line: 1,
        column: 31,
        message: 'Invalid JSON: Expecting property name enclosed in double quotes: line 1 column 31 (char 30)',
      },
    ]);
  });

  it('annotates problems for GitHub Actions', async () => {
    const root = tempProject({ ...project, 'pipes/bad.conf.json': '{"_id": "bad", "type": "pipe",,}' });
    const result = await runMain(['validate'], { cwd: root, env: { GITHUB_ACTIONS: 'true' } });
    expect(result.stderr).toContain('::error file=pipes/bad.conf.json,line=1,col=31::Invalid JSON');
  });
});
