// The command line → options and words, from the option table alone: sesam-py's spellings are rewritten first
// (legacy.ts), then GNU-style options (`--name`, `--name=value`, `--name value`, `-x`) are read anywhere on the line.
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

const byLong = new Map(OPTION_SPECS.map((s) => [s.name, s]));
const byShort = new Map(OPTION_SPECS.filter((s) => s.short).map((s) => [s.short, s]));

/** Parse argv (sesam-py spellings included) against the option table. Throws ArgError with a one-line message. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let rewritten: ReturnType<typeof rewriteLegacy>;
  try {
    rewritten = rewriteLegacy(argv);
  } catch (err) {
    if (err instanceof UnknownLegacyFlag) throw new ArgError(`unknown option '${err.message}'`);
    throw err;
  }
  const args = rewritten.args;
  const values = new Map<string, string | number | boolean>();
  const words: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      words.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const long = /^--([^=]+)(?:=(.*))?$/s.exec(arg);
    const short = /^-([A-Za-z])$/.exec(arg);
    if (!long && !short) {
      words.push(arg);
      continue;
    }
    const spec = long ? byLong.get(long[1]!) : byShort.get(short![1]!);
    if (!spec) throw new ArgError(`unknown option '${long ? `--${long[1]}` : arg}'`);
    const inline = long?.[2];
    if (!takesValue(spec)) {
      if (inline !== undefined) throw new ArgError(`option '--${spec.name}' takes no value`);
      values.set(spec.name, spec.type === 'count' ? Number(values.get(spec.name) ?? 0) + 1 : true);
      continue;
    }
    const raw = inline ?? args[++i];
    if (raw === undefined) throw new ArgError(`option '--${spec.name} ${spec.metavar ?? 'VALUE'}' argument missing`);
    values.set(spec.name, convert(spec, raw));
  }
  const options = buildOptions(values);
  options.ignoredGiven = OPTION_SPECS.filter((s) => s.ignored && values.has(s.name)).map((s) => s.name);
  if (help) words.unshift('help');
  return { options, words, given: [...values.keys()], legacyGiven: rewritten.legacyGiven };
}

function convert(spec: OptionSpec, value: string): string | number {
  if (spec.type === 'int') {
    if (!/^-?\d+$/.test(value.trim())) throw new ArgError(`--${spec.name} takes a whole number, not '${value}'.`);
    return Number.parseInt(value, 10);
  }
  if (spec.type === 'float') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new ArgError(`--${spec.name} takes a number, not '${value}'.`);
    return n;
  }
  return value;
}
