// Response helpers of the embedded node's HTTP API. Bodies are lossless JSON (ints, floats and big ints written
// exactly as the engine holds them), and every error answer is {"message": ...} so clients can show one line.
import { stringifyJson, type JsonObject, type JsonValue } from '../../format/json.js';
import { attachJson, transferCopy } from '../../format/json-transfer.js';

/** An error answer the routes throw; the handler turns it into its status and JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: JsonValue,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = (message: string) => new HttpError(404, message);

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON answer. `value` is a lossless JSON value or an object of that shape (PipeInfo and the like). */
export function jsonResponse(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return answer(value, false, status, { 'content-type': JSON_TYPE, ...headers });
}

/**
 * Entities as a node returns them: every dict's keys sorted in Python's code-point order ("15" < "2"), which a plain
 * JS object cannot hold for integer-like keys, so the order is made here, where they are serialised.
 */
export function entitiesResponse(value: JsonValue): Response {
  return answer(value, true, 200, { 'content-type': JSON_TYPE });
}

const utf8 = new TextEncoder();

/**
 * A JSON answer that carries its parsed value (format/json-transfer.ts) for an in-process client, and is written
 * as text only when its body is read (the socket server). The copy is taken now, so the answer is what the engine
 * held at this moment; a value the copy cannot stand for is serialised at once, as before.
 */
function answer(value: unknown, sortKeys: boolean, status: number, headers: Record<string, string>): Response {
  const copy = transferCopy(value, sortKeys);
  if (copy === undefined) return new Response(stringifyJson(value as JsonValue, { sortKeys }), { status, headers });
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        controller.enqueue(utf8.encode(stringifyJson(copy, { sortKeys })));
        controller.close();
      },
    },
    { highWaterMark: 0 }, // no pull before a read asks for one
  );
  return attachJson(new Response(body, { status, headers }), copy);
}

export function messageResponse(status: number, message: string): Response {
  return jsonResponse({ message } satisfies JsonObject, status);
}

/** Raw bytes or text with a given content type (zip downloads, CSV/XML publishers). */
export function rawResponse(
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(body, { status: 200, headers: { 'content-type': contentType, ...headers } });
}
