// Multipart bodies are parsed by the platform (Request.formData); these pin what the node relies on.
import { describe, expect, it } from 'vitest';
import { readMultipart } from '../../../src/local-node/http/body.js';
import { HttpError } from '../../../src/local-node/http/responses.js';

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

const request = (body: Uint8Array | string, type = 'multipart/form-data; boundary=XyZ') =>
  new Request('http://x/', { method: 'PUT', body, headers: { 'content-type': type } });

describe('multipart/form-data bodies', () => {
  it('keeps binary part data byte for byte, including CR, LF and dashes', async () => {
    const binary = new Uint8Array([0x50, 0x4b, 3, 4, 0x0d, 0x0a, 0x2d, 0x2d, 0x58, 0, 255, 0x0d, 0x0a]);
    const body = concat(
      '--XyZ\r\n',
      'Content-Disposition: form-data; name="force"\r\n\r\n',
      'true\r\n--XyZ\r\n',
      'Content-Disposition: form-data; name="file"; filename="config"\r\nContent-Type: application/zip\r\n\r\n',
      binary,
      '\r\n--XyZ--\r\n',
    );
    const parts = await readMultipart(request(body));
    expect(parts.map((p) => p.name)).toEqual(['force', 'file']);
    expect(new TextDecoder().decode(parts[0]!.data)).toBe('true');
    expect(parts[1]!.filename).toBe('config');
    expect(parts[1]!.contentType).toBe('application/zip');
    expect([...parts[1]!.data]).toEqual([...binary]);
  });

  it('reads what the platform FormData serialiser produces (a quoted boundary too)', async () => {
    const fd = new FormData();
    fd.append('file', new Blob(['[{"_id": "a"}]'], { type: 'application/json' }), 'config');
    const parts = await readMultipart(new Request('http://x/', { method: 'PUT', body: fd }));
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ name: 'file', filename: 'config', contentType: 'application/json' });
    expect(new TextDecoder().decode(parts[0]!.data)).toBe('[{"_id": "a"}]');

    const quoted = concat('--a b\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--a b--\r\n');
    const [part] = await readMultipart(request(quoted, 'multipart/form-data; boundary="a b"'));
    expect(part).toMatchObject({ name: 'x' });
  });

  it.each([
    ['no boundary parameter', '--b--\r\n', 'multipart/form-data', /no boundary/],
    ['no closing boundary', '--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue', undefined, /malformed/],
    ['nothing but text', 'nothing here', undefined, /malformed/],
  ])('rejects a body with %s as a 400', async (_label, text, type, message) => {
    const caught = await readMultipart(request(text, type)).catch((err: unknown) => err);
    expect(caught).toBeInstanceOf(HttpError);
    expect((caught as HttpError).status).toBe(400);
    expect((caught as HttpError).message).toMatch(message);
  });
});
