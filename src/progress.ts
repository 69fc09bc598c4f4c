// Progress of long operations (test-data upload, config upload/download, run-until-stable, verify, bisect).
// Core modules report through this interface; src/cli/progress.ts draws it on a terminal's stderr, and nothing
// is shown anywhere else (a pipe, a CI log, --no-progress).

export interface ProgressTask {
  /** How much is done, and what is being worked on now (a pipe, a file). */
  update(done: number, detail?: string): void;
  /** One more done. */
  increment(detail?: string): void;
  setTotal(total: number): void;
  /** Remove the display (idempotent). */
  stop(): void;
}

export interface Progress {
  /** Show a long operation; `total` when the number of steps is known. A new task replaces a running one. */
  start(label: string, total?: number): ProgressTask;
}

const NO_TASK: ProgressTask = { update() {}, increment() {}, setTotal() {}, stop() {} };

export const NO_PROGRESS: Progress = { start: () => NO_TASK };

/** The progress of a command context, which tests and embedders may leave out. */
export function progressOf(ctx: { progress?: Progress }): Progress {
  return ctx.progress ?? NO_PROGRESS;
}

/** Run `work` with a progress task that is stopped however the work ends. */
export async function withProgress<T>(
  ctx: { progress?: Progress },
  label: string,
  total: number | undefined,
  work: (task: ProgressTask) => Promise<T>,
): Promise<T> {
  const task = progressOf(ctx).start(label, total);
  try {
    return await work(task);
  } finally {
    task.stop();
  }
}
