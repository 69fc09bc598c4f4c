// main(argv, io): the only place that touches `process`. It parses the command line (sesam-py's single-dash flags
// included), builds the output channels, dispatches to a command and maps every error to one line and an exit code.
import { Command as Commander, CommanderError, InvalidArgumentError, Option } from 'commander';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { findProjectRoot } from '../config/project-root.js';
import { exitCodeFor, isSesamError, usageError } from '../errors.js';
import { createLogger, createOutput, Redactor, useColor, type LogFormat, type TextStream } from '../log.js';
import type { CommandContext, Env, Prompter } from '../commands/context.js';
import { VERSION } from '../version.js';
import { rewriteLegacyArgs, UnknownLegacyFlag } from './legacy.js';
import { camelCase, OPTIONS, type Options } from './options.js';
import { CONNECTOR_COMMANDS, findCommand } from './registry.js';
import { renderHelp } from './help.js';

export interface Io {
  stdout: TextStream;
  stderr: TextStream;
  stdin?: Readable & { isTTY?: boolean };
  env: Env;
  cwd: string;
  /** Aborts the running command (Ctrl-C). main() wires SIGINT to it when running as the real process. */
  signal?: AbortSignal;
}

function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

export async function main(argv: readonly string[], partialIo: Partial<Io> = {}): Promise<number> {
  const isProcess = Object.keys(partialIo).length === 0;
  const io: Io = isProcess ? processIo() : { ...processIoDefaults(), ...partialIo };
  const redactor = new Redactor();

  let parsed: { options: Options; words: string[] };
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`sesam: ${message}\nHint: 'sesam --help' lists the commands and options.\n`);
    return 2;
  }
  const { options, words } = parsed;
  redactor.add(options.jwt);
  redactor.add(io.env.JWT);

  const colorFlag = options.noColor ? false : options.color ? true : undefined;
  const out = createOutput(io.stdout, redactor, useColor(io.stdout, io.env, colorFlag));
  const format = (['short', 'log', 'azure'].includes(options.logformat) ? options.logformat : 'short') as LogFormat;
  const log = createLogger({
    stream: io.stderr,
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
    const spec = OPTIONS.find((o) => o.name === ignored);
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
    if (CONNECTOR_COMMANDS.includes(name)) {
      throw usageError(
        `'${name}' is a sesam-py connector command; connector projects are not supported by this client.`,
      );
    }
    const spec = findCommand(name);
    if (!spec) throw usageError(`Unknown command: '${word}'.`, { hint: "'sesam --help' lists the commands." });
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
      prompt: createPrompter(io),
      stdin: io.stdin,
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
    if (isProcess) process.removeListener('SIGINT', onSigint);
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

/** Parse argv (after the legacy rewrite) against the option table. Throws with a one-line message. */
export function parseArgs(argv: readonly string[]): { options: Options; words: string[] } {
  let rewritten: string[];
  try {
    rewritten = rewriteLegacyArgs(argv);
  } catch (err) {
    if (err instanceof UnknownLegacyFlag) throw new Error(`unknown option '${err.message}'`);
    throw err;
  }
  const program = new Commander('sesam')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .helpOption(false)
    .allowUnknownOption(false)
    .allowExcessArguments(true)
    .argument('[command...]');
  program.addOption(new Option('-h, --help'));
  for (const spec of OPTIONS) {
    const flags =
      (spec.short ? `-${spec.short}, ` : '') +
      `--${spec.name}` +
      (spec.type === 'flag' || spec.type === 'count' ? '' : ` <${spec.metavar ?? 'VALUE'}>`);
    const option = new Option(flags, spec.help);
    if (spec.type === 'count') option.argParser((_v: string, prev: number) => (prev ?? 0) + 1).default(0);
    if (spec.type === 'int') option.argParser(intParser(spec.name));
    if (spec.type === 'float') option.argParser(floatParser(spec.name));
    program.addOption(option);
  }
  try {
    program.parse(['node', 'sesam', ...rewritten]);
  } catch (err) {
    if (err instanceof CommanderError) throw new Error(err.message.replace(/^error: /, ''));
    throw err;
  }
  const raw = program.opts() as Record<string, unknown>;
  const options: Record<string, unknown> = { ignoredGiven: [] };
  for (const spec of OPTIONS) {
    const key = camelCase(spec.name);
    const value = flagValue(spec.name, raw) ?? raw[key];
    if (spec.ignored) {
      if (value !== undefined) (options.ignoredGiven as string[]).push(spec.name);
      continue;
    }
    options[key] = value ?? spec.default ?? (spec.type === 'flag' ? false : spec.type === 'count' ? 0 : undefined);
  }
  const words = program.args.slice();
  if (raw.help) words.unshift('help');
  return { options: options as unknown as Options, words };
}

/**
 * commander stores `--no-x` as `x: false` (defaulting `x` to true when there is no `--x`), so both `--color` and
 * `--no-color`/`--no-snapshot` are read from the positive key.
 */
function flagValue(name: string, raw: Record<string, unknown>): boolean | undefined {
  if (name.startsWith('no-')) return raw[camelCase(name.slice(3))] === false;
  if (name === 'color') return raw.color === true;
  return undefined;
}

function intParser(name: string) {
  return (value: string) => {
    if (!/^-?\d+$/.test(value.trim()))
      throw new InvalidArgumentError(`--${name} takes a whole number, not '${value}'.`);
    return Number.parseInt(value, 10);
  };
}

function floatParser(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`--${name} takes a number, not '${value}'.`);
    return n;
  };
}

function createPrompter(io: Io): Prompter {
  const interactive = Boolean(io.stdin?.isTTY && io.stderr.isTTY);
  const ask = (question: string, opts: { secret?: boolean; defaultValue?: string } = {}) =>
    new Promise<string>((resolve, reject) => {
      if (!io.stdin) return reject(usageError('No terminal to ask on; give the value as a flag instead.'));
      const output = io.stderr as unknown as NodeJS.WritableStream;
      const rl = createInterface({ input: io.stdin, output, terminal: interactive });
      if (opts.secret) {
        // Echo nothing while the secret is typed.
        (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
          if (s.startsWith(question)) output.write(s);
        };
      }
      const suffix = opts.defaultValue ? ` [${opts.defaultValue}]` : '';
      rl.question(`${question}${suffix}: `, (answer) => {
        rl.close();
        if (opts.secret) output.write('\n');
        resolve(answer.trim() || opts.defaultValue || '');
      });
      rl.once('close', () => resolve(opts.defaultValue ?? ''));
    });
  return {
    interactive,
    ask,
    async confirm(question, defaultValue = false) {
      const answer = (await ask(`${question} (${defaultValue ? 'Y/n' : 'y/N'})`)).toLowerCase();
      if (!answer) return defaultValue;
      return answer === 'y' || answer === 'yes';
    },
  };
}
