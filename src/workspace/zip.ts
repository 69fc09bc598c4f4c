// Config zips (upload, dump, download -dump) with fflate; zips from a node are read defensively (readZip). Entry names are POSIX paths, written in the order given
// (sesam-py: pipes, systems, node-metadata), DEFLATE-compressed. The streaming Zip API keeps that order even for
// names a plain object would reorder (e.g. "1"), and runs synchronously with ZipDeflate.
import { Inflate, inflateSync, strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';

// A fixed timestamp makes the zip of identical files identical (fflate would store the current time).
const ZIP_TIME = new Date(1980, 0, 1);

/**
 * `store: true` writes the entries uncompressed (method 0): for a zip that never leaves the process (an upload to the
 * embedded node), where deflating and inflating again is most of the cost of the upload.
 */
export function createZip(
  entries: { path: string; data: string | Uint8Array }[],
  options: { store?: boolean } = {},
): Uint8Array {
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  let finished = false;
  const zip = new Zip((err, data, final) => {
    if (err) failure = err;
    else chunks.push(data);
    if (final) finished = true;
  });
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path)) throw new Error(`Duplicate zip entry: ${entry.path}`);
    seen.add(entry.path);
    const file = options.store ? new ZipPassThrough(entry.path) : new ZipDeflate(entry.path, { level: 6 });
    file.mtime = ZIP_TIME;
    zip.add(file);
    file.push(typeof entry.data === 'string' ? strToU8(entry.data) : entry.data, true);
  }
  zip.end();
  if (failure) throw failure;
  if (!finished) throw new Error('Zip stream did not finish synchronously');
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Limits on a zip from a node, so a crafted one cannot exhaust memory (exported for tests). */
export const zipLimits = {
  /** Entries (files and folders). A big node has a few thousand pipes and systems. */
  maxEntries: 20_000,
  /** Total uncompressed bytes of all files. */
  maxTotalBytes: 256 * 1024 * 1024,
};

/** A zip that is corrupt, or that breaks a rule of readZip; the message names the entry. */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const INFLATE_CHUNK = 16 * 1024;
/**
 * Entries up to this compressed size are inflated in one call (fast); larger ones in steps. A lying small entry
 * costs at most this times deflate's ratio (~1000:1) of decoding before it is refused.
 */
const DIRECT_INFLATE_LIMIT = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every file entry of a zip by name (folders skipped), read from the central directory with the checks a zip from
 * an untrusted node needs: at most zipLimits.maxEntries entries and maxTotalBytes uncompressed (counted while
 * inflating, whatever the headers claim), names that are valid UTF-8 without control characters or backslashes,
 * and no name twice (ignoring case, as on macOS and Windows). Throws ZipError.
 */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  if (bytes.length < 22) throw new ZipError('not a zip file (too short)');
  let end = bytes.length - 22;
  while (u32(end) !== 0x06054b50) {
    if (end === 0 || bytes.length - end > 22 + 0xffff)
      throw new ZipError('not a zip file (no end of central directory)');
    end--;
  }
  const count = u16(end + 10);
  let offset = u32(end + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ZipError('ZIP64 archives are not supported');
  if (count > zipLimits.maxEntries) throw new ZipError(`too many entries (${count}; at most ${zipLimits.maxEntries})`);
  const out = new Map<string, Uint8Array>();
  const seen = new Map<string, string>();
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || u32(offset) !== 0x02014b50) throw new ZipError('corrupt central directory');
    const flags = u16(offset + 8);
    const method = u16(offset + 10);
    const compressedSize = u32(offset + 20);
    const declaredSize = u32(offset + 24);
    const nameLength = u16(offset + 28);
    const next = offset + 46 + nameLength + u16(offset + 30) + u16(offset + 32);
    const local = u32(offset + 42);
    const name = entryName(bytes.subarray(offset + 46, offset + 46 + nameLength), flags);
    offset = next;
    const key = name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined)
      throw new ZipError(
        earlier === name ? `duplicate entry '${name}'` : `entries '${earlier}' and '${name}' differ only in case`,
      );
    seen.set(key, name);
    if (name.endsWith('/')) continue;
    if (flags & 1) throw new ZipError(`entry '${name}' is encrypted`);
    if (local + 30 > bytes.length || u32(local) !== 0x04034b50) throw new ZipError(`corrupt local header of '${name}'`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (start + compressedSize > bytes.length) throw new ZipError(`entry '${name}' runs past the end of the zip`);
    const raw = bytes.subarray(start, start + compressedSize);
    const budget = zipLimits.maxTotalBytes - total;
    const tooBig = () =>
      new ZipError(`entry '${name}' makes the zip larger than ${zipLimits.maxTotalBytes} bytes uncompressed`);
    let data: Uint8Array;
    if (method === 0) {
      if (raw.length > budget) throw tooBig();
      data = raw.slice();
    } else if (method === 8) {
      if (declaredSize > budget) throw tooBig();
      data =
        raw.length <= DIRECT_INFLATE_LIMIT
          ? inflateDeclared(raw, declaredSize, name)
          : inflateCapped(raw, budget, name, tooBig);
    } else throw new ZipError(`entry '${name}' uses unsupported compression method ${method}`);
    total += data.length;
    out.set(name, data);
  }
  return out;
}

function entryName(raw: Uint8Array, flags: number): string {
  let name: string;
  try {
    // Without the UTF-8 flag the name is CP437 by the standard; ASCII (and UTF-8 written without the flag) is all
    // a node writes, so anything else is refused rather than guessed.
    name = utf8.decode(raw);
  } catch {
    const shown = Buffer.from(raw)
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '?');
    throw new ZipError(`entry name '${shown}' is not valid UTF-8${flags & 0x800 ? '' : ' (and not ASCII)'}`);
  }
  if (name === '' || /[\u0000-\u001f\u007f\\]/.test(name))
    throw new ZipError(`entry name ${JSON.stringify(name)} holds a control character or a backslash`);
  return name;
}

/**
 * A small entry inflated in one call into a buffer of its declared size plus one byte: fflate never grows a buffer
 * it is given, so a header that understates the size fills the extra byte and is refused, using no more memory.
 */
function inflateDeclared(raw: Uint8Array, declared: number, name: string): Uint8Array {
  let data: Uint8Array;
  try {
    data = inflateSync(raw, { out: new Uint8Array(declared + 1) });
  } catch (err) {
    throw new ZipError(`entry '${name}' is corrupt: ${(err as Error).message}`);
  }
  if (data.length !== declared)
    throw new ZipError(`entry '${name}' does not inflate to the ${declared} bytes its header declares`);
  return data;
}

/** Inflate in small steps, stopping as soon as the output would pass `budget` bytes. */
function inflateCapped(raw: Uint8Array, budget: number, name: string, tooBig: () => ZipError): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    size += chunk.length;
    if (size > budget) throw tooBig();
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < raw.length; at += INFLATE_CHUNK)
      inflater.push(raw.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= raw.length);
    if (raw.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof ZipError) throw err;
    throw new ZipError(`entry '${name}' is corrupt: ${(err as Error).message}`);
  }
  if (!ended) throw new ZipError(`entry '${name}' is truncated`);
  const data = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return data;
}

/** A zip entry as text (UTF-8, BOM stripped). Throws on bytes that are not UTF-8 rather than replacing them. */
export function zipEntryText(data: Uint8Array): string {
  const text = utf8.decode(data);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
