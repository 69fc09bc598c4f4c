// String functions (dtl-functions-strings.rst). Map-style: non-strings are dropped; aggregating functions
// (concat, join, split) flatten one list level.
import { JsonFloat, pyFloatRepr, stringifyJson } from '../../format/json.js';
import { Bytes, DateTime, Decimal, isDict, Ni, toPlainJson, Uri, Uuid, type DtlValue } from '../values.js';
import { DROP, first, intArg, mapValues, stringArg, typeTest } from './helpers.js';
import { defineFunctions, valueArg } from './registry.js';
import { wildcardToRegExp } from './wildcard.js';
import { DtlRuntimeError } from '../errors.js';
import { MAX_GENERATED } from './lists.js';

/** Python-like str() of a DTL value, as `string` renders it. */
export function valueToString(v: DtlValue): string | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  if (v instanceof JsonFloat) return pyFloatRepr(v.value);
  if (v instanceof Decimal || v instanceof DateTime || v instanceof Ni || v instanceof Uri || v instanceof Uuid)
    return v.toString();
  if (v instanceof Bytes) return new TextDecoder('utf-8', { fatal: false }).decode(v.value);
  if (Array.isArray(v) || isDict(v)) return stringifyJson(toPlainJson(v), { sortKeys: true });
  return undefined;
}

/** Code-point aware length and slicing (Python strings index code points). */
function codePoints(s: string): string[] {
  return Array.from(s);
}

/** No surrogate pairs: UTF-16 indexes are code point indexes. */
function isBmp(s: string): boolean {
  return !/[\ud800-\udfff]/.test(s);
}

function pyIndex(i: number, len: number): number {
  if (i < 0) return Math.max(len + i, 0);
  return Math.min(i, len);
}

function stripChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars === undefined ? undefined : new Set(codePoints(chars));
  const cps = codePoints(s);
  const strip = (c: string) => (set ? set.has(c) : /\s/.test(c));
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && strip(cps[a]!)) a++;
  if (right) while (b > a && strip(cps[b - 1]!)) b--;
  return cps.slice(a, b).join('');
}

function stripFn(name: string, left: boolean, right: boolean) {
  return {
    name,
    category: 'strings',
    min: 1,
    max: 2,
    call: (args: unknown[]) => {
      const values = args[args.length - 1] as DtlValue;
      const chars = args.length === 2 ? stringArg(args[0] as DtlValue) : undefined;
      if (args.length === 2 && chars === undefined) return null;
      return mapValues(values, (v) => (typeof v === 'string' ? stripChars(v, chars, left, right) : DROP));
    },
  };
}

function justify(name: string, left: boolean) {
  return {
    name,
    category: 'strings',
    min: 3,
    max: 3,
    call: (args: unknown[]) => {
      const width = intArg(args[0] as DtlValue);
      const fill = stringArg(args[1] as DtlValue);
      if (width === undefined || fill === undefined || codePoints(fill).length !== 1) return null;
      if (width > MAX_GENERATED) throw new DtlRuntimeError(`${name}: width ${width} is too large`);
      return mapValues(args[2] as DtlValue, (v) => {
        if (typeof v !== 'string') return DROP;
        const n = codePoints(v).length;
        if (n >= width) return v;
        const pad = fill.repeat(width - n);
        return left ? v + pad : pad + v;
      });
    },
  };
}

// Per-element mappers, allocated once (not per evaluation).
const lowerOne = (v: DtlValue) => (typeof v === 'string' ? v.toLowerCase() : DROP);
const upperOne = (v: DtlValue) => (typeof v === 'string' ? v.toUpperCase() : DROP);
const stringOne = (v: DtlValue) => valueToString(v) ?? DROP;
const lengthOne = (v: DtlValue) => (typeof v === 'string' ? (isBmp(v) ? v.length : codePoints(v).length) : DROP);

