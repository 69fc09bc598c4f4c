// Calling a node handler in tests: build the Request, return status, headers and the parsed (lossless) body.
import { parseJson, type JsonValue } from '../../../src/format/json.js';
import type { NodeHandler } from '../../../src/local-node/http/handler.js';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
  /** The body parsed as lossless JSON (undefined when it is not JSON). */
  json: JsonValue | undefined;
  /** The body parsed with JSON.parse, for easy deep equality. */
  // biome-ignore lint/suspicious/noExplicitAny: tests index into and deep-compare arbitrary response bodies
  plain: any;
}

export async function call(
  handler: NodeHandler,
  method: string,
  path: string,
  init: { body?: RequestInit['body']; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const response = await handler(
    new Request(`http://node.test${path}`, { method, body: init.body, headers: init.headers }),
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let json: JsonValue | undefined;
  let plain: unknown;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
    json = parseJson(text);
    plain = JSON.parse(text);
  }
  return { status: response.status, headers: response.headers, text, bytes, json, plain };
}

export const jsonBody = (value: unknown) => ({
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json' },
});
export const formBody = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});
