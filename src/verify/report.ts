// Renderers of a VerifyResult: human text (short by default, complete at -v), the --json document and JUnit XML.
import { isJsonObject, stringifyJson, type JsonValue } from '../format/json.js';
import { showJson, toPlain } from '../format/json-diff.js';
import type { ChangedEntity, ValueChange } from './compare.js';
import type { SpecDiffJson, VerifyJson } from './json-document.js';
import type { SpecDiff, SpecResult, VerifyResult } from './result.js';

const SHORT_ENTITIES = 5;
const SHORT_PATHS = 5;
const SHORT_DIFF_LINES = 40;
const SHORT_VALUE_CHARS = 160;

export interface TextReportOptions {
  /** Everything, untruncated (-v). */
  verbose?: boolean;
  /** Colour functions; identity when absent. */
  colors?: { red(s: string): string; green(s: string): string; yellow(s: string): string; dim(s: string): string };
}

/** A one-line description of what differs, for the human report, annotations and JUnit messages. */
export function summarizeDiff(diff: SpecDiff): string {
  if (diff.kind === 'problem') return diff.message;
  if (diff.kind === 'text') return diff.note ?? 'content differs';
  const parts: string[] = [];
  if (diff.changed.length) parts.push(`${diff.changed.length} changed`);
  if (diff.missing.length) parts.push(`${diff.missing.length} missing`);
  if (diff.unexpected.length) parts.push(`${diff.unexpected.length} unexpected`);
  return `expected ${plural(diff.expectedCount, 'entity', 'entities')}, got ${diff.actualCount}: ${parts.join(', ')}`;
}

