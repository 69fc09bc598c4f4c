import { describe, expect, it } from 'vitest';
import { progressLine, terminalProgress } from '../../src/cli/progress.js';
import { parseJson, type JsonValue } from '../../src/format/json.js';
import { useFakeNode } from '../helpers/msw-node.js';
import { outputPipeProject } from '../helpers/msw-verify.js';
import { runMain } from '../helpers/run-main.js';

const node = useFakeNode();
const LABELS = /Uploading config|Running pipes until stable|Verifying [░█]/;

function project() {
  node.pipeEntities.set('out', parseJson('[{"_id":"a"}]') as JsonValue[]);
  return outputPipeProject('[{"_id":"a"}]');
}

describe('progress', () => {
  it('draws the label, a bar with counts, the current item and the elapsed time; nested tasks inside', () => {
    const t0 = 1_000_000;
    const bisect = { label: 'Bisecting', total: 4, done: 1, started: t0 };
    const verify = { label: 'Verifying', total: 4, done: 2, detail: 'person', started: t0 + 5000 };
    expect(progressLine([verify], t0 + 7000)).toBe('Verifying ██████████░░░░░░░░░░ 2/4 person 2s');
    expect(progressLine([bisect, verify], t0 + 7000)).toBe(
      'Bisecting 1/4 › Verifying ██████████░░░░░░░░░░ 2/4 person 7s',
    );
    expect(progressLine([{ label: 'Running pipes until stable', done: 0, started: t0 }], t0)).toBe(
      'Running pipes until stable 0s',
    );
  });

  it('prints nothing progress-like to a stderr that is not a terminal', async () => {
    const r = await runMain(['test'], { cwd: project(), env: node.env() });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(LABELS);
    expect(r.stderr).not.toMatch(/[\r\x1b]/);
  });

  it('prints nothing with --no-progress on a terminal', async () => {
    const r = await runMain(['test', '--no-progress'], {
      cwd: project(),
      env: { ...node.env(), NO_COLOR: '1' },
      stderrIsTTY: true,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(LABELS);
    expect(r.stderr).not.toMatch(/[\r\x1b]/);
  });

  it('draws on a terminal stderr and clears the line when done', async () => {
    const r = await runMain(['test'], { cwd: project(), env: { ...node.env(), NO_COLOR: '1' }, stderrIsTTY: true });
    expect(r.code).toBe(0);
    for (const label of ['Uploading config', 'Running pipes until stable', 'Verifying ░'])
      expect(r.stderr).toContain(label);
    // Every log line starts on a cleared line, and nothing is drawn after the last clear.
    expect(r.stderr).toMatch(/\r\x1b\[KDeploying \d+ pipes\.\.\.\n/);
    const tail = r.stderr.slice(r.stderr.lastIndexOf('\x1b[2K'));
    expect(tail).not.toMatch(LABELS);
  });

  it('keeps log lines whole while a task is drawn, and stops every task at close', () => {
    let out = '';
    const tty = {
      write(s: string) {
        out += s;
        return true;
      },
      isTTY: true,
      columns: 80,
    };
    const bars = terminalProgress(tty, true);
    const task = bars.progress.start('Uploading test data', 3);
    task.increment('a.json');
    bars.stream.write('a log line\n');
    expect(out).toContain('\r\x1b[Ka log line\n');
    bars.close();
    task.increment(); // after close: ignored, draws nothing
    const end = out.length;
    task.stop();
    expect(out.length).toBe(end);
    expect(out.slice(out.lastIndexOf('a log line'))).toMatch(/\x1b\[2K$/);
  });
});
