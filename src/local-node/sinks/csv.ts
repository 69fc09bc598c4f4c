// The csv_endpoint sink's serialiser, with Python csv.writer semantics (quoting minimal/all/non-numeric/none,
// quotechar, doublequote, escapechar, lineterminator) plus Sesam's include_header, byte_order_mark and
// skip-deleted-entities.
import type { JsonObject, JsonValue } from '../../format/json.js';
import { isNumeric, valueText } from './values.js';
import type { SinkType } from './types.js';

export interface CsvDialect {
  delimiter: string;
  quotechar: string;
  doublequote: boolean;
  escapechar: string | null;
  lineterminator: string;
  quoting: 'minimal' | 'all' | 'non-numeric' | 'none';
}

function char(value: JsonValue | undefined, fallback: string, name: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length !== 1)
    throw new Error(`csv_endpoint '${name}' must be a one-character string`);
  return value;
}

export function csvDialect(sink: JsonObject): CsvDialect {
  const quoting = sink.quoting ?? 'minimal';
  if (quoting !== 'minimal' && quoting !== 'all' && quoting !== 'non-numeric' && quoting !== 'none') {
    throw new Error(`csv_endpoint 'quoting' must be one of minimal, all, non-numeric, none (got ${String(quoting)})`);
  }
  return {
    delimiter: char(sink.delimiter, ',', 'delimiter'),
    quotechar: char(sink.quotechar, '"', 'quotechar'),
    doublequote: sink.doublequote !== false,
    escapechar:
      sink.escapechar === undefined || sink.escapechar === null ? null : char(sink.escapechar, '\\', 'escapechar'),
    lineterminator: typeof sink.lineterminator === 'string' ? sink.lineterminator : '\r\n',
    quoting,
  };
}

/** One field as Python's csv writer emits it. */
function field(text: string, quoteIt: boolean, d: CsvDialect): string {
  let quoted = quoteIt;
  let out = '';
  for (const c of text) {
    let escapeIt = false;
    if (
      c === d.delimiter ||
      c === d.escapechar ||
      c === d.quotechar ||
      c === '\n' ||
      c === '\r' ||
      d.lineterminator.includes(c)
    ) {
      if (d.quoting === 'none') escapeIt = true;
      else {
        if (c === d.quotechar) {
          if (d.doublequote) {
            out += d.quotechar;
          } else escapeIt = true;
        } else if (c === d.escapechar) escapeIt = true;
        if (!escapeIt) quoted = true;
      }
      if (escapeIt) {
        if (d.escapechar === null) throw new Error('csv_endpoint: need to escape, but no escapechar set');
        out += d.escapechar;
      }
    }
    out += c;
  }
  return quoted ? d.quotechar + out + d.quotechar : out;
}

export function csvRow(values: (JsonValue | undefined)[], d: CsvDialect): string {
  if (values.length === 1 && valueText(values[0]) === '') {
    if (d.quoting === 'none') throw new Error('csv_endpoint: single empty field record must be quoted');
    return d.quotechar + d.quotechar + d.lineterminator;
  }
  const parts = values.map((v) => {
    const quote = d.quoting === 'all' || (d.quoting === 'non-numeric' && !isNumeric(v));
    return field(valueText(v), quote, d);
  });
  return parts.join(d.delimiter) + d.lineterminator;
}

export function renderCsv(entities: JsonObject[], sink: JsonObject): Uint8Array {
  const d = csvDialect(sink);
  const columns = (Array.isArray(sink.columns) ? sink.columns : []).map(String);
  const skipDeleted = sink['skip-deleted-entities'] !== false;
  let text = sink.byte_order_mark === true ? '\uFEFF' : '';
  if (sink.include_header !== false) text += csvRow(columns, d);
  for (const e of entities) {
    if (skipDeleted && e._deleted === true) continue;
    text += csvRow(
      columns.map((c) => e[c]),
      d,
    );
  }
  const encoding = typeof sink.encoding === 'string' ? sink.encoding.toLowerCase().replace('_', '-') : 'utf-8';
  if (encoding === 'utf-8' || encoding === 'utf8') return new TextEncoder().encode(text);
  if (encoding === 'latin-1' || encoding === 'iso-8859-1' || encoding === 'latin1') {
    return Uint8Array.from(text, (c) => (c.charCodeAt(0) < 256 ? c.charCodeAt(0) : 63));
  }
  throw new Error(
    `csv_endpoint: encoding '${sink.encoding as string}' is not supported by the embedded node (use utf-8 or latin-1)`,
  );
}

/** The csv_endpoint sink's config: `columns` is required. */
export const csvEndpointSink: SinkType = {
  removeNamespaces: true,
  endpoint: 'csv',
  validate(sink, at, errors) {
    if (!Array.isArray(sink.columns)) {
      errors.push({
        level: 'error',
        msg: "The csv_endpoint sink needs 'columns', a list",
        elements: `${at}['columns']`,
      });
    }
  },
};
