// Judging one test spec against what the node produced. Pure: the caller fetches, this compares.
import { inputError } from '../errors.js';
import type { JsonValue } from '../format/json.js';
import { unifiedDiff } from '../format/unified-diff.js';
import { decodeText as decodeProjectText, parseJsonText } from '../workspace/files.js';
import { compareEntities } from './compare.js';
import { summarizeDiff } from './report.js';
import type { SpecStatus } from './json-document.js';
import type { SpecDiff } from './result.js';
import type { TestSpec } from './specs.js';
import { prettyXml, XmlSyntaxError } from './xml.js';

export interface Verdict {
  status: Exclude<SpecStatus, 'ignored'>;
  summary?: string;
  diff?: SpecDiff;
}

function verdict(diff: SpecDiff | undefined): Verdict {
  return diff ? { status: 'failed', summary: summarizeDiff(diff), diff } : { status: 'passed' };
}

/** The expected entities of a json/excel spec; invalid JSON or a non-list is an input error naming the file. */
export function parseExpectedEntities(spec: TestSpec, bytes: Uint8Array): JsonValue[] {
  const value = parseJsonText(decodeProjectText(bytes, spec.file), spec.file);
  if (!Array.isArray(value)) {
    throw inputError(`Expected file ${spec.file} must hold a JSON list of entities`, {
      file: spec.file,
      reason: `test spec ${spec.specFile}`,
    });
  }
  return value;
}

export function checkEntities(
  spec: TestSpec,
  expectedBytes: Uint8Array,
  actual: JsonValue[],
  options: { noLargeIntBugs?: boolean } = {},
): Verdict {
  return checkParsedEntities(spec, parseExpectedEntities(spec, expectedBytes), actual, options);
}

/** checkEntities for expected entities already parsed (so the caller can let go of the file's bytes first). */
export function checkParsedEntities(
  spec: TestSpec,
  expected: JsonValue[],
  actual: JsonValue[],
  options: { noLargeIntBugs?: boolean } = {},
): Verdict {
  const diff = compareEntities(expected, actual, {
    blacklist: spec.blacklist,
    ignoreDeletes: spec.ignoreDeletes,
    noLargeIntBugs: options.noLargeIntBugs,
  });
  return verdict(diff.equal ? undefined : { kind: 'entities', ...diff });
}

/** XML endpoints: compare the pretty-printed documents; if either is not well-formed, compare bytes. */
export function checkXml(spec: TestSpec, expectedBytes: Uint8Array, actualBytes: Uint8Array): Verdict {
  let expected: string;
  let actual: string;
  try {
    expected = prettyXml(expectedBytes);
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    return bytesVerdict(
      spec,
      expectedBytes,
      actualBytes,
      `${spec.file} is not well-formed XML (${err.message}), so the bytes were compared`,
    );
  }
  try {
    actual = prettyXml(actualBytes);
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    return bytesVerdict(
      spec,
      expectedBytes,
      actualBytes,
      `the node's xml output is not well-formed XML (${err.message}), so the bytes were compared`,
    );
  }
  if (expected === actual) return verdict(undefined);
  return verdict({
    kind: 'text',
    unified: textDiff(expected, actual, spec.file, 'current_data.xml'),
    note: 'XML content differs',
  });
}

/** Other endpoints (csv, ndjson, ...): byte comparison, a text diff on mismatch. */
export function checkBytes(spec: TestSpec, expectedBytes: Uint8Array, actualBytes: Uint8Array): Verdict {
  return bytesVerdict(spec, expectedBytes, actualBytes, undefined);
}

function bytesVerdict(
  spec: TestSpec,
  expectedBytes: Uint8Array,
  actualBytes: Uint8Array,
  note: string | undefined,
): Verdict {
  if (Buffer.compare(Buffer.from(expectedBytes), Buffer.from(actualBytes)) === 0) return verdict(undefined);
  const unified = textDiff(decodeText(expectedBytes), decodeText(actualBytes), spec.file, 'current_data.txt');
  return verdict({
    kind: 'text',
    // Bytes can differ where the decoded text does not (e.g. a BOM, or invalid UTF-8 read as latin-1 alike).
    unified,
    note: note ?? (unified ? 'content differs' : 'content differs in bytes that do not show as text (encoding or BOM)'),
  });
}

/** UTF-8, else latin-1 (sesam-py's fallback, which cannot fail). */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

// A line-level search over very different large texts costs O((N+M)·D) time and memory; past this many lines the
// diff is one hunk: the changed middle between the common head and tail.
const MAX_SEARCH_LINES = 5000;

/** A unified diff; for large texts, one hunk around everything between the common first and last lines. */
export function textDiff(a: string, b: string, aName: string, bName: string, context = 3): string {
  const x = a.split(/(?<=\n)/).filter((l) => l !== '');
  const y = b.split(/(?<=\n)/).filter((l) => l !== '');
  if (x.length + y.length <= MAX_SEARCH_LINES) return unifiedDiff(a, b, aName, bName, context);
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  if (head === x.length && head === y.length) return '';
  const from = Math.max(0, head - context);
  const aEnd = Math.min(x.length, x.length - tail + context);
  const bEnd = Math.min(y.length, y.length - tail + context);
  const range = (start: number, end: number) =>
    end - start === 1 ? `${start + 1}` : `${end === start ? start : start + 1},${end - start}`;
  const line = (prefix: string, l: string) => prefix + (l.endsWith('\n') ? l : `${l}\n`);
  const out = [`--- ${aName}\n`, `+++ ${bName}\n`, `@@ -${range(from, aEnd)} +${range(from, bEnd)} @@\n`];
  for (let i = from; i < head; i++) out.push(line(' ', x[i]!));
  for (let i = head; i < x.length - tail; i++) out.push(line('-', x[i]!));
  for (let i = head; i < y.length - tail; i++) out.push(line('+', y[i]!));
  for (let i = x.length - tail; i < aEnd; i++) out.push(line(' ', x[i]!));
  return out.join('');
}
