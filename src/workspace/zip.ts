// Config zips (upload, dump, download -dump) with fflate. Entry names are POSIX paths, written in the order given
// (sesam-py: pipes, systems, node-metadata), DEFLATE-compressed. The streaming Zip API keeps that order even for
// names a plain object would reorder (e.g. "1"), and runs synchronously with ZipDeflate.
import { strFromU8, strToU8, unzipSync, Zip, ZipDeflate } from 'fflate';

// A fixed timestamp makes the zip of identical files identical (fflate would store the current time).
const ZIP_TIME = new Date(1980, 0, 1);

export function createZip(entries: { path: string; data: string | Uint8Array }[]): Uint8Array {
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
    const file = new ZipDeflate(entry.path, { level: 6 });
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

/** Every file entry of a zip by name (folders skipped). Throws a plain Error on a corrupt zip; callers wrap it. */
export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const files = unzipSync(bytes);
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith('/')) continue;
    out.set(name.replace(/\\/g, '/'), data);
  }
  return out;
}

/** A zip entry as text (UTF-8, BOM stripped). */
export function zipEntryText(data: Uint8Array): string {
  const text = strFromU8(data);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
