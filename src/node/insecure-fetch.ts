// A fetch that skips TLS certificate checks, for --skip-tls-verification (sesam-py's `verify=False`). Node's
// built-in fetch cannot be told to skip them per request, so this speaks node:https directly.
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';

export const insecureFetch: typeof fetch = async (input, init) => {
  // Let a Request serialise the body (strings, bytes, FormData with its multipart boundary) for us.
  const req = new Request(input, init);
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : undefined;
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => {
    headers[k] = v;
  });
  if (body) headers['content-length'] = String(body.byteLength);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return reject(signal.reason);
    const r = send(url, { method: req.method, headers, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (Array.isArray(v)) for (const x of v) h.append(k, x);
          else if (v !== undefined) h.set(k, v);
        }
        const status = res.statusCode ?? 502;
        const nullBody = status === 204 || status === 304;
        resolve(
          new Response(nullBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: h }),
        );
      });
    });
    signal?.addEventListener(
      'abort',
      () => r.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted')),
      { once: true },
    );
    r.on('error', reject);
    if (body) r.write(body);
    r.end();
  });
};
