// Dictionary functions (dtl-functions-dictionaries.rst): dict, has-key, is-dict, items, key-values, keys, values,
// apply-ns, strip-ns. (path, apply and apply-hops need the scope and are special forms in the compiler.)
import { identifierPart, isDict, setKey, type DtlDict, type DtlValue } from '../values.js';
import { first, typeTest } from './helpers.js';
import { asList } from './lists.js';
import { defineFunctions, valueArg } from './registry.js';

function dicts(v: DtlValue): DtlDict[] {
  return asList(v).filter(isDict);
}

function fromPairs(v: DtlValue): DtlDict {
  const out: DtlDict = {};
  if (isDict(v)) return { ...v };
  for (const item of asList(v)) {
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === 'string') setKey(out, item[0], item[1]!);
  }
  return out;
}

interface NsConfig {
  property: string | null;
  identity: string | null;
  skipUnderscore: boolean;
  skipDollar: boolean;
  recursive: boolean;
}

function nsConfig(v: DtlValue): NsConfig | undefined {
  const f = first(v);
  if (typeof f === 'string')
    return { property: f, identity: f, skipUnderscore: true, skipDollar: true, recursive: true };
  if (!isDict(f)) return undefined;
  const str = (x: DtlValue | undefined) => (typeof x === 'string' ? x : null);
  return {
    property: str(f.property_namespace),
    identity: Object.hasOwn(f, 'identity_namespace') ? str(f.identity_namespace) : str(f.property_namespace),
    skipUnderscore: f.skip_underscore !== false,
    skipDollar: f.skip_dollar !== false,
    recursive: f.recursive !== false,
  };
}

function applyNs(v: DtlValue, c: NsConfig): DtlValue {
  if (Array.isArray(v)) return v.map((x) => applyNs(x, c));
  if (!isDict(v)) return v;
  const out: DtlDict = {};
  for (const key in v) {
    let value: DtlValue = v[key]!;
    const skip = (c.skipUnderscore && key.startsWith('_')) || (c.skipDollar && key.startsWith('$'));
    if (key === '_id' && c.identity !== null) {
      const prefix = (x: DtlValue) => (typeof x === 'string' ? `${c.identity}:${x}` : x);
      value = Array.isArray(value) ? value.map(prefix) : prefix(value);
    } else if (!skip && c.recursive) value = applyNs(value, c);
    // Keys that are already qualified keep their namespace.
    const newKey = skip || c.property === null || key.includes(':') ? key : `${c.property}:${key}`;
    setKey(out, newKey, value);
  }
  return out;
}

function stripNs(v: DtlValue): DtlValue {
  if (Array.isArray(v)) return v.map(stripNs);
  if (!isDict(v)) return v;
  const out: DtlDict = {};
  for (const key in v) setKey(out, identifierPart(key), stripNs(v[key]!));
  return out;
}

defineFunctions([
  {
    name: 'dict',
    category: 'dictionaries',
    min: 0,
    max: Infinity,
    checkArity: (n) =>
      n > 1 && n % 2 === 1
        ? 'dict takes no arguments, one list of [key, value] pairs, or key/value argument pairs'
        : undefined,
    call: (args) => {
      if (args.length === 0) return {};
      if (args.length === 1) return fromPairs(valueArg(args, 0));
      const out: DtlDict = {};
      for (let i = 0; i + 1 < args.length; i += 2) {
        const k = first(valueArg(args, i));
        if (typeof k === 'string') setKey(out, k, valueArg(args, i + 1));
      }
      return out;
    },
  },
  {
    name: 'has-key',
    category: 'dictionaries',
    min: 2,
    max: 2,
    call: (args) => {
      const key = first(valueArg(args, 0));
      const d = first(valueArg(args, 1));
      if (!isDict(d)) return null;
      return typeof key === 'string' && Object.hasOwn(d, key);
    },
  },
  typeTest('is-dict', 'dictionaries', isDict),
  {
    name: 'items',
    category: 'dictionaries',
    min: 1,
    max: 1,
    call: (args) => dicts(valueArg(args, 0)).flatMap((d) => Object.keys(d).map((k) => [k, d[k]!])),
  },
  {
    name: 'key-values',
    category: 'dictionaries',
    min: 1,
    max: 1,
    call: (args) => {
      const v = valueArg(args, 0);
      const kv = (d: DtlDict) => Object.keys(d).map((k): DtlValue => ({ key: k, value: d[k]! }));
      if (isDict(v)) {
        const list = kv(v);
        return list.length === 1 ? list[0]! : list;
      }
      return dicts(v).flatMap(kv);
    },
  },
  {
    name: 'keys',
    category: 'dictionaries',
    min: 1,
    max: 1,
    call: (args) => dicts(valueArg(args, 0)).flatMap((d) => Object.keys(d)),
  },
  {
    name: 'values',
    category: 'dictionaries',
    min: 1,
    max: 1,
    call: (args) => dicts(valueArg(args, 0)).flatMap((d) => Object.keys(d).map((k) => d[k]!)),
  },
  {
    name: 'apply-ns',
    category: 'dictionaries',
    min: 2,
    max: 2,
    call: (args) => {
      const c = nsConfig(valueArg(args, 0));
      if (!c) return null;
      return applyNs(valueArg(args, 1), c);
    },
  },
  {
    name: 'strip-ns',
    category: 'dictionaries',
    min: 1,
    max: 1,
    call: (args) => stripNs(valueArg(args, 0)),
  },
]);
