import { describe, expect, it } from 'vitest';
import { createZip, readZip, zipEntryText } from '../../src/workspace/zip.js';

/** Entry names and compression methods from the central directory, in order (what unzip tools list). */
function centralDirectory(zip: Uint8Array): { name: string; method: number }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const out: { name: string; method: number }[] = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(offset, true)).toBe(0x02014b50);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    out.push({
      name: new TextDecoder().decode(zip.subarray(offset + 46, offset + 46 + nameLength)),
      method: view.getUint16(offset + 10, true),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

describe('zip', () => {
  it('round-trips text and bytes', () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const zip = createZip([
      { path: 'pipes/a.conf.json', data: '{"_id": "a", "d": "øæå"}\n' },
      { path: 'bin/raw', data: bytes },
    ]);
    const files = readZip(zip);
    expect(zipEntryText(files.get('pipes/a.conf.json')!)).toBe('{"_id": "a", "d": "øæå"}\n');
    expect([...files.get('bin/raw')!]).toEqual([0, 1, 2, 255]);
  });

  it('writes DEFLATE entries in the given order, deterministically', () => {
    const entries = [
      { path: 'pipes/z.conf.json', data: 'z'.repeat(100) },
      { path: 'pipes/a.conf.json', data: 'a' },
      { path: '1', data: 'numeric names stay in place' },
      { path: 'node-metadata.conf.json', data: '{}' },
    ];
    const zip = createZip(entries);
    expect(centralDirectory(zip)).toEqual(entries.map((e) => ({ name: e.path, method: 8 })));
    expect(Buffer.from(createZip(entries)).equals(Buffer.from(zip))).toBe(true);
  });

  it('rejects duplicate entries and corrupt zips', () => {
    expect(() =>
      createZip([
        { path: 'a', data: '1' },
        { path: 'a', data: '2' },
      ]),
    ).toThrow('Duplicate zip entry: a');
    expect(() => readZip(new Uint8Array([1, 2, 3, 4]))).toThrow();
  });

  it('strips a BOM from entry text', () => {
    expect(zipEntryText(new TextEncoder().encode('\uFEFF{}'))).toBe('{}');
  });
});
