// Namespaced identifiers, URIs, UUIDs and bytes (dtl-functions-namespaced-identifiers.rst, -uris.rst,
// -uuids.rst, -bytes.rst).
import { randomUUID } from 'node:crypto';
import { Bytes, Ni, Uri, Uuid, decodeTransitString, identifierPart, namespacePart, type DtlValue } from '../values.js';
import { DROP, mapValues, stringArg, typeTest } from './helpers.js';
import { defineFunctions, valueArg, type CallContext } from './registry.js';

// URI prefixes collapse into namespaces: http://example.org/ is "_", others get "<pipe>-<n>" in first-seen order.
const uriNamespaces = new Map<string, Map<string, string>>();

function uriToNi(uri: string, ctx: CallContext): Ni {
  const cut = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('#')) + 1;
  const prefix = uri.slice(0, cut);
  const id = uri.slice(cut);
  if (prefix === 'http://example.org/') return new Ni('_', id);
  let byPrefix = uriNamespaces.get(ctx.pipeId);
  if (!byPrefix) {
    byPrefix = new Map();
    uriNamespaces.set(ctx.pipeId, byPrefix);
  }
  let ns = byPrefix.get(prefix);
  if (!ns) {
    ns = `${ctx.pipeId}-${byPrefix.size + 1}`;
    byPrefix.set(prefix, ns);
  }
  return new Ni(ns, id);
}

/** NI text of a value for ni-id / ni-ns: NIs, and strings (a "~:" literal or plain "ns:id"). */
function niText(v: DtlValue): string | undefined {
  if (v instanceof Ni) return v.text;
  if (typeof v === 'string') return v.startsWith('~:') ? v.slice(2) : v;
  return undefined;
}

/** "~u…"/"~b…" literal strings count for the type tests, as the docs show. */
function isTransitOf<T>(v: DtlValue, cls: new (...a: never[]) => T): boolean {
  if (v instanceof cls) return true;
  return typeof v === 'string' && decodeTransitString(v) instanceof cls;
}

const utf8 = new TextEncoder();

function quote(s: string, safe: string): string {
  let out = '';
  for (const byte of utf8.encode(s)) {
    const ch = String.fromCharCode(byte);
    if ((byte < 128 && /[A-Za-z0-9_.\-~]/.test(ch)) || (byte < 128 && safe.includes(ch))) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unquote(s: string): string {
  // Python's unquote: invalid escapes stay as they are, bytes decode as UTF-8 with replacement.
  const bytes: number[] = [];
  let out = '';
  const flush = () => {
    if (bytes.length) out += new TextDecoder('utf-8').decode(new Uint8Array(bytes));
    bytes.length = 0;
  };
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      flush();
      out += s[i];
    }
  }
  flush();
  return out;
}

defineFunctions([
  {
    name: 'ni',
    category: 'namespaced-identifiers',
    min: 1,
    max: 2,
    call: (args, ctx) => {
      if (args.length === 2) {
        const ns = stringArg(valueArg(args, 0));
        if (ns === undefined) return null;
        return mapValues(valueArg(args, 1), (v) =>
          typeof v === 'string' ? new Ni(ns, v) : v instanceof Ni ? new Ni(ns, v.id) : DROP,
        );
      }
      return mapValues(valueArg(args, 0), (v) => {
        if (typeof v === 'string') return Ni.fromText(v.startsWith('~:') ? v.slice(2) : v);
        if (v instanceof Ni) return v;
        if (v instanceof Uri) return uriToNi(v.value, ctx);
        return DROP;
      });
    },
  },
  {
    name: 'ni-id',
    category: 'namespaced-identifiers',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) => {
        const t = niText(v);
        return t === undefined ? DROP : identifierPart(t);
      }),
  },
  {
    name: 'ni-ns',
    category: 'namespaced-identifiers',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) => {
        const t = niText(v);
        return t === undefined ? DROP : namespacePart(t);
      }),
  },
  typeTest('is-ni', 'namespaced-identifiers', (v) => v instanceof Ni),
  {
    name: 'uri',
    category: 'uris',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) => (typeof v === 'string' ? new Uri(v) : v instanceof Uri ? v : DROP)),
  },
  typeTest('is-uri', 'uris', (v) => v instanceof Uri),
  {
    name: 'url-quote',
    category: 'uris',
    min: 1,
    max: 2,
    call: (args) => {
      const safe = args.length === 2 ? stringArg(valueArg(args, 0)) : '';
      if (safe === undefined) return null;
      return mapValues(valueArg(args, args.length - 1), (v) => (typeof v === 'string' ? quote(v, safe) : DROP));
    },
  },
  {
    name: 'url-unquote',
    category: 'uris',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), (v) => (typeof v === 'string' ? unquote(v) : DROP)),
  },
  {
    name: 'uuid',
    category: 'uuids',
    min: 0,
    max: 1,
    nondeterministic: true,
    call: (args) => {
      if (args.length === 0) return new Uuid(randomUUID());
      return mapValues(valueArg(args, 0), (v) => {
        if (v instanceof Uuid) return v;
        if (typeof v === 'string') return Uuid.parse(v.startsWith('~u') ? v.slice(2) : v) ?? DROP;
        return DROP;
      });
    },
  },
  typeTest('is-uuid', 'uuids', (v) => isTransitOf(v, Uuid)),
  {
    name: 'bytes',
    category: 'bytes',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) =>
        typeof v === 'string' ? new Bytes(utf8.encode(v)) : v instanceof Bytes ? v : DROP,
      ),
  },
  typeTest('is-bytes', 'bytes', (v) => isTransitOf(v, Bytes)),
  {
    name: 'base64-encode',
    category: 'bytes',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), (v) => (v instanceof Bytes ? v.toBase64() : DROP)),
  },
  {
    name: 'base64-decode',
    category: 'bytes',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), (v) => (typeof v === 'string' ? (Bytes.fromBase64(v) ?? DROP) : DROP)),
  },
]);
