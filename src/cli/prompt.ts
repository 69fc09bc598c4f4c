// The Prompter port (commands/context.ts) over @inquirer/prompts: raw-mode prompts on the terminal, masked secrets,
// Ctrl-C mapped to the command's interruption (exit 130), and a usage error naming the flag when there is no terminal.
import type { Prompter } from '../commands/context.js';
import { usageError } from '../errors.js';

type Inquirer = typeof import('@inquirer/prompts');

/** The terminal a person answers on; absent when stdin or stderr is not a TTY. */
export interface Terminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export function createPrompter(terminal: Terminal | undefined, interrupt: () => void, signal: AbortSignal): Prompter {
  const needTerminal = (question: string, flag: string | undefined) => {
    if (terminal) return terminal;
    throw usageError(`'${question}' needs an answer, and there is no terminal to ask on.`, {
      hint: flag ? `give ${flag} instead` : 'run the command in a terminal',
    });
  };
  /** Run one prompt; Ctrl-C (inquirer's ExitPromptError) interrupts the command like SIGINT does. */
  async function prompt<T>(
    term: Terminal,
    run: (prompts: Inquirer, context: Terminal & { signal: AbortSignal }) => Promise<T>,
  ) {
    // Loaded when a question is asked: most commands never ask, and @inquirer/prompts takes ~50 ms to import.
    const prompts = await import('@inquirer/prompts');
    try {
      return await run(prompts, { ...term, signal });
    } catch (err) {
      if (err instanceof Error && err.name === 'ExitPromptError') interrupt();
      throw err;
    }
  }
  return {
    interactive: terminal !== undefined,
    async ask(question, options = {}) {
      const term = needTerminal(question, options.flag);
      const answer = await prompt(term, ({ input, password }, context) =>
        options.secret
          ? password({ message: question, mask: '*', toggleMask: false }, context)
          : input({ message: question, default: options.defaultValue }, context),
      );
      return answer.trim() || options.defaultValue || '';
    },
    async confirm(question, defaultValue = false, options = {}) {
      const term = needTerminal(question, options.flag);
      return prompt(term, ({ confirm }, context) => confirm({ message: question, default: defaultValue }, context));
    },
  };
}
