// main(argv, io): the only place that touches `process`. It parses the command line (sesam-py's single-dash flags
// included), builds the output channels, dispatches to a command and maps every error to one line and an exit code.
import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { findProjectRoot } from '../config/project-root.js';
import { exitCodeFor, isSesamError, usageError } from '../errors.js';
import { createLogger, createOutput, Redactor, useColor, type LogFormat, type TextStream } from '../log.js';
import type { CommandContext, Env } from '../commands/context.js';
import { VERSION } from '../version.js';
import { ArgError, type ParsedArgs, parseArgs } from './args.js';
import { renderHelp } from './help.js';
import { isGlobal, OPTION_SPECS } from './options.js';
import { COMMANDS, type CommandSpec, findCommand } from './registry.js';
import { createPrompter, type Terminal } from './prompt.js';
import { closest } from './suggest.js';

export { parseArgs } from './args.js';
import { progressEnabled, terminalProgress } from './progress.js';

export interface Io {
  stdout: TextStream;
  stderr: TextStream;
  stdin?: Readable & { isTTY?: boolean };
  env: Env;
  cwd: string;
  /** Aborts the running command (Ctrl-C). main() wires SIGINT to it when running as the real process. */
  signal?: AbortSignal;
  /** Where prompts are asked; absent when no person is at a terminal (then a question is a usage error). */
  terminal?: Terminal;
}

function processIo(): Io {
  const terminal =
    process.stdin.isTTY && process.stderr.isTTY ? { input: process.stdin, output: process.stderr } : undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    terminal,
  };
}

export async function main(argv: readonly string[], partialIo: Partial<Io> = {}): Promise<number> {
  const isProcess = Object.keys(partialIo).length === 0;
  const io: Io = isProcess ? processIo() : { ...processIoDefaults(), ...partialIo };
  const redactor = new Redactor();

  if (isProcess) exitQuietlyOnBrokenPipe();
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgError)) throw err;
    io.stderr.write(`sesam: ${err.message}\nHint: 'sesam --help' lists the commands and options.\n`);
    return 2;
  }
  const { options, words } = parsed;
  redactor.add(options.jwt);
  redactor.add(io.env.JWT);

  const colorFlag = options.noColor ? false : options.color ? true : undefined;
  const out = createOutput(io.stdout, redactor, useColor(io.stdout, io.env, colorFlag));
  const format = (['short', 'log', 'azure'].includes(options.logformat) ? options.logformat : 'short') as LogFormat;
  const bars = terminalProgress(io.stderr, progressEnabled(io.stderr, io.env, options.noProgress));
  const log = createLogger({
    stream: bars.stream,
    verbosity: options.verbose,
    color: useColor(io.stderr, io.env, colorFlag),
    format,
    github: io.env.GITHUB_ACTIONS === 'true',
    redactor,
  });

  if (options.version) {
    out.line(`sesam version ${VERSION}`);
    return 0;
  }
  const [word, ...args] = words;
  if (!word || word.toLowerCase() === 'help') {
    const topic = args[0]?.toLowerCase();
    const text = renderHelp(topic);
    if (!word) {
      io.stderr.write(text);
      log.error('No command given.');
      return 2;
    }
    out.write(text);
    return 0;
  }
  const name = word.toLowerCase();
  for (const ignored of options.ignoredGiven) {
    const spec = OPTION_SPECS.find((o) => o.name === ignored);
    log.debug(`Note: --${ignored} is accepted for sesam-py compatibility and ignored: ${spec?.ignored}.`);
  }

  const controller = new AbortController();
  // The first Ctrl-C aborts the command, which then puts things back (bisect restores the node); a second one must
  // not kill it half-way through that, so only a third quits at once.
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) controller.abort(new Error('interrupted'));
    else if (interrupts === 2) log.warn('Still putting things back after Ctrl-C; press Ctrl-C again to quit at once.');
    else process.exit(130);
  };
  if (isProcess) process.on('SIGINT', onSigint);
  partialIo.signal?.addEventListener('abort', () => controller.abort(partialIo.signal?.reason));

  try {
    const spec = findCommand(name);
    if (!spec) {
      const guess = closest(name, [...COMMANDS.map((c) => c.name), 'help']);
      throw usageError(`Unknown command: '${word}'.${guess ? ` Did you mean ${guess}?` : ''}`, {
        hint: "'sesam --help' lists the commands.",
      });
    }
    checkScope(spec, parsed, log);
    // Started in a subfolder (pipes/, expected/), a command works on the project around it; `new` and `dtl` work
    // where they are started.
    const cwd = name === 'new' || name === 'dtl' ? io.cwd : findProjectRoot(io.cwd);
    if (cwd !== resolvePath(io.cwd)) log.info(`Using ${cwd} as the project folder (found above ${io.cwd}).`);
    const ctx: CommandContext = {
      command: name,
      args,
      options,
      cwd,
      env: io.env,
      out,
      log,
      signal: controller.signal,
      prompt: createPrompter(io.terminal, () => controller.abort(new Error('interrupted')), controller.signal),
      stdin: io.stdin,
      progress: bars.progress,
    };
    const run = await spec.load();
    const code = (await run(ctx)) ?? 0;
    if (code === 0 && options.runPytest && name !== 'run-pytest' && !controller.signal.aborted) {
      const { runPytestAfter } = await import('../commands/pytest.js');
      await runPytestAfter(ctx);
    }
    return controller.signal.aborted ? 130 : code;
  } catch (err) {
    const code = controller.signal.aborted ? 130 : exitCodeFor(err, { bisectExitCodes: options.bisectExitCodes });
    reportError(err, code, log, options.verbose);
    if (options.json && !out.wroteJson) {
      out.json({
        ok: false,
        error: {
          kind: isSesamError(err) ? err.kind : 'internal',
          message: err instanceof Error ? err.message : String(err),
          reason: isSesamError(err) ? err.reason : undefined,
          exitCode: code,
        },
      });
    }
    return code;
  } finally {
    bars.close();
    if (isProcess) process.removeListener('SIGINT', onSigint);
  }
}