export function formatVerifyText(result: VerifyResult, options: TextReportOptions = {}): string {
  const c = options.colors ?? { red: id, green: id, yellow: id, dim: id };
  const lines: string[] = [];
  for (const spec of result.specs) {
    const where = `${spec.pipe} (${spec.specFile})`;
    if (spec.status === 'passed') lines.push(`${c.green('PASS')} ${where}`);
    else if (spec.status === 'ignored') lines.push(`${c.yellow('SKIP')} ${where}: ignored`);
    else {
      lines.push(`${c.red('FAIL')} ${where}: ${spec.summary ?? ''}`);
      if (spec.diff) lines.push(...diffLines(spec, options.verbose ?? false).map((l) => `     ${l}`));
    }
  }
  for (const pipe of result.missing) lines.push(`${c.red('MISS')} ${pipe}: no test spec references this pipe`);
  for (const warning of result.warnings) lines.push(`${c.yellow('WARN')} ${warning}`);
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

export function summaryLine(result: VerifyResult): string {
  const total = result.passed + result.failed + result.ignored;
  const counts = `${result.passed} passed, ${result.failed} failed, ${result.ignored} ignored`;
  const missing = result.missing.length ? `; ${plural(result.missing.length, 'pipe', 'pipes')} without tests` : '';
  const ok = result.failed === 0 && result.missing.length === 0;
  return `${ok ? 'Verify passed' : 'Verify failed'}: ${plural(total, 'test', 'tests')} (${counts})${missing}.`;
}

function diffLines(spec: SpecResult, verbose: boolean): string[] {
  const diff = spec.diff!;
  if (diff.kind === 'problem') return [];
  if (diff.kind === 'text') {
    if (!diff.unified) return [];
    const all = diff.unified.replace(/\n$/, '').split('\n');
    if (verbose || all.length <= SHORT_DIFF_LINES) return all;
    return [...all.slice(0, SHORT_DIFF_LINES), `… ${all.length - SHORT_DIFF_LINES} more diff lines (-v shows all)`];
  }
  const items: string[][] = [
    ...diff.changed.map((e) => changedLines(e, verbose)),
    ...diff.missing.map((e) => [`- missing ${idLabel(e)}: ${show(e, verbose)}`]),
    ...diff.unexpected.map((e) => [`+ unexpected ${idLabel(e)}: ${show(e, verbose)}`]),
  ];
  const shown = verbose ? items : items.slice(0, SHORT_ENTITIES);
  const out = shown.flat();
  if (shown.length < items.length)
    out.push(`… and ${plural(items.length - shown.length, 'more entity', 'more entities')} (-v shows all)`);
  return out;
}

function changedLines(entity: ChangedEntity, verbose: boolean): string[] {
  const out = [`~ changed ${stringifyJson(entity.id)}:`];
  const shown = verbose ? entity.changes : entity.changes.slice(0, SHORT_PATHS);
  for (const change of shown)
    out.push(`    ${change.path}: ${side(change, 'expected', verbose)} → ${side(change, 'actual', verbose)}`);
  if (shown.length < entity.changes.length) {
    out.push(`    … and ${plural(entity.changes.length - shown.length, 'more change', 'more changes')}`);
  }
  return out;
}

function side(change: ValueChange, key: 'expected' | 'actual', verbose: boolean): string {
  return key in change ? show(change[key]!, verbose) : '(absent)';
}

function idLabel(entity: JsonValue): string {
  return isJsonObject(entity) && '_id' in entity ? stringifyJson(entity._id!) : '(no _id)';
}

function show(value: JsonValue, verbose: boolean): string {
  return showJson(value, verbose ? Number.POSITIVE_INFINITY : SHORT_VALUE_CHARS);
}

// ---- --json -----------------------------------------------------------------------------------------------

/**
 * The --json document (ctx.out.json adds schemaVersion). Entities are plain JSON (floats as numbers, big
 * integers as strings); changed values are given as their exact JSON text, since `1` versus `1.0` may be the
 * very difference.
 */
export function verifyJson(result: VerifyResult): VerifyJson {
  return {
    passed: result.passed,
    failed: result.failed,
    ignored: result.ignored,
    missing: result.missing,
    warnings: result.warnings,
    specs: result.specs.map((s) => ({
      id: s.id,
      pipe: s.pipe,
      file: s.file,
      specFile: s.specFile,
      endpoint: s.endpoint,
      status: s.status,
      ...(s.summary ? { summary: s.summary } : {}),
      ...(s.diff && s.status === 'failed' ? { diff: specDiffJson(s.diff) } : {}),
    })),
  };
}

function specDiffJson(diff: SpecDiff): SpecDiffJson {
  if (diff.kind !== 'entities') return { ...diff };
  return {
    kind: 'entities',
    expectedCount: diff.expectedCount,
    actualCount: diff.actualCount,
    missing: diff.missing.map(toPlain),
    unexpected: diff.unexpected.map(toPlain),
    changed: diff.changed.map((e) => ({
      id: toPlain(e.id),
      changes: e.changes.map((ch) => ({
        path: ch.path,
        ...('expected' in ch ? { expected: stringifyJson(ch.expected!) } : {}),
        ...('actual' in ch ? { actual: stringifyJson(ch.actual!) } : {}),
      })),
    })),
  };
}

// ---- JUnit XML -------------------------------------------------------------------------------------------

/** One <testsuite name="sesam verify">: a <testcase> per spec, plus one per pipe that no spec tests. */
export function verifyJunitXml(result: VerifyResult): string {
  const cases: string[] = [];
  for (const spec of result.specs) {
    const open = `  <testcase name="${xmlAttr(spec.id)}" classname="${xmlAttr(spec.pipe)}" file="${xmlAttr(spec.path)}"`;
    if (spec.status === 'passed') cases.push(`${open}/>`);
    else if (spec.status === 'ignored')
      cases.push(`${open}>\n    <skipped message="ignored by the test spec"/>\n  </testcase>`);
    else {
      const body = [spec.summary ?? '', ...diffLines(spec, true)].join('\n');
      cases.push(
        `${open}>\n    <failure message="${xmlAttr(spec.summary ?? 'failed')}">${xmlText(body)}</failure>\n  </testcase>`,
      );
    }
  }
  for (const pipe of result.missing) {
    const message = `No tests references pipe '${pipe}'`;
    cases.push(
      `  <testcase name="${xmlAttr(pipe)}" classname="${xmlAttr(pipe)}">\n    <failure message="${xmlAttr(message)}">${xmlText(message)}</failure>\n  </testcase>`,
    );
  }
  const tests = result.specs.length + result.missing.length;
  const failures = result.failed + result.missing.length;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuite name="sesam verify" tests="${tests}" failures="${failures}" errors="0" skipped="${result.ignored}">\n` +
    cases.map((c) => `${c}\n`).join('') +
    `</testsuite>\n`
  );
}

function xmlText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>]|[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (ch) =>
    ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : '',
  );
}

function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function id(s: string): string {
  return s;
}
