// The command line → options and words, from the option table alone: sesam-py's spellings are rewritten first
// (legacy.ts), then commander (the team's chosen parser) reads GNU-style options (`--name`, `--name=value`,
// `--name value`, `-x`) anywhere on the line. Defaults and the Options shape still come from the table (buildOptions).
import { Command, CommanderError, Option } from 'commander';
import { rewriteLegacy, UnknownLegacyFlag } from './legacy.js';
import { buildOptions, OPTION_SPECS, type Options, type OptionSpec, takesValue } from './options.js';

/** A command line that cannot be read; the message is one line naming the flag. */
export class ArgError extends Error {}

export interface ParsedArgs {
  options: Options;
  /** The command and its arguments (`help` first when -h/--help was given). */
  words: string[];
  /** Long names of the options given, in order of first appearance. */
  given: string[];
  /** The subset of `given` that was spelled sesam-py's way (accepted with any command, as sesam-py does). */
  legacyGiven: Set<string>;
}

type Value = string | number | boolean;

const byLong = new Map(OPTION_SPECS.map((s) => [s.name, s]));

/** Parse argv (sesam-py spellings included) against the option table. Throws ArgError with a one-line message. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let rewritten: ReturnType<typeof rewriteLegacy>;
  try {
    rewritten = rewriteLegacy(argv);
  } catch (err) {
    if (err instanceof UnknownLegacyFlag) throw new ArgError(`unknown option '${err.message}'`);
    throw err;
  }
  const values = new Map<string, Value>();
  const program = buildProgram(values);
  try {
    program.parse(rewritten.args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) throw translate(err);
    throw err;
  }
  const help = values.delete('help');
  const options = buildOptions(values);
  options.ignoredGiven = OPTION_SPECS.filter((s) => s.ignored && values.has(s.name)).map((s) => s.name);
  const words = [...program.args];
  if (help) words.unshift('help');
  return { options, words, given: [...values.keys()], legacyGiven: rewritten.legacyGiven };
}

/**
 * One commander option per table entry. commander's own value store keys by attribute name (camelCased dashes
 * only, and `--no-color` shares `color` with `--color`), so each option's value is copied under its table name
 * into `values` as it is read; the Map's insertion order is the order of first appearance.
 */
function buildProgram(values: Map<string, Value>): Command {
  const program = new Command('sesam')
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .helpOption(false)
    .showSuggestionAfterError(false)
    .allowUnknownOption(false)
    .allowExcessArguments(true)
    .argument('[words...]');
  const specs: OptionSpec[] = [...OPTION_SPECS, { name: 'help', short: 'h', type: 'flag', group: 'global', help: '' }];
  for (const spec of specs) {
    const value = takesValue(spec) ? ` <${spec.metavar ?? 'VALUE'}>` : '';
    const option = new Option(`${spec.short ? `-${spec.short}, ` : ''}--${spec.name}${value}`, spec.help);
    if (spec.type === 'count') option.argParser((_: string, previous: number | undefined) => (previous ?? 0) + 1);
    if (spec.type === 'int') option.argParser((raw: string) => parseInteger(spec, raw));
    if (spec.type === 'float') option.argParser((raw: string) => parseNumber(spec, raw));
    program.addOption(option);
    // Registered after addOption's own listener, so commander has stored the (parsed) value by now.
    program.on(`option:${option.name()}`, () => {
      values.set(spec.name, option.negate ? true : (program.getOptionValue(option.attributeName()) as Value));
    });
  }
  return program;
}

/** commander's errors → the one-line messages sesam has always given (naming the flag as the table spells it). */
function translate(err: CommanderError): ArgError {
  const message = err.message.replace(/^error: /, '').split('\n')[0]!;
  if (err.code === 'commander.unknownOption') {
    const flag = /'(.*)'/s.exec(message)?.[1] ?? message;
    const [name, inline] = flag.startsWith('--') ? [flag.slice(2).split('=')[0]!, flag.includes('=')] : [flag, false];
    const spec = byLong.get(name);
    if (inline && (spec || name === 'help')) return new ArgError(`option '--${name}' takes no value`);
    return new ArgError(`unknown option '${inline ? `--${name}` : flag}'`);
  }
  if (err.code === 'commander.optionMissingArgument') {
    const long = /--([^\s<]+) </.exec(message)?.[1];
    const spec = long === undefined ? undefined : byLong.get(long);
    if (spec) return new ArgError(`option '--${spec.name} ${spec.metavar ?? 'VALUE'}' argument missing`);
  }
  return new ArgError(message);
}

// Thrown as ArgError (not commander's InvalidArgumentError) so the message stays this one sentence.
function parseInteger(spec: OptionSpec, value: string): number {
  if (!/^-?\d+$/.test(value.trim())) throw new ArgError(`--${spec.name} takes a whole number, not '${value}'.`);
  return Number.parseInt(value, 10);
}

function parseNumber(spec: OptionSpec, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new ArgError(`--${spec.name} takes a number, not '${value}'.`);
  return n;
}