defineFunctions([
  {
    name: 'concat',
    category: 'strings',
    min: 1,
    max: Infinity,
    call: (args) => {
      let out = '';
      for (let i = 0; i < args.length; i++) {
        const v = args[i];
        if (typeof v === 'string') out += v;
        else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out += x;
      }
      return out;
    },
  },
  {
    name: 'join',
    category: 'strings',
    min: 2,
    max: 2,
    call: (args) => {
      const sep = stringArg(valueArg(args, 0));
      if (sep === undefined) return null;
      const values = valueArg(args, 1);
      const items = (Array.isArray(values) ? values : values === null ? [] : [values]).filter(
        (v): v is string => typeof v === 'string',
      );
      // Nothing to join is null, not "".
      return items.length ? items.join(sep) : null;
    },
  },
  {
    name: 'split',
    category: 'strings',
    min: 1,
    max: 2,
    call: (args) => {
      const sep = args.length === 2 ? stringArg(valueArg(args, 0)) : undefined;
      if (args.length === 2 && sep === undefined) return null;
      const values = valueArg(args, args.length - 1);
      const out: DtlValue[] = [];
      for (const v of Array.isArray(values) ? values : values === null ? [] : [values]) {
        if (typeof v !== 'string') continue;
        if (sep === undefined) out.push(...v.split(/\s+/).filter((x) => x !== ''));
        else if (sep === '') out.push(...codePoints(v));
        else out.push(...v.split(sep));
      }
      return out;
    },
  },
  typeTest('is-string', 'strings', (v) => typeof v === 'string'),
  {
    name: 'length',
    category: 'strings',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), lengthOne),
  },
  justify('ljust', true),
  justify('rjust', false),
  {
    name: 'lower',
    category: 'strings',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), lowerOne),
  },
  {
    name: 'upper',
    category: 'strings',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), upperOne),
  },
  stripFn('strip', true, true),
  stripFn('lstrip', true, false),
  stripFn('rstrip', false, true),
  {
    name: 'matches',
    category: 'strings',
    min: 2,
    max: 2,
    call: (args) => {
      const pattern = stringArg(valueArg(args, 0));
      const values = valueArg(args, 1);
      if (pattern === undefined) return false;
      const list = Array.isArray(values) ? values : values === null ? [] : [values];
      if (list.length === 0) return false;
      const re = wildcardToRegExp(pattern);
      return list.every((v) => typeof v === 'string' && re.test(v));
    },
  },
  {
    name: 'replace',
    category: 'strings',
    min: 2,
    max: 3,
    call: (args) => {
      const values = valueArg(args, args.length - 1);
      let pairs: [string, string][];
      if (args.length === 2) {
        const table = first(valueArg(args, 0));
        if (!isDict(table)) return null;
        pairs = Object.entries(table).filter((e): e is [string, string] => typeof e[1] === 'string');
      } else {
        const from = stringArg(valueArg(args, 0));
        const to = stringArg(valueArg(args, 1));
        if (from === undefined || to === undefined) return null;
        pairs = [[from, to]];
      }
      return mapValues(values, (v) => {
        if (typeof v !== 'string') return DROP;
        let s = v;
        for (const [from, to] of pairs) s = from === '' ? to + codePoints(s).join(to) + to : s.split(from).join(to);
        return s;
      });
    },
  },
  {
    name: 'string',
    category: 'strings',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), stringOne),
  },
  {
    name: 'substring',
    category: 'strings',
    min: 2,
    max: 3,
    call: (args) => {
      const start = intArg(valueArg(args, 0));
      const end = args.length === 3 ? intArg(valueArg(args, 1)) : undefined;
      if (start === undefined || (args.length === 3 && end === undefined)) return null;
      return mapValues(valueArg(args, args.length - 1), (v) => {
        if (typeof v !== 'string') return DROP;
        const cps = isBmp(v) ? null : codePoints(v);
        const len = cps ? cps.length : v.length;
        const a = pyIndex(start, len);
        const b = end === undefined ? len : pyIndex(end, len);
        if (b <= a) return '';
        return cps ? cps.slice(a, b).join('') : v.slice(a, b);
      });
    },
  },
]);
