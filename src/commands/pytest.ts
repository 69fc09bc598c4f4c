// `sesam run-pytest DIR` and `-run-pytest DIR` after another command (sesam-py §5.12): pytest on a folder of
// test_*.py files, as a subprocess (`pytest`, else `python3 -m pytest`), its output passed through.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { differencesFound, inputError, usageError } from '../errors.js';
import type { CommandContext } from './context.js';

export async function runPytest(ctx: CommandContext): Promise<void> {
  const dir = ctx.args[0];
  if (!dir)
    throw usageError("The name of the folder containing tests must be specified when using the 'run-pytest' command.");
  await pytestIn(ctx, dir, true);
}

/** For `-run-pytest DIR` after a successful command other than run-pytest (main calls this). */
export async function runPytestAfter(ctx: CommandContext): Promise<void> {
  if (!ctx.options.runPytest) return;
  await pytestIn(ctx, ctx.options.runPytest, ctx.command !== 'test');
}

async function pytestIn(ctx: CommandContext, dir: string, standalone: boolean): Promise<void> {
  const full = resolve(ctx.cwd, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) {
    throw inputError(`The pytest folder '${dir}' does not exist`, { reason: `looked for ${full}` });
  }
  const tests = readdirSync(full).filter((name) => /^test_.*\.py$/.test(name));
  if (tests.length === 0) {
    ctx.log.warn(`No test_*.py files were found in '${dir}', so no tests have been run.`);
    return;
  }
  const args = [dir, ...ctx.options.pytestArgs.split(/\s+/).filter(Boolean)];
  ctx.log.info(
    `Found ${tests.length} test files in folder '${dir}', running pytest with these options: ${JSON.stringify(args)}`,
  );
  if (standalone) {
    ctx.log.warn(
      "Note that some tests require that the most recent versions of the pipes have finished running in order to provide accurate results. Make sure that you've done an 'upload' and 'run' recently before running these tests.",
    );
  }
  let outcome = await spawnPytest(ctx, 'pytest', args);
  if (outcome === 'not-found') outcome = await spawnPytest(ctx, 'python3', ['-m', 'pytest', ...args]);
  if (outcome === 'not-found') {
    throw inputError('pytest is not installed, so the Python tests could not run', {
      hint: "install it with 'pip install pytest' (neither 'pytest' nor 'python3 -m pytest' works on this PATH)",
    });
  }
  if (outcome !== 0)
    throw differencesFound('One or more Python tests failed, see above output.', {
      reason: `pytest exited with code ${outcome}`,
    });
  ctx.log.info('Ran unit tests successfully.');
}

/** Run one candidate; 'not-found' when the program (or python's pytest module) is missing. */
function spawnPytest(ctx: CommandContext, program: string, args: string[]): Promise<number | 'not-found'> {
  return new Promise((resolvePromise, reject) => {
    const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
    const child = spawn(program, args, { cwd: ctx.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderrTail = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ctx.out.write(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) ctx.log.info(line);
    });
    const onAbort = () => child.kill();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT') resolvePromise('not-found');
      else reject(err);
    });
    child.on('close', (code, signal) => {
      ctx.signal.removeEventListener('abort', onAbort);
      if (pending) ctx.log.info(pending);
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      if (program === 'python3' && code !== 0 && /No module named pytest/.test(stderrTail))
        return resolvePromise('not-found');
      resolvePromise(code ?? (signal ? 128 : 1));
    });
  });
}
