// The terminal side of Progress: one line on stderr drawn with cli-progress (label, bar, counts, current item,
// elapsed seconds), redrawn below any log line written meanwhile and cleared when the last task ends. A task
// started while another runs is shown inside it (`Bisect 2/4 › Uploading test data ███░ 3/8 …`). Used only when
// stderr is a terminal and --no-progress is not given; otherwise commands get NO_PROGRESS and nothing is drawn.
import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { TextStream } from '../log.js';
import { NO_PROGRESS, type Progress, type ProgressTask } from '../progress.js';

export interface TerminalProgress {
  progress: Progress;
  /** Stderr for the logger: a log line clears the progress line first and the line is drawn again after it. */
  stream: TextStream;
  /** Stop whatever is still drawn (the command ended or failed). */
  close(): void;
}

export function progressEnabled(
  stream: TextStream,
  env: Readonly<Record<string, string | undefined>>,
  off: boolean,
): boolean {
  return !off && Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

interface TaskState {
  label: string;
  total?: number;
  done: number;
  detail?: string;
  started: number;
}

const BAR_WIDTH = 20;

/** The progress line for a stack of tasks, innermost last. */
export function progressLine(tasks: readonly TaskState[], now: number): string {
  const inner = tasks[tasks.length - 1];
  if (!inner) return '';
  const outer = tasks.slice(0, -1).map((t) => `${t.label}${t.total ? ` ${t.done}/${t.total}` : ''} › `);
  const { total, done } = inner;
  const filled = total ? Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH)) : 0;
  const bar = total ? ` ${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)} ${done}/${total}` : '';
  const detail = inner.detail ? ` ${inner.detail}` : '';
  const seconds = Math.floor((now - (tasks[0]?.started ?? now)) / 1000);
  return `${outer.join('')}${inner.label}${bar}${detail} ${seconds}s`;
}

export function terminalProgress(stream: TextStream, enabled: boolean): TerminalProgress {
  if (!enabled) return { progress: NO_PROGRESS, stream, close() {} };
  // Loaded only when a bar is drawn (stderr is a terminal): ~10 ms of start-up the other runs do without.
  const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
  const tasks: TaskState[] = [];
  let bar: cliProgress.SingleBar | undefined;
  let ticks = 0;

  const redraw = () => {
    if (tasks.length === 0) {
      bar?.stop();
      bar = undefined;
      return;
    }
    if (!bar) {
      bar = new SingleBar({
        stream: stream as unknown as NodeJS.WritableStream,
        format: () => progressLine(tasks, Date.now()),
        hideCursor: true,
        clearOnComplete: true,
        // Redrawn on every tick, so the elapsed time moves and a log line written meanwhile is followed by it.
        forceRedraw: true,
        fps: 5,
        gracefulExit: false,
        linewrap: false,
      });
      bar.start(1, 0);
    }
    bar.update(++ticks % 2); // draws now (throttled by cli-progress); the text comes from `tasks`
  };

  const start = (label: string, total?: number): ProgressTask => {
    const state: TaskState = { label, total, done: 0, started: Date.now() };
    tasks.push(state);
    redraw();
    let stopped = false;
    return {
      update(done, detail) {
        if (stopped) return;
        state.done = done;
        if (detail !== undefined) state.detail = detail;
        redraw();
      },
      increment(detail) {
        this.update(state.done + 1, detail);
      },
      setTotal(value) {
        if (stopped) return;
        state.total = value;
        redraw();
      },
      stop() {
        if (stopped) return;
        stopped = true;
        const at = tasks.indexOf(state);
        if (at >= 0) tasks.splice(at, 1);
        redraw();
      },
    };
  };

  const wrapped: TextStream = {
    isTTY: stream.isTTY,
    columns: stream.columns,
    write(chunk: string) {
      if (!bar) return stream.write(chunk);
      stream.write('\r\x1b[K');
      const result = stream.write(chunk);
      // cli-progress returns to the cursor position saved at its start when it stops: move that below the line.
      stream.write('\x1b7');
      bar.render();
      return result;
    },
  };
  return {
    progress: { start },
    stream: wrapped,
    close() {
      tasks.length = 0;
      redraw();
    },
  };
}
