import { describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/local-node/http/responses.js';
import { multipartBoundary, parseMultipart } from '../../../src/local-node/http/multipart.js';

const enc = (s: string) => new TextEncoder().encode(s);

function concat(...chunks: (string | Uint8Array)[]): Uint8Array {
  const parts = chunks.map((c) => (typeof c === 'string' ? enc(c) : c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('multipart/form-data parser', () => {
  it('reads the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b;c"')).toBe('a b;c');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });

  it('keeps binary part data byte for byte, including CR, LF and dashes', () => {
    const binary = new Uint8Array([0x50, 0x4b, 3, 4, 0x0d, 0x0a, 0x2d, 0x2d, 0x58, 0, 255, 0x0d, 0x0a]);
    const body = concat(
      'preamble\r\n--XyZ\r\n',
      'Content-Disposition: form-data; name="force"\r\n\r\n',
      'true\r\n--XyZ\r\n',
      'Content-Disposition: form-data; name="file"; filename="config"\r\nContent-Type: application/zip\r\n\r\n',
      binary,
      '\r\n--XyZ--\r\n',
    );
    const parts = parseMultipart(body, 'XyZ');
    expect(parts.map((p) => p.name)).toEqual(['force', 'file']);
    expect(new TextDecoder().decode(parts[0]!.data)).toBe('true');
    expect(parts[1]!.filename).toBe('config');
    expect(parts[1]!.contentType).toBe('application/zip');
    expect([...parts[1]!.data]).toEqual([...binary]);
  });

  it('parses what the platform FormData serialiser produces', async () => {
    const fd = new FormData();
    fd.append('file', new Blob(['[{"_id": "a"}]'], { type: 'application/json' }), 'config');
    const request = new Request('http://x/', { method: 'PUT', body: fd });
    const boundary = multipartBoundary(request.headers.get('content-type')!)!;
    const parts = parseMultipart(new Uint8Array(await request.arrayBuffer()), boundary);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ name: 'file', filename: 'config', contentType: 'application/json' });
    expect(new TextDecoder().decode(parts[0]!.data)).toBe('[{"_id": "a"}]');
  });

  it.each([
    ['no boundary in the body', 'nothing here', /does not occur/],
    [
      'no closing boundary',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue',
      /closing boundary is missing/,
    ],
    ['no blank line after headers', '--b\r\nContent-Disposition: form-data; name="a"', /no blank line/],
    ['no disposition', '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--', /Content-Disposition/],
    ['no part name', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--', /has no name/],
  ])('rejects a body with %s as a 400', (_label, text, message) => {
    let caught: unknown;
    try {
      parseMultipart(enc(text), 'b');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect((caught as HttpError).status).toBe(400);
    expect((caught as HttpError).message).toMatch(message);
  });
});
