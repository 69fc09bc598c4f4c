// Property paths: "_S.orders.amount" strings and the `path` function. A step over a dict reads one property, a
// step over a list applies to every element and concatenates one level, anything else gives null. With namespaced
// identifiers on, an unqualified step matches the identifier part in every namespace (dtl.md §8).
import { decodeTransit, isDict, isPlainObject, Ni, type DtlDict, type DtlValue } from './values.js';
import type { JsonValue } from '../format/json.js';

export interface NamespaceSettings {
  namespacedIdentifiers: boolean;
  identityNamespace: string;
  propertyNamespace: string;
}

/** Split a path body ("orders.'a.b'.c") into parts; `''` inside quotes is a quote. */
export function parsePathParts(body: string): string[] {
  const parts: string[] = [];
  let i = 0;
  if (body === '') return parts;
  for (;;) {
    let part = '';
    if (body[i] === "'") {
      i++;
      for (;;) {
        if (i >= body.length) throw new Error(`unterminated quote in path '${body}'`);
        if (body[i] === "'") {
          if (body[i + 1] === "'") {
            part += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += body[i++];
      }
      if (i < body.length && body[i] !== '.') throw new Error(`quoted path element must end at a '.' in '${body}'`);
    } else {
      const dot = body.indexOf('.', i);
      const end = dot < 0 ? body.length : dot;
      part = body.slice(i, end);
      i = end;
    }
    parts.push(part);
    if (i >= body.length) break;
    i++; // the dot
    if (i >= body.length) break; // trailing dot: "_S." means the value itself
  }
  return parts;
}

const readerCache = new Map<string, StepReader>();

/**
 * A reader for one own property, generated with the key as a literal so each path site gets its own inline cache.
 * Inherited members (toString, __proto__) never count: values of the model are never functions or undefined.
 */
export function ownPropertyReader(key: string): StepReader {
  let reader = readerCache.get(key);
  if (reader) return reader;
  if (key === '__proto__') reader = (d) => (Object.hasOwn(d, key) ? d[key] : undefined);
  else {
    const k = JSON.stringify(key);
    reader = new Function(
      'hasOwn',
      `return function read(d) { const v = d[${k}]; return v === undefined || typeof v === 'function' || (v === Object.prototype) ? (hasOwn(d, ${k}) ? v : undefined) : v; };`,
    )((o: object, p: string) => Object.hasOwn(o, p)) as StepReader;
  }
  if (readerCache.size < 10_000) readerCache.set(key, reader);
  return reader;
}

/** How one path step reads a dict, decided once per part. */
export type StepReader = (dict: DtlDict) => DtlValue | undefined;

export function stepReader(part: string, ns: NamespaceSettings): StepReader {
  if (part === '$ids') return readIds(ns);
  if (!ns.namespacedIdentifiers) return ownPropertyReader(part);
  if (part.startsWith('::')) {
    const key = part.slice(2);
    return (d) => (Object.hasOwn(d, key) ? d[key] : undefined);
  }
  if (part.startsWith(':')) {
    const key = ns.propertyNamespace + part;
    return (d) => (Object.hasOwn(d, key) ? d[key] : undefined);
  }
  if (part.includes(':') || part.startsWith('_')) return (d) => (Object.hasOwn(d, part) ? d[part] : undefined);
  const suffix = `:${part}`;
  return (d) => {
    // Every key whose identifier part (after the last colon) is `part`, in key order.
    let found: DtlValue | undefined;
    let many: DtlValue[] | undefined;
    for (const key in d) {
      if (key === part || (key.endsWith(suffix) && key.lastIndexOf(':') === key.length - suffix.length)) {
        const v = d[key]!;
        if (found === undefined && !many) found = v;
        else {
          if (!many) {
            many = [];
            pushFlat(many, found!);
          }
          pushFlat(many, v);
        }
      }
    }
    if (many) return many;
    return found;
  };
}

function pushFlat(out: DtlValue[], v: DtlValue): void {
  if (Array.isArray(v)) for (const x of v) out.push(x);
  else if (v !== null) out.push(v);
}

/** `$ids` is synthesised from `_id` when the entity has none (as an NI; identity-prefixed when NIs are on). */
function readIds(ns: NamespaceSettings): StepReader {
  return (d) => {
    if (Object.hasOwn(d, '$ids')) return d.$ids;
    const id = d._id;
    if (typeof id !== 'string') return undefined;
    if (ns.namespacedIdentifiers && !id.includes(':')) return [new Ni(ns.identityNamespace, id)];
    return [Ni.fromText(id)];
  };
}

/** Apply one step to a value: dicts read, lists map and flatten one level, others give null. */
export function applyStep(value: DtlValue, read: StepReader): DtlValue {
  if (isDict(value)) {
    const v = read(value);
    return v === undefined ? null : v;
  }
  if (Array.isArray(value)) {
    const out: DtlValue[] = [];
    for (const item of value) {
      if (isDict(item)) {
        const v = read(item);
        if (v === undefined || v === null) continue;
        if (Array.isArray(v)) for (const x of v) out.push(x);
        else out.push(v);
      } else if (Array.isArray(item)) {
        const v = applyStep(item, read);
        if (Array.isArray(v)) for (const x of v) out.push(x);
      }
    }
    return out;
  }
  return null;
}

/**
 * The last step of a path read over a list: `decodeTransit(applyStep(list, read))` in one pass (every collected
 * value is transit-decoded as it is collected, instead of building the list and walking it again).
 */
export function collectDecoded(list: readonly DtlValue[], read: StepReader): DtlValue[] {
  const out: DtlValue[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = list[i]!;
    if (item === null || typeof item !== 'object') continue;
    if (isPlainObject(item)) {
      const v = read(item as DtlDict);
      if (v === undefined || v === null) continue;
      if (typeof v === 'number' && Number.isInteger(v)) out.push(v);
      else if (Array.isArray(v)) for (const x of v) out.push(decodeTransit(x as JsonValue));
      else out.push(decodeTransit(v as JsonValue));
    } else if (Array.isArray(item)) {
      for (const x of applyStep(item, read) as DtlValue[]) out.push(decodeTransit(x as JsonValue));
    }
  }
  return out;
}

/** Walk compiled steps from a start value. */
export function walkPath(value: DtlValue, readers: readonly StepReader[]): DtlValue {
  let v = value;
  for (const r of readers) {
    if (v === null) return null;
    v = applyStep(v, r);
  }
  return v;
}
