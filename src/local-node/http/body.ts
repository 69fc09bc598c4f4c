// Reading request bodies and query parameters. Every failure is a 400 that says what was wrong, because the
// caller is usually a script or the CLI, which shows the message to a person. A body must say what it is: JSON
// bodies need a JSON Content-Type, forms a form type, so a web page's text/plain POST reaches nothing (415).
import { isJsonObject, JsonSyntaxError, parseJson, type JsonObject, type JsonValue } from '../../format/json.js';
import { badRequest, HttpError } from './responses.js';

export interface FormPart {
  name: string;
  filename?: string;
  /** The part's Content-Type, lowercased without parameters; undefined when the part has none. */
  contentType?: string;
  data: Uint8Array;
}

/** The media types a config upload may have as a raw body (besides multipart/form-data). */
export const CONFIG_BODY_TYPES = ['application/zip', 'application/x-zip-compressed', 'application/json'];

/** The raw body, when its media type is one of `accepted` (or it is empty). */
export async function readBytes(request: Request, accepted: readonly string[]): Promise<Uint8Array> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > 0) requireType(request, accepted);
  return bytes;
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** 415 unless the request's media type is one of `accepted` (JSON also as application/*+json). */
function requireType(request: Request, accepted: readonly string[]): void {
  const type = mediaType(request);
  if (accepted.includes(type) || (accepted.includes('application/json') && isJsonType(type))) return;
  const sent = type === '' ? 'no Content-Type' : `Content-Type ${type}`;
  throw new HttpError(415, `Unsupported body type (${sent}): send ${accepted.join(' or ')}.`);
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
  const text = await request.text();
  if (text !== '') requireType(request, ['application/json']);
  return parseJsonBody(text);
}

export async function readJsonObject(request: Request, what: string): Promise<JsonObject> {
  const value = await readJson(request);
  if (!isJsonObject(value)) throw badRequest(`${capitalise(what)} must be a JSON object.`);
  return value;
}

/** The parts of a multipart/form-data body (the platform's parser; file parts stay binary). */
export async function readMultipart(request: Request): Promise<FormPart[]> {
  if (!/;\s*boundary=/i.test(request.headers.get('content-type') ?? ''))
    throw badRequest('The multipart/form-data request has no boundary in its Content-Type.');
  let form: FormData;
  try {
    form = await request.formData();
  } catch (err) {
    if (err instanceof HttpError) throw err; // 413 from the size guard
    throw badRequest(`The multipart/form-data body is malformed: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const parts: FormPart[] = [];
  for (const [name, value] of form) {
    if (typeof value === 'string') {
      parts.push({ name, data: new TextEncoder().encode(value) });
      continue;
    }
    const type = value.type.split(';')[0]!.trim().toLowerCase();
    parts.push({
      name,
      filename: value.name,
      ...(type ? { contentType: type } : {}),
      data: new Uint8Array(await value.arrayBuffer()),
    });
  }
  return parts;
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
  } else if (isJsonType(type)) {
    const text = await request.text();
    if (text.trim() !== '') {
      const value = parseJsonBody(text);
      if (!isJsonObject(value)) throw badRequest('The request body must be a JSON object of form fields.');
      for (const [key, v] of Object.entries(value)) fields[key] = typeof v === 'string' ? v : String(v);
    }
  } else {
    const text = await request.text();
    if (text !== '')
      requireType(request, ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json']);
    for (const [key, value] of new URLSearchParams(text)) fields[key] = value;
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
