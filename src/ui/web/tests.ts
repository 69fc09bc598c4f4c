// Tests: the last verify/test results (.sesam/last-results.json): per spec pass/fail, the entity-level diff with
// the changed fields marked, pipes that failed to run, and bisect verdicts from git notes.
import { Fragment, h } from 'preact';
import { useState } from 'preact/hooks';
import { getJson } from './api.js';
import { Badge, loaded, short, useLoad, WordDiff } from './common.js';
import type { BisectVerdict, ResultsPage, SpecDiffJson, SpecJson } from './types.js';

export function TestsPage() {
  const [load] = useLoad(() => getJson<ResultsPage>('/api/results'), []);
  return h(
    'section',
    { class: 'page tests' },
    loaded(load, ({ results, bisect }: ResultsPage) =>
      h(
        Fragment,
        null,
        results
          ? h(ResultsView, { results })
          : h('p', { class: 'muted', id: 'no-results' }, 'No results yet: run `sesam verify` or `sesam test`.'),
        bisect.length ? h(BisectTable, { verdicts: bisect }) : null,
      ),
    ),
  );
}

function ResultsView({ results }: { results: NonNullable<ResultsPage['results']> }) {
  const ok = results.ok ?? (results.failed === 0 && results.missing.length === 0);
  return h(
    Fragment,
    null,
    h(
      'div',
      { class: `summary ${ok ? 'ok' : 'failed'}`, id: 'results-summary' },
      h('strong', null, ok ? 'All specs pass' : 'Differences found'),
      ` — ${results.passed} passed, ${results.failed} failed, ${results.ignored} ignored`,
      results.missing.length ? `, ${results.missing.length} output pipe(s) without a spec` : '',
      results.generatedAt || results.command
        ? h(
            'div',
            { class: 'muted' },
            [results.command, results.generatedAt && new Date(results.generatedAt).toLocaleString()]
              .filter(Boolean)
              .join(' · '),
          )
        : null,
    ),
    results.pipeFailures?.length
      ? h(
          'div',
          { class: 'pipe-failures' },
          h('h3', null, 'Pipes that failed to run'),
          h(
            'ul',
            null,
            results.pipeFailures.map((f) => h('li', null, h('strong', null, f.pipe), `: ${f.reason}`)),
          ),
        )
      : null,
    results.missing.length
      ? h('p', { class: 'warning' }, `Output pipes without a test spec: ${results.missing.join(', ')}`)
      : null,
    results.warnings.map((w) => h('p', { class: 'warning' }, w)),
    h(
      'ul',
      { class: 'specs' },
      [...results.specs]
        .sort((a, b) => Number(b.status === 'failed') - Number(a.status === 'failed'))
        .map((spec) => h(SpecRow, { spec })),
    ),
  );
}

function SpecRow({ spec }: { spec: SpecJson }) {
  const [open, setOpen] = useState(spec.status === 'failed');
  return h(
    'li',
    { class: `spec ${spec.status}`, 'data-spec': spec.id },
    h(
      'div',
      { class: 'spec-head', onClick: () => setOpen(!open) },
      h(Badge, { kind: spec.status }),
      h('strong', null, spec.id),
      h('span', { class: 'muted' }, ` pipe ${spec.pipe} · ${spec.file} · ${spec.endpoint}`),
      spec.summary ? h('div', { class: 'spec-summary' }, spec.summary) : null,
    ),
    open && spec.diff ? h(SpecDiffView, { diff: spec.diff }) : null,
  );
}

const entityText = (e: unknown) => JSON.stringify(e, null, 2);

function SpecDiffView({ diff }: { diff: SpecDiffJson }) {
  if (diff.kind === 'problem') return h('p', { class: 'error' }, diff.message);
  if (diff.kind === 'text') {
    return h(
      'pre',
      { class: 'unified' },
      (diff.unified ?? '')
        .split('\n')
        .map((line) =>
          h('div', { class: line.startsWith('+') ? 'ins' : line.startsWith('-') ? 'del' : '' }, line || ' '),
        ),
      diff.note ? h('div', { class: 'muted' }, diff.note) : null,
    );
  }
  return h(
    'div',
    { class: 'entity-diff' },
    h('p', { class: 'muted' }, `expected ${diff.expectedCount} entities, got ${diff.actualCount}`),
    diff.changed?.length
      ? h(
          'table',
          { class: 'changed-fields' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['entity', 'field', 'expected → actual'].map((t) => h('th', null, t)),
            ),
          ),
          h(
            'tbody',
            null,
            diff.changed.flatMap((e) =>
              e.changes.map((c, i) =>
                h(
                  'tr',
                  { class: 'changed-field' },
                  h('td', null, i === 0 ? String(e.id) : ''),
                  h('td', null, h('code', null, c.path)),
                  h(
                    'td',
                    null,
                    c.expected !== undefined && c.actual !== undefined
                      ? h(WordDiff, { before: c.expected, after: c.actual })
                      : c.expected !== undefined
                        ? h('del', null, c.expected)
                        : h('ins', null, c.actual ?? ''),
                  ),
                ),
              ),
            ),
          ),
        )
      : null,
    diff.missing?.length
      ? h(
          'div',
          { class: 'missing' },
          h('h4', null, `Missing (expected, not produced): ${diff.missing.length}`),
          diff.missing.map((e) => h('pre', { class: 'del' }, entityText(e))),
        )
      : null,
    diff.unexpected?.length
      ? h(
          'div',
          { class: 'unexpected' },
          h('h4', null, `Unexpected (produced, not expected): ${diff.unexpected.length}`),
          diff.unexpected.map((e) => h('pre', { class: 'ins' }, entityText(e))),
        )
      : null,
  );
}

function BisectTable({ verdicts }: { verdicts: BisectVerdict[] }) {
  return h(
    'div',
    { class: 'bisect' },
    h('h3', null, 'Bisect verdicts'),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['snapshot', 'verdict', 'detail'].map((t) => h('th', null, t)),
        ),
      ),
      h(
        'tbody',
        null,
        verdicts.map((v) =>
          h(
            'tr',
            null,
            h('td', null, h('code', null, short(v.commit)), ' ', v.subject ?? ''),
            h('td', null, h(Badge, { kind: v.verdict })),
            h('td', null, [v.reason, Array.isArray(v.failed) ? v.failed.join(', ') : null].filter(Boolean).join(' ')),
          ),
        ),
      ),
    ),
  );
}
