// `--html-report FILE`: the results of a verify/test as one self-contained HTML page for CI artifacts. Inline CSS,
// no script and no external reference, so it opens anywhere offline. Rendered from the results document (the
// `--json` document, as in .sesam/last-results.json); every value from the node is escaped.
import type { SpecDiffJson, SpecJson } from '../verify/json-document.js';
import type { ResultsDocument } from './last-results.js';

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff}
header{padding:16px 24px;border-bottom:1px solid #d0d7de}
header.ok{background:#dafbe1}header.failed{background:#ffebe9}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:0}
main{padding:8px 24px 24px}
.meta{color:#57606a;font-size:12px}
section.spec{border:1px solid #d0d7de;border-radius:6px;margin:12px 0;padding:8px 12px}
section.spec.failed{border-color:#cf222e}
.badge{display:inline-block;min-width:44px;text-align:center;border-radius:4px;padding:0 6px;margin-right:8px;
font-weight:600;font-size:12px;color:#fff}
.badge.passed{background:#1a7f37}.badge.failed{background:#cf222e}.badge.ignored{background:#9a6700}
.summary{margin:4px 0}
table{border-collapse:collapse;margin:6px 0;width:100%}
th,td{border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{margin:4px 0;padding:6px;background:#f6f8fa;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
.expected{background:#ffebe9;color:#82071e}.actual{background:#dafbe1;color:#116329}
.absent{color:#57606a;font-style:italic}
.del{color:#82071e;background:#ffebe9;display:block}.add{color:#116329;background:#dafbe1;display:block}
.hunk{color:#0550ae;display:block}
ul.notes li{margin:2px 0}
`;

export function renderHtmlReport(doc: ResultsDocument): string {
  const failedSpecs = doc.specs.filter((s) => s.status === 'failed');
  const title = `sesam ${doc.command}: ${doc.ok ? 'passed' : 'failed'}`;
  const counts = `${doc.passed} passed, ${doc.failed} failed, ${doc.ignored} ignored`;
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<header class="${doc.ok ? 'ok' : 'failed'}"><h1>${esc(title)}</h1>`,
    `<div id="counts">${esc(counts)}${doc.missing.length ? `; ${doc.missing.length} without tests` : ''}</div>`,
    `<div class="meta">node ${esc(withoutScheme(doc.node))} · ${esc(doc.generatedAt)}${
      doc.runs !== undefined ? ` · ${doc.runs} run(s)` : ''
    }${doc.seconds !== undefined ? ` · ${doc.seconds} s` : ''}</div></header><main>`,
    notes(doc),
    ...failedSpecs.map(specSection),
    ...doc.specs.filter((s) => s.status !== 'failed').map(specSection),
    '</main></body></html>',
  ];
  return `${parts.join('\n')}\n`;
}

function notes(doc: ResultsDocument): string {
  const items = [
    ...(doc.pipeFailures ?? []).map((f) => `Pipe <code>${esc(f.pipe)}</code> failed: ${esc(f.reason)}`),
    ...doc.missing.map((p) => `Pipe <code>${esc(p)}</code> has no test spec`),
    ...doc.warnings.map((w) => `Warning: ${esc(w)}`),
  ];
  return items.length ? `<ul class="notes">${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '';
}

function specSection(spec: SpecJson): string {
  const head =
    `<h2><span class="badge ${spec.status}">${esc(spec.status.toUpperCase())}</span>` +
    `${esc(spec.pipe)} <span class="meta">${esc(spec.specFile)} · ${esc(spec.file)}</span></h2>`;
  const summary = spec.summary ? `<p class="summary">${esc(spec.summary)}</p>` : '';
  const body = spec.diff ? diffBody(spec.diff) : '';
  return `<section class="spec ${spec.status}" data-spec="${esc(spec.id)}">${head}${summary}${body}</section>`;
}

function diffBody(diff: SpecDiffJson): string {
  if (diff.kind === 'problem') return '';
  if (diff.kind === 'text') {
    if (!diff.unified) return diff.note ? `<p>${esc(diff.note)}</p>` : '';
    const lines = diff.unified.replace(/\n$/, '').split('\n').map(diffLine);
    return `<pre class="unified">${lines.join('')}</pre>`;
  }
  const out: string[] = [];
  if (diff.changed.length) {
    const rows = diff.changed.flatMap((entity) =>
      entity.changes.map(
        (change, i) =>
          `<tr>${i === 0 ? `<td rowspan="${entity.changes.length}"><code>${esc(json(entity.id))}</code></td>` : ''}` +
          `<td><code>${esc(change.path)}</code></td>${side(change.expected, 'expected')}${side(change.actual, 'actual')}</tr>`,
      ),
    );
    out.push(
      `<table class="changed"><thead><tr><th>_id</th><th>path</th><th>expected</th><th>actual</th></tr></thead>` +
        `<tbody>${rows.join('')}</tbody></table>`,
    );
  }
  out.push(...entityList('missing', 'Missing (expected, not produced)', diff.missing));
  out.push(...entityList('unexpected', 'Unexpected (produced, not expected)', diff.unexpected));
  return out.join('');
}

function side(text: string | undefined, cls: 'expected' | 'actual'): string {
  return text === undefined ? `<td class="absent">(absent)</td>` : `<td class="${cls}"><code>${esc(text)}</code></td>`;
}

function entityList(cls: string, title: string, entities: unknown[]): string[] {
  if (!entities.length) return [];
  const items = entities.map(
    (e) => `<pre class="${cls === 'missing' ? 'expected' : 'actual'}">${esc(json(e, 2))}</pre>`,
  );
  return [
    `<details class="${cls}" open><summary>${esc(title)}: ${entities.length}</summary>${items.join('')}</details>`,
  ];
}

function diffLine(line: string): string {
  const cls = line.startsWith('@@')
    ? 'hunk'
    : line.startsWith('-') && !line.startsWith('---')
      ? 'del'
      : line.startsWith('+') && !line.startsWith('+++')
        ? 'add'
        : '';
  return cls ? `<span class="${cls}">${esc(line)}</span>` : `${esc(line)}\n`;
}

function json(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent) ?? 'null';
}

/** The node named without its scheme: the page holds no address a browser could follow. */
function withoutScheme(url: string): string {
  return url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
}

/** HTML text and attribute escaping. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}
