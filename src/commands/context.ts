// What every command receives. Commands are plain async functions of this context: they never touch
// `process` or commander, so tests call them directly or through main().
import type { Options } from '../cli/options.js';
import type { Logger, Output } from '../log.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Questions to the person at the terminal (on stderr; stdout stays results). Without a terminal every question is
 * a usage error that names `flag`, the way to give the answer in a script. Ctrl-C at a question interrupts the
 * command (exit 130) before anything is written.
 */
export interface Prompter {
  /** True when a person can answer (stdin and stderr are terminals). */
  readonly interactive: boolean;
  /** A line of text; `secret` shows `*` for each character typed, never the text. */
  ask(question: string, options?: { secret?: boolean; defaultValue?: string; flag?: string }): Promise<string>;
  confirm(question: string, defaultValue?: boolean, options?: { flag?: string }): Promise<boolean>;
}

export interface CommandContext {
  /** The command word, lowercased. */
  command: string;
  /** Positional arguments after the command word. */
  args: string[];
  options: Options;
  /** The project directory (the current directory). */
  cwd: string;
  env: Env;
  /** Results: stdout. */
  out: Output;
  /** Logs and progress: stderr. */
  log: Logger;
  /** Aborted on Ctrl-C; long operations check it and put the node back. */
  signal: AbortSignal;
  prompt: Prompter;
  /** Standard input, for commands that read data from `-` (e.g. `dtl eval --batch -`). */
  stdin?: NodeJS.ReadableStream;
}

/** A command returns its exit code (0 when it returns nothing) or throws a SesamError. */
export type Command = (ctx: CommandContext) => Promise<number | undefined> | Promise<void>;
