// Reading request bodies and query parameters. Every failure is a 400 that says what was wrong, because the
// caller is usually a script or the CLI, which shows the message to a person.
import { isJsonObject, JsonSyntaxError, parseJson, type JsonObject, type JsonValue } from '../../format/json.js';
import { multipartBoundary, parseMultipart, type FormPart } from './multipart.js';
import { badRequest } from './responses.js';

export async function readBytes(request: Request): Promise<Uint8Array> {
  return new Uint8Array(await request.arrayBuffer());
}

/** The media type of a request, lowercased without parameters ('' when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export function parseJsonBody(text: string, what = 'the request body'): JsonValue {
  if (text.trim() === '') throw badRequest(`${capitalise(what)} is empty; expected JSON.`);
  try {
    return parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw badRequest(`${capitalise(what)} is not valid JSON: ${err.message}.`);
    throw err;
  }
}

export async function readJson(request: Request): Promise<JsonValue> {
  return parseJsonBody(await request.text());
}

export async function readJsonObject(request: Request, what: string): Promise<JsonObject> {
  const value = await readJson(request);
  if (!isJsonObject(value)) throw badRequest(`${capitalise(what)} must be a JSON object.`);
  return value;
}

export async function readMultipart(request: Request): Promise<FormPart[]> {
  const boundary = multipartBoundary(request.headers.get('content-type') ?? '');
  if (!boundary) throw badRequest('The multipart/form-data request has no boundary in its Content-Type.');
  return parseMultipart(await readBytes(request), boundary);
}

/**
 * Form fields of a POST (operation=..., comment=...): form-encoded, multipart text parts or a JSON object of
 * strings. Query parameters count too, with the body winning, so `curl -X POST '...?operation=start'` works.
 */
export async function readForm(request: Request, query: URLSearchParams): Promise<Record<string, string>> {
  const fields: Record<string, string> = Object.fromEntries(query);
  const type = mediaType(request);
  if (type === 'multipart/form-data') {
    for (const part of await readMultipart(request)) fields[part.name] = new TextDecoder().decode(part.data);
  } else if (type === 'application/json') {
    const text = await request.text();
    if (text.trim() !== '') {
      const value = parseJsonBody(text);
      if (!isJsonObject(value)) throw badRequest('The request body must be a JSON object of form fields.');
      for (const [key, v] of Object.entries(value)) fields[key] = typeof v === 'string' ? v : String(v);
    }
  } else {
    for (const [key, value] of new URLSearchParams(await request.text())) fields[key] = value;
  }
  return fields;
}

/** A boolean query parameter as Python (True/False) or sesamclient (true/false) sends it. */
export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = parseBool(raw);
  if (value === undefined) throw badRequest(`The query parameter '${name}' must be true or false, not '${raw}'.`);
  return value;
}

/** `?force=true` on config writes: apply even with validation errors. */
export function forceParam(query: URLSearchParams): boolean {
  return boolParam(query, 'force', false);
}

export function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return undefined;
}

export function intParam(query: URLSearchParams, name: string): number | undefined;
export function intParam(query: URLSearchParams, name: string, fallback: number): number;
export function intParam(query: URLSearchParams, name: string, fallback?: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw badRequest(`The query parameter '${name}' must be an integer, not '${raw}'.`);
  const value = Number(raw);
  if (value < 0) throw badRequest(`The query parameter '${name}' must not be negative.`);
  return value;
}

/** A query parameter, with '' treated as absent. */
export function stringParam(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
