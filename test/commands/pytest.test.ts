import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPytest, runPytestAfter } from '../../src/commands/pytest.js';
import { makeContext } from '../helpers/msw-verify.js';
import { tempDir, tempProject } from '../helpers/tmp.js';

/** A PATH holding fake `pytest`/`python3` scripts that echo their arguments and exit with `code`. */
function fakeBin(programs: Record<string, { stdout?: string; stderr?: string; code: number }>): string {
  const bin = tempDir('fake-bin-');
  for (const [name, p] of Object.entries(programs)) {
    const script = [
      '#!/bin/sh',
      `echo "${name} $*"`,
      p.stdout ? `printf '%s\\n' '${p.stdout}'` : '',
      p.stderr ? `printf '%s\\n' '${p.stderr}' >&2` : '',
      `exit ${p.code}`,
    ].join('\n');
    writeFileSync(join(bin, name), `${script}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  // Only the fake programs are on PATH (the scripts use sh builtins), so a real pytest never interferes.
  return bin;
}

function project() {
  return tempProject({ 'tests/test_pipes.py': 'def test_x():\n    assert True\n', 'empty/readme.txt': '' });
}

function ctxFor(dir: string, path: string, options = {}, command = 'run-pytest', args: string[] = []) {
  const t = makeContext(dir, options, { PATH: path });
  t.ctx.command = command;
  t.ctx.args = args;
  return t;
}

describe('run-pytest', () => {
  it('needs a folder', async () => {
    await expect(runPytest(ctxFor(project(), '/bin').ctx)).rejects.toMatchObject({
      kind: 'usage',
      message: "The name of the folder containing tests must be specified when using the 'run-pytest' command.",
    });
  });

  it('names a missing folder, and passes with a warning when it has no test_*.py', async () => {
    const dir = project();
    await expect(runPytest(ctxFor(dir, '/bin', {}, 'run-pytest', ['nope']).ctx)).rejects.toMatchObject({
      kind: 'input',
      message: "The pytest folder 'nope' does not exist",
    });
    const t = ctxFor(dir, '/bin', {}, 'run-pytest', ['empty']);
    await runPytest(t.ctx);
    expect(t.stderr()).toBe("No test_*.py files were found in 'empty', so no tests have been run.\n");
  });

  it('runs pytest with the folder and -pytest-args, passing its output through', async () => {
    const dir = project();
    const t = ctxFor(
      dir,
      fakeBin({ pytest: { code: 0, stdout: '1 passed', stderr: 'a warning' } }),
      { pytestArgs: ' -q  -x ' },
      'run-pytest',
      ['tests'],
    );
    await runPytest(t.ctx);
    expect(t.stdout()).toBe('pytest tests -q -x\n1 passed\n');
    expect(t.stderr()).toContain(
      `Found 1 test files in folder 'tests', running pytest with these options: ["tests","-q","-x"]\n`,
    );
    expect(t.stderr()).toContain("Make sure that you've done an 'upload' and 'run' recently");
    expect(t.stderr()).toContain('a warning\n');
    expect(t.stderr()).toMatch(/Ran unit tests successfully\.\n$/);
  });

  it('fails with exit code 1 when tests fail', async () => {
    const t = ctxFor(project(), fakeBin({ pytest: { code: 1 } }), {}, 'run-pytest', ['tests']);
    await expect(runPytest(t.ctx)).rejects.toMatchObject({
      kind: 'differences',
      message: 'One or more Python tests failed, see above output.',
      reason: 'pytest exited with code 1',
    });
  });

  it('falls back to python3 -m pytest, and says clearly when pytest is missing', async () => {
    const t = ctxFor(project(), fakeBin({ python3: { code: 0 } }), {}, 'run-pytest', ['tests']);
    await runPytest(t.ctx);
    expect(t.stdout()).toBe('python3 -m pytest tests -rP -v\n');
    const missing = ctxFor(
      project(),
      fakeBin({ python3: { code: 1, stderr: '/usr/bin/python3: No module named pytest' } }),
      {},
      'run-pytest',
      ['tests'],
    );
    await expect(runPytest(missing.ctx)).rejects.toMatchObject({
      kind: 'input',
      message: 'pytest is not installed, so the Python tests could not run',
    });
    const nothing = ctxFor(project(), tempDir('empty-bin-'), {}, 'run-pytest', ['tests']);
    await expect(runPytest(nothing.ctx)).rejects.toMatchObject({ kind: 'input' });
  });
});

describe('-run-pytest after a command', () => {
  it('runs only when asked; after test without the standalone note', async () => {
    const path = fakeBin({ pytest: { code: 0 } });
    const none = ctxFor(project(), path, {}, 'verify');
    await runPytestAfter(none.ctx);
    expect(none.stdout()).toBe('');
    const afterTest = ctxFor(project(), path, { runPytest: 'tests' }, 'test');
    await runPytestAfter(afterTest.ctx);
    expect(afterTest.stdout()).toBe('pytest tests -rP -v\n');
    expect(afterTest.stderr()).not.toContain('Make sure');
    const afterVerify = ctxFor(project(), path, { runPytest: 'tests' }, 'verify');
    await runPytestAfter(afterVerify.ctx);
    expect(afterVerify.stderr()).toContain('Make sure');
  });
});
