// JSON functions (dtl-functions-json.rst): json / json-transit serialise with sorted keys (Python json.dumps
// style); json-parse reads plain JSON, json-transit-parse also decodes "~x" strings.
import { JsonSyntaxError, parseJson, stringifyJson } from '../../format/json.js';
import { decodeTransit, toPlainJson } from '../values.js';
import { castFunction } from './casts.js';
import { DROP, mapValues } from './helpers.js';
import { transitJson } from './lists.js';
import { defineFunctions, valueArg } from './registry.js';

function tryParse(text: string) {
  try {
    return parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return undefined;
    throw err;
  }
}

defineFunctions([
  {
    name: 'json',
    category: 'json',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) => (v === null ? DROP : stringifyJson(toPlainJson(v), { sortKeys: true }))),
  },
  {
    name: 'json-transit',
    category: 'json',
    min: 1,
    max: 1,
    call: (args) => mapValues(valueArg(args, 0), (v) => (v === null ? DROP : transitJson(v))),
  },
  castFunction('json-parse', 'json', (v) => (typeof v === 'string' ? tryParse(v) : undefined)),
  castFunction('json-transit-parse', 'json', (v) => {
    if (typeof v !== 'string') return undefined;
    const parsed = tryParse(v);
    return parsed === undefined ? undefined : decodeTransit(parsed);
  }),
]);
