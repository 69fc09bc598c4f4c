// A small, binary-safe multipart/form-data parser (RFC 7578) for config uploads: sesamclient posts the config zip
// as the part `file`. Parts are sliced out of the raw bytes, so zip data passes through untouched.
import { badRequest } from './responses.js';

export interface FormPart {
  name: string;
  filename?: string;
  /** The part's Content-Type, lowercased without parameters; undefined when the part has none. */
  contentType?: string;
  data: Uint8Array;
}

/** The boundary parameter of a multipart Content-Type header, or undefined when there is none. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

export function parseMultipart(body: Uint8Array, boundary: string): FormPart[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: FormPart[] = [];

  let pos = buf.indexOf(delimiter);
  if (pos < 0) throw malformed(`the boundary '${boundary}' does not occur in the body`);
  for (;;) {
    pos += delimiter.length;
    // `--` right after a delimiter closes the body.
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) return parts;
    pos = skipLineEnd(buf, pos);
    const headerEnd = findHeaderEnd(buf, pos);
    if (headerEnd === undefined) throw malformed('a part has no blank line after its headers');
    const headers = parseHeaders(buf.toString('utf8', pos, headerEnd.start));
    const dataStart = headerEnd.end;
    // The data runs up to the line break before the next delimiter.
    const next = findDelimiter(buf, delimiter, dataStart);
    if (next === undefined) throw malformed('the closing boundary is missing');
    parts.push(toPart(headers, body.subarray(dataStart, next.dataEnd)));
    pos = next.delimiterStart;
  }
}

function malformed(reason: string) {
  return badRequest(`The multipart/form-data body is malformed: ${reason}.`);
}

function skipLineEnd(buf: Buffer, pos: number): number {
  if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) return pos + 2;
  if (buf[pos] === 0x0a) return pos + 1;
  throw malformed('a boundary line is not followed by a line break');
}

function findHeaderEnd(buf: Buffer, from: number): { start: number; end: number } | undefined {
  // Headers may be empty: the blank line then follows the boundary line directly.
  if (buf[from] === 0x0d && buf[from + 1] === 0x0a) return { start: from, end: from + 2 };
  if (buf[from] === 0x0a) return { start: from, end: from + 1 };
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { start: crlf, end: crlf + 4 };
  if (lf >= 0) return { start: lf, end: lf + 2 };
  return undefined;
}

function findDelimiter(
  buf: Buffer,
  delimiter: Buffer,
  from: number,
): { dataEnd: number; delimiterStart: number } | undefined {
  let search = from;
  for (;;) {
    const at = buf.indexOf(delimiter, search);
    if (at < 0) return undefined;
    // A delimiter only counts at the start of a line; the line break belongs to it, not to the data.
    if (at >= from + 2 && buf[at - 2] === 0x0d && buf[at - 1] === 0x0a) return { dataEnd: at - 2, delimiterStart: at };
    if (at >= from + 1 && buf[at - 1] === 0x0a) return { dataEnd: at - 1, delimiterStart: at };
    if (at === from) return { dataEnd: at, delimiterStart: at };
    search = at + 1;
  }
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`the part header line '${line}' has no name`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function toPart(headers: Map<string, string>, data: Uint8Array): FormPart {
  const disposition = headers.get('content-disposition');
  if (!disposition || !/^form-data\b/i.test(disposition))
    throw malformed('a part has no Content-Disposition: form-data header');
  const name = dispositionParam(disposition, 'name');
  if (name === undefined) throw malformed('a part has no name');
  const filename = dispositionParam(disposition, 'filename');
  const type = headers.get('content-type');
  return {
    name,
    ...(filename !== undefined ? { filename } : {}),
    ...(type ? { contentType: type.split(';')[0]!.trim().toLowerCase() } : {}),
    data,
  };
}

function dispositionParam(disposition: string, key: string): string | undefined {
  const match = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(disposition);
  if (!match) return undefined;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
}
