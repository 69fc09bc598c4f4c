// History: the snapshot timeline of each node branch, the structured diff of two versions (snapshots, any git
// revision or the work tree) with a side-by-side view, and restore with a confirmation.
import { Fragment, h } from 'preact';
import { useState } from 'preact/hooks';
import { getJson, postJson } from './api.js';
import { Badge, ErrorBox, loaded, SideBySide, short, showValue, useLoad } from './common.js';
import type { Counts, ItemDiff, Snapshot, Timeline, VersionDiff, VersionInfo } from './types.js';

const WORK_TREE = 'worktree';

const countText = (label: string, c: Counts) =>
  c.added + c.removed + c.changed ? `${label} +${c.added} −${c.removed} ~${c.changed}` : '';

export function HistoryPage() {
  const [timeline, reload] = useLoad(() => getJson<Timeline>('/api/snapshots'), []);
  const [pipe, setPipe] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [range, setRange] = useState<{ from: string; to: string } | undefined>();
  const [restoring, setRestoring] = useState<Snapshot | undefined>();

  const toggle = (commit: string) =>
    setPicked((p) => (p.includes(commit) ? p.filter((c) => c !== commit) : [...p.slice(-1), commit]));
  const comparePicked = (snapshots: Snapshot[]) => {
    if (!picked.length) return;
    // Older first: the timeline is newest first.
    const order = (c: string) => -snapshots.findIndex((s) => s.commit === c);
    const [a, b] = [...picked].sort((x, y) => order(x) - order(y));
    setRange({ from: a!, to: b ?? WORK_TREE });
  };

  return h(
    'section',
    { class: 'page history' },
    loaded(timeline, (t: Timeline) => {
      const pipes = [...new Set(t.snapshots.flatMap((s) => s.changedPipes))].sort();
      const shown = pipe ? t.snapshots.filter((s) => s.changedPipes.includes(pipe)) : t.snapshots;
      return h(
        Fragment,
        null,
        h(
          'div',
          { class: 'toolbar' },
          h(
            'label',
            null,
            'Pipe ',
            h(
              'select',
              {
                id: 'pipe-filter',
                value: pipe,
                onChange: (e: Event) => setPipe((e.target as HTMLSelectElement).value),
              },
              h('option', { value: '' }, 'all pipes'),
              pipes.map((p) => h('option', { value: p }, p)),
            ),
          ),
          h(
            'button',
            { id: 'compare', disabled: !picked.length, onClick: () => comparePicked(t.snapshots) },
            picked.length === 2
              ? 'Compare the two picked'
              : picked.length === 1
                ? 'Compare with the work tree'
                : 'Pick one or two',
          ),
          h(RevisionForm, { onCompare: setRange }),
        ),
        t.snapshots.length
          ? t.branches.map((branch) =>
              h(BranchTimeline, {
                branch,
                snapshots: shown.filter((s) => s.branch === branch),
                picked,
                onToggle: toggle,
                onShow: (s: Snapshot) => setRange({ from: s.parent ?? s.commit, to: s.commit }),
                onRestore: setRestoring,
              }),
            )
          : h('p', { class: 'muted' }, 'No snapshots yet: `sesam download`, `update` and `restore` record them.'),
      );
    }),
    range ? h(DiffView, { key: `${range.from}..${range.to}`, ...range }) : null,
    restoring
      ? h(RestoreDialog, {
          snapshot: restoring,
          onClose: (changed: boolean) => {
            setRestoring(undefined);
            if (changed) reload();
          },
        })
      : null,
  );
}

