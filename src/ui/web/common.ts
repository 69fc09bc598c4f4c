// Small pieces every page uses: loading state, error box, status badges, value display, side-by-side text.
import { diffLines, diffWords } from 'diff';
import { type ComponentChildren, h } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export type Load<T> = { state: 'loading' } | { state: 'ok'; value: T } | { state: 'error'; error: ApiError | Error };

/** Run `fetcher` whenever a key changes; `reload` runs it again. */
export function useLoad<T>(fetcher: () => Promise<T>, keys: unknown[]): [Load<T>, () => void] {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    fetcher().then(
      (value) => live && setLoad({ state: 'ok', value }),
      (error: Error) => live && setLoad({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [...keys, tick]);
  return [load, () => setTick((t) => t + 1)];
}

export function ErrorBox({ error }: { error: Error }) {
  const detail = error instanceof ApiError ? error.detail : undefined;
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', null, error.message),
    detail ? h('div', null, detail) : null,
  );
}

/** What `load` holds: a loading line, the error, or `show(value)`. */
export function loaded<T>(load: Load<T>, show: (value: T) => ComponentChildren): ComponentChildren {
  if (load.state === 'loading') return h('p', { class: 'muted' }, 'Loading…');
  if (load.state === 'error') return h(ErrorBox, { error: load.error });
  return show(load.value);
}

export function Badge({ kind, text }: { kind: string; text?: string }) {
  return h('span', { class: `badge ${kind}` }, text ?? kind);
}

export const short = (commit: string | null | undefined) => (commit ? commit.slice(0, 7) : '');

export function showValue(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
}

/** expected → actual with the differing words marked (both are JSON text). */
export function WordDiff({ before, after }: { before: string; after: string }) {
  const parts = diffWords(before, after);
  return h(
    'span',
    { class: 'word-diff' },
    parts.map((p) => h(p.added ? 'ins' : p.removed ? 'del' : 'span', null, p.value)),
  );
}

interface Row {
  left?: { n: number; text: string; mark: boolean };
  right?: { n: number; text: string; mark: boolean };
}

/** Two texts side by side, line by line, with removed lines marked left and added lines marked right. */
export function sideBySideRows(before: string, after: string): Row[] {
  const rows: Row[] = [];
  let ln = 1;
  let rn = 1;
  const lines = (value: string) => value.replace(/\n$/, '').split('\n');
  const changes = diffLines(before, after);
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    if (!change.added && !change.removed) {
      for (const text of lines(change.value))
        rows.push({ left: { n: ln++, text, mark: false }, right: { n: rn++, text, mark: false } });
      continue;
    }
    // Pair a removal with the addition that follows it, so a changed line sits next to its new version.
    const removed = change.removed ? lines(change.value) : [];
    const next = change.removed && changes[i + 1]?.added ? changes[++i]! : change.added ? change : undefined;
    const added = next ? lines(next.value) : [];
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push({
        left: k < removed.length ? { n: ln++, text: removed[k]!, mark: true } : undefined,
        right: k < added.length ? { n: rn++, text: added[k]!, mark: true } : undefined,
      });
    }
  }
  return rows;
}

export function SideBySide({ before, after, labels }: { before: string; after: string; labels: [string, string] }) {
  const cell = (side: Row['left'], cls: string) =>
    side
      ? [h('td', { class: 'ln' }, String(side.n)), h('td', { class: side.mark ? `code ${cls}` : 'code' }, side.text)]
      : [h('td', { class: 'ln' }), h('td', { class: 'code empty' })];
  return h(
    'table',
    { class: 'side-by-side' },
    h('colgroup', null, h('col', { class: 'ln' }), h('col', null), h('col', { class: 'ln' }), h('col', null)),
    h('thead', null, h('tr', null, h('th', { colSpan: 2 }, labels[0]), h('th', { colSpan: 2 }, labels[1]))),
    h(
      'tbody',
      null,
      sideBySideRows(before, after).map((row) => h('tr', null, ...cell(row.left, 'del'), ...cell(row.right, 'ins'))),
    ),
  );
}
