// The one error taxonomy of the tool. Every failure a user can cause or meet is a SesamError of one kind;
// src/cli/main.ts maps kinds to exit codes in one place (exitCodeFor) and prints `message` plus `Reason:`.

export type ErrorKind =
  | 'differences' // verify/test found differences (exit 1)
  | 'usage' // bad flag, bad command line (exit 2)
  | 'input' // local input: invalid JSON file, missing config, unknown pipe in the project (exit 2)
  | 'node' // node unreachable, 401/403, not developer mode, 5xx, pipe failed (exit 3)
  | 'git' // git failures in snapshots (exit 4)
  | 'untestable' // bisect: this revision could not be tested (exit 125 with --bisect-exit-codes, else 3)
  | 'interrupted'; // Ctrl-C (exit 130)

export const EXIT_CODES: Record<ErrorKind | 'ok' | 'internal', number> = {
  ok: 0,
  differences: 1,
  usage: 2,
  input: 2,
  node: 3,
  git: 4,
  untestable: 3,
  interrupted: 130,
  internal: 70,
};

export interface ErrorDetails {
  /** The underlying cause, printed on a `Reason:` line. */
  reason?: string;
  /** A follow-up suggestion, printed on a `Hint:` line. */
  hint?: string;
  /** For node errors: the HTTP status, when there was a response. */
  status?: number;
  /** Location in a local file, for editor/CI annotations. */
  file?: string;
  line?: number;
  column?: number;
  cause?: unknown;
}

export class SesamError extends Error {
  readonly kind: ErrorKind;
  readonly reason?: string;
  readonly hint?: string;
  readonly status?: number;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SesamError';
    this.kind = kind;
    this.reason = details.reason;
    this.hint = details.hint;
    this.status = details.status;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
  }
}

export const usageError = (message: string, details?: ErrorDetails) => new SesamError('usage', message, details);
export const inputError = (message: string, details?: ErrorDetails) => new SesamError('input', message, details);
export const nodeError = (message: string, details?: ErrorDetails) => new SesamError('node', message, details);
export const gitError = (message: string, details?: ErrorDetails) => new SesamError('git', message, details);
export const differencesFound = (message: string, details?: ErrorDetails) =>
  new SesamError('differences', message, details);

export function isSesamError(err: unknown): err is SesamError {
  return err instanceof SesamError;
}

export function exitCodeFor(err: unknown, options: { bisectExitCodes?: boolean } = {}): number {
  if (!isSesamError(err)) return EXIT_CODES.internal;
  if (err.kind === 'untestable' && options.bisectExitCodes) return 125;
  return EXIT_CODES[err.kind];
}

/** The message of any thrown value, for `Reason:` lines. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