function RevisionForm({ onCompare }: { onCompare: (r: { from: string; to: string }) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  return h(
    'form',
    {
      class: 'revisions',
      onSubmit: (e: Event) => {
        e.preventDefault();
        if (from.trim()) onCompare({ from: from.trim(), to: to.trim() || WORK_TREE });
      },
    },
    h('input', {
      id: 'rev-from',
      placeholder: 'from: any git revision',
      value: from,
      onInput: (e: Event) => setFrom((e.target as HTMLInputElement).value),
    }),
    h('input', {
      id: 'rev-to',
      placeholder: 'to: revision (empty: work tree)',
      value: to,
      onInput: (e: Event) => setTo((e.target as HTMLInputElement).value),
    }),
    h('button', { type: 'submit' }, 'Diff'),
  );
}

function BranchTimeline(props: {
  branch: string;
  snapshots: Snapshot[];
  picked: string[];
  onToggle: (commit: string) => void;
  onShow: (s: Snapshot) => void;
  onRestore: (s: Snapshot) => void;
}) {
  return h(
    'div',
    { class: 'branch' },
    h('h2', null, `sesam-snapshots/${props.branch}`),
    props.snapshots.length
      ? h(
          'table',
          { class: 'timeline' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['', 'snapshot', 'command', 'time', 'who', 'changes', ''].map((t) => h('th', null, t)),
            ),
          ),
          h(
            'tbody',
            null,
            props.snapshots.map((s) =>
              h(
                'tr',
                { class: props.picked.includes(s.commit) ? 'snapshot picked' : 'snapshot', 'data-commit': s.commit },
                h(
                  'td',
                  null,
                  h('input', {
                    type: 'checkbox',
                    'aria-label': `pick ${short(s.commit)}`,
                    checked: props.picked.includes(s.commit),
                    onChange: () => props.onToggle(s.commit),
                  }),
                ),
                h('td', null, h('code', null, short(s.commit)), h('div', { class: 'subject' }, s.subject)),
                h('td', null, h(Badge, { kind: 'command', text: s.command ?? '?' })),
                h('td', null, new Date(s.date).toLocaleString()),
                h('td', null, s.author),
                h(
                  'td',
                  { class: 'counts' },
                  [countText('pipes', s.pipes), countText('systems', s.systems)].filter(Boolean).join(', ') || '—',
                  s.restoredFrom ? h('div', { class: 'muted' }, `restored from ${short(s.restoredFrom)}`) : null,
                ),
                h(
                  'td',
                  { class: 'actions' },
                  h('button', { class: 'show', onClick: () => props.onShow(s) }, 'Changes'),
                  h('button', { class: 'restore', onClick: () => props.onRestore(s) }, 'Restore…'),
                ),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No snapshot of this branch changed that pipe.'),
  );
}

function ChangeList({ changes }: { changes: NonNullable<ItemDiff['changes']> }) {
  return h(
    'ul',
    { class: 'changes' },
    changes.map((c) =>
      h(
        'li',
        { class: c.kind },
        h('code', { class: 'path' }, c.path),
        ': ',
        c.kind === 'added'
          ? h('ins', null, showValue(c.after))
          : c.kind === 'removed'
            ? h('del', null, showValue(c.before))
            : h(Fragment, null, h('del', null, showValue(c.before)), ' → ', h('ins', null, showValue(c.after))),
      ),
    ),
  );
}

/** `e51530f`, `main (ba7fdf7)` or `work tree`. */
function versionLabel(v: VersionInfo): string {
  if (!v.commit) return v.rev;
  return v.commit.startsWith(v.rev) ? short(v.commit) : `${v.rev} (${short(v.commit)})`;
}

function DiffItem({ item, diff }: { item: ItemDiff; diff: VersionDiff }) {
  const [open, setOpen] = useState(false);
  const text = diff.texts[item.file];
  const name = item.id ?? item.file;
  const entityCounts =
    item.added !== undefined
      ? `${item.added.length} added, ${item.removed!.length} removed, ${item.changed!.length} changed entities`
      : '';
  return h(
    'li',
    { class: 'diff-item', 'data-id': name },
    h(
      'div',
      { class: 'item-head' },
      h(Badge, { kind: item.status }),
      h('strong', null, name),
      item.id && item.id !== item.file ? h('span', { class: 'muted' }, ` ${item.file}`) : null,
      entityCounts ? h('span', { class: 'muted' }, ` — ${entityCounts}`) : null,
      item.note ? h('span', { class: 'muted' }, ` (${item.note})`) : null,
      text && !text.omitted
        ? h('button', { class: 'toggle-json', onClick: () => setOpen(!open) }, open ? 'Hide JSON' : 'Side by side')
        : null,
    ),
    item.changes?.length ? h(ChangeList, { changes: item.changes }) : null,
    item.changed?.length
      ? h(
          'ul',
          { class: 'entities' },
          item.changed.map((e) => h('li', null, h('strong', null, e.id), h(ChangeList, { changes: e.changes }))),
        )
      : null,
    item.added?.length ? h('div', { class: 'ids added' }, `+ ${item.added.join(', ')}`) : null,
    item.removed?.length ? h('div', { class: 'ids removed' }, `− ${item.removed.join(', ')}`) : null,
    open && text
      ? h(SideBySide, {
          before: text.before ?? '',
          after: text.after ?? '',
          labels: [versionLabel(diff.from), versionLabel(diff.to)],
        })
      : null,
  );
}

function DiffView({ from, to }: { from: string; to: string }) {
  const [load] = useLoad(() => getJson<VersionDiff>('/api/diff', { from, to }), [from, to]);
  const label = (rev: string) => (rev === WORK_TREE ? 'work tree' : /^[0-9a-f]{40}$/.test(rev) ? short(rev) : rev);
  return h(
    'div',
    { class: 'diff', id: 'diff' },
    h('h2', null, `Diff ${label(from)} → ${label(to)}`),
    loaded(load, (d: VersionDiff) => {
      const sections: [string, ItemDiff[]][] = [
        ['Pipes', d.pipes],
        ['Systems', d.systems],
        ['Expected', d.expected],
        ['Test data', d.testdata],
        ['Other files', d.files],
      ];
      const any = sections.some(([, items]) => items.length);
      return h(
        Fragment,
        null,
        any ? null : h('p', { class: 'muted' }, 'No changes.'),
        sections
          .filter(([, items]) => items.length)
          .map(([title, items]) =>
            h(
              'div',
              { class: 'diff-section' },
              h('h3', null, title),
              h(
                'ul',
                null,
                items.map((item) => h(DiffItem, { item, diff: d })),
              ),
            ),
          ),
        d.formattingOnly.length
          ? h('p', { class: 'muted' }, `Formatting differs only: ${d.formattingOnly.join(', ')}`)
          : null,
      );
    }),
  );
}

interface RestorePlan {
  commit: string;
  node: string;
  config: { summary: { pipes: Counts; systems: Counts } };
  env: unknown[] | null;
  uploaded?: boolean;
  snapshot?: string | null;
}

function RestoreDialog({ snapshot, onClose }: { snapshot: Snapshot; onClose: (changed: boolean) => void }) {
  const [plan] = useLoad(
    () => postJson<RestorePlan>('/api/restore', { rev: snapshot.commit, dryRun: true }),
    [snapshot.commit],
  );
  const [state, setState] = useState<{ busy?: boolean; done?: RestorePlan; error?: Error }>({});
  const confirm = () => {
    setState({ busy: true });
    postJson<RestorePlan>('/api/restore', { rev: snapshot.commit, dryRun: false }).then(
      (done) => setState({ done }),
      (error: Error) => setState({ error }),
    );
  };
  return h(
    'div',
    { class: 'modal-backdrop' },
    h(
      'div',
      { class: 'modal', role: 'dialog', 'aria-label': 'Restore' },
      h('h2', null, `Restore ${short(snapshot.commit)}`),
      h('p', { class: 'subject' }, snapshot.subject),
      loaded(plan, (p: RestorePlan) =>
        h(
          'div',
          null,
          h(
            'p',
            null,
            `This uploads that configuration to `,
            h('strong', null, p.node),
            ' and records a new snapshot.',
          ),
          h(
            'p',
            { class: 'plan' },
            [countText('pipes', p.config.summary.pipes), countText('systems', p.config.summary.systems)]
              .filter(Boolean)
              .join(', ') || 'The node already has this configuration.',
            p.env?.length ? `; ${p.env.length} env variable(s) change` : '',
          ),
        ),
      ),
      state.error ? h(ErrorBox, { error: state.error }) : null,
      state.done
        ? h(
            'p',
            { class: 'done' },
            state.done.uploaded ? 'Restored.' : 'Nothing to upload.',
            state.done.snapshot ? ` Recorded snapshot ${short(state.done.snapshot)}.` : '',
          )
        : null,
      h(
        'div',
        { class: 'buttons' },
        state.done
          ? h('button', { class: 'primary', onClick: () => onClose(true) }, 'Close')
          : h(
              Fragment,
              null,
              h('button', { onClick: () => onClose(false), disabled: state.busy }, 'Cancel'),
              h(
                'button',
                {
                  class: 'primary danger',
                  id: 'confirm-restore',
                  onClick: confirm,
                  disabled: state.busy || plan.state !== 'ok',
                },
                state.busy ? 'Restoring…' : 'Restore',
              ),
            ),
      ),
    ),
  );
}