/**
 * A command takes the global options and its own; another option is a usage error, unless it was spelled sesam-py's
 * way (`-single`): sesam-py accepts each of its flags with every command, and CI scripts rely on that.
 */
function checkScope(command: CommandSpec, parsed: ParsedArgs, log: ReturnType<typeof createLogger>): void {
  for (const name of parsed.given) {
    const spec = OPTION_SPECS.find((o) => o.name === name);
    if (!spec || isGlobal(spec) || command.options.some((own) => own === name)) continue;
    if (parsed.legacyGiven.has(name)) {
      log.debug(
        `Note: ${spec.legacy?.[0] ?? `--${name}`} has no effect on '${command.name}' (accepted as sesam-py does).`,
      );
      continue;
    }
    throw usageError(`'sesam ${command.name}' does not take --${name}.`, {
      hint: `'sesam ${command.name} --help' lists the options it takes.`,
    });
  }
}

/** `sesam log | head -1`: when the reader goes away, stop quietly with SIGPIPE's status, as git does. */
function exitQuietlyOnBrokenPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(141);
      throw err;
    });
  }
}

function processIoDefaults(): Io {
  return {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: {},
    cwd: process.cwd(),
  };
}

function reportError(err: unknown, code: number, log: ReturnType<typeof createLogger>, verbosity: number): void {
  if (code === 130) {
    log.error('Interrupted.');
    return;
  }
  if (isSesamError(err)) {
    log.error(err.message, err.file ? { file: err.file, line: err.line, column: err.column } : undefined);
    if (err.reason) log.info(`Reason: ${err.reason}`);
    if (err.hint) log.info(`Hint: ${err.hint}`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Internal error: ${message}`);
    if (verbosity < 3)
      log.info('Reason: this is a bug in sesam; run again with -vvv for the stack trace and report it.');
  }
  if (verbosity >= 3 && err instanceof Error && err.stack) log.info(err.stack);
}
