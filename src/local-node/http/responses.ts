// Response helpers of the embedded node's HTTP API. Bodies are lossless JSON (ints, floats and big ints written
// exactly as the engine holds them), and every error answer is {"message": ...} so clients can show one line.
import { stringifyJson, type JsonObject, type JsonValue } from '../../format/json.js';

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
  return new Response(stringifyJson(value as JsonValue), {
    status,
    headers: { 'content-type': JSON_TYPE, ...headers },
  });
}

/**
 * Entities as a node returns them: every dict's keys sorted in Python's code-point order ("15" < "2"), which a plain
 * JS object cannot hold for integer-like keys, so the order is made here, where they are serialised.
 */
export function entitiesResponse(value: JsonValue): Response {
  return new Response(stringifyJson(value, { sortKeys: true }), {
    status: 200,
    headers: { 'content-type': JSON_TYPE },
  });
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
