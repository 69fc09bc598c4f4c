// The xml_endpoint sink's serialiser (configuration-sinks-xml.rst): each entity has exactly one "<tag>"
// property; its other non-`_` properties become attributes in key order; a tag value is text (a literal), a child
// element (an object, rendered by the same rule) or several (a list of objects; other list items are ignored).
import { isJsonObject, objectEntries, objectKeys, type JsonObject, type JsonValue } from '../../format/json.js';
import type { SinkType } from './types.js';
import { valueText } from './values.js';

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

function attributes(attrs: [string, JsonValue][]): string {
  return attrs.map(([k, v]) => ` ${k}="${escapeAttr(valueText(v))}"`).join('');
}

function element(obj: JsonObject, where: string, rootAttrs: [string, JsonValue][] | null): string {
  const tags = objectKeys(obj).filter((k) => k.startsWith('<') && k.endsWith('>') && k.length > 2);
  if (tags.length !== 1) {
    throw new Error(`xml_endpoint: ${where} must have exactly one "<tag>" property (found ${tags.length})`);
  }
  const tagKey = tags[0]!;
  const tag = tagKey.slice(1, -1);
  const attrs: [string, JsonValue][] = [...(rootAttrs ?? [])];
  for (const k of objectKeys(obj)) {
    if (k === tagKey || k.startsWith('_')) continue;
    const v = obj[k]!;
    if (Array.isArray(v) || isJsonObject(v)) continue;
    attrs.push([k, v]);
  }
  return `<${tag}${attributes(attrs)}>${content(obj[tagKey]!, where)}</${tag}>`;
}

function content(value: JsonValue, where: string): string {
  if (isJsonObject(value)) return element(value, where, null);
  if (Array.isArray(value)) {
    return value
      .filter(isJsonObject)
      .map((v) => element(v as JsonObject, where, null))
      .join('');
  }
  return escapeText(valueText(value));
}

export function renderXml(entities: JsonObject[], sink: JsonObject): Uint8Array {
  const skipDeleted = sink['skip-deleted-entities'] !== false;
  const rootAttrs: [string, JsonValue][] = isJsonObject(sink['root-attributes'])
    ? objectEntries(sink['root-attributes'])
    : [];
  const wrapper = typeof sink.wrapper === 'string' ? sink.wrapper : null;
  const parts: string[] = [];
  let first = true;
  for (const e of entities) {
    if (skipDeleted && e._deleted === true) continue;
    parts.push(element(e, `entity '${String(e._id)}'`, !wrapper && first ? rootAttrs : null));
    first = false;
  }
  let body = wrapper ? `<${wrapper}${attributes(rootAttrs)}>${parts.join('')}</${wrapper}>` : parts.join('');
  if (sink['include-xml-decl'] === true) body = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${body}`;
  if (sink.byte_order_mark === true) body = `\uFEFF${body}`;
  return new TextEncoder().encode(body);
}

/** The xml_endpoint sink's config: served at /publishers/<pipe>/xml; namespaces are kept by default. */
export const xmlEndpointSink: SinkType = { removeNamespaces: false, endpoint: 'xml' };
