// `$ENV(name)` and `$SECRET(name)` substitution, and `$conditional_properties`. An exact "$ENV(x)" string takes
// the variable's JSON value; inside other text it is interpolated as a string. Unknown names are recorded for the
// caller (pipes.ts reports them as warnings and fails only a running pipe that needs one).
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';

const REFERENCE = /\$(ENV|SECRET)\(([^()]*)\)/g;
const EXACT = /^\$(ENV|SECRET)\(([^()]*)\)$/;

export interface Substitution {
  env: JsonObject;
  /** Secret values, or undefined to leave `$SECRET(...)` in place (they are only resolved at run time). */
  secrets?: Record<string, string>;
  /** Names referenced but not defined, with the JSON path where they occur. */
  missing: { kind: 'ENV' | 'SECRET'; name: string; path: string }[];
}

function asText(value: JsonValue): string {
  return typeof value === 'string' ? value : stringifyJson(value);
}

/**
 * Where a value sits: the root path, then object keys and array indexes. Kept as a stack while walking and made
 * into text only for a missing name (building the text of every node's path was most of the walk's cost).
 */
type PathStack = (string | number)[];

function pathText(at: PathStack): string {
  let text = String(at[0]);
  for (let i = 1; i < at.length; i++) {
    const segment = at[i]!;
    text += typeof segment === 'number' ? `[${segment}]` : `['${segment}']`;
  }
  return text;
}

function lookup(sub: Substitution, kind: string, name: string, at: PathStack): JsonValue | undefined {
  if (kind === 'ENV') {
    if (Object.hasOwn(sub.env, name)) return sub.env[name]!;
    sub.missing.push({ kind: 'ENV', name, path: pathText(at) });
    return undefined;
  }
  if (!sub.secrets) return undefined;
  if (Object.hasOwn(sub.secrets, name)) return sub.secrets[name]!;
  sub.missing.push({ kind: 'SECRET', name, path: pathText(at) });
  return undefined;
}

function substituteString(text: string, sub: Substitution, path: PathStack): JsonValue {
  if (!text.includes('$')) return text;
  const exact = EXACT.exec(text);
  if (exact) {
    const value = lookup(sub, exact[1]!, exact[2]!, path);
    return value === undefined ? text : value;
  }
  return text.replace(REFERENCE, (whole, kind: string, name: string) => {
    const value = lookup(sub, kind, name, path);
    return value === undefined ? whole : asText(value);
  });
}

/** A copy of value with references replaced; unknown names are recorded in sub.missing. */
export function substitute(value: JsonValue, sub: Substitution, path = '$'): JsonValue {
  return substituteAt(value, sub, [path]);
}

function substituteAt(value: JsonValue, sub: Substitution, at: PathStack): JsonValue {
  if (typeof value === 'string') return substituteString(value, sub, at);
  if (Array.isArray(value)) {
    const out = new Array<JsonValue>(value.length);
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      out[i] = substituteAt(value[i]!, sub, at);
      at.pop();
    }
    return out;
  }
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      at.push(key);
      out[key] = substituteAt(value[key]!, sub, at);
      at.pop();
    }
    return out;
  }
  return value;
}

/**
 * Resolve `$conditional_properties: {condition, alternatives}`: the chosen alternative's keys replace keys at
 * the same level. Not applied inside embedded entities or transforms (Sesam does not either).
 */
export function resolveConditionalProperties(
  value: JsonValue,
  errors: string[],
  path = '$',
  needs?: Set<string>,
): JsonValue {
  if (Array.isArray(value)) return value.map((v, i) => resolveConditionalProperties(v, errors, `${path}[${i}]`, needs));
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (key === '$conditional_properties') continue;
    if (key === 'entities' || key === 'transform' || key === 'rules') out[key] = value[key]!;
    else out[key] = resolveConditionalProperties(value[key]!, errors, `${path}['${key}']`, needs);
  }
  const cond = value.$conditional_properties;
  if (cond === undefined) return out;
  if (!isJsonObject(cond) || !isJsonObject(cond.alternatives)) {
    errors.push(`${path}['$conditional_properties'] must be an object with 'condition' and 'alternatives'`);
    return out;
  }
  const choice = asText(cond.condition ?? null);
  // A condition that is still an unknown $ENV picks nothing: the pipe needs the variable to run.
  const unknown = [...choice.matchAll(/\$ENV\(([^()]*)\)/g)].map((m) => m[1]!);
  if (needs && unknown.length) {
    for (const name of unknown) needs.add(name);
    return out;
  }
  const chosen = cond.alternatives[choice];
  if (chosen === undefined) {
    errors.push(`${path}['$conditional_properties'] has no alternative for condition '${choice}'`);
    return out;
  }
  if (!isJsonObject(chosen)) {
    errors.push(`${path}['$conditional_properties']['alternatives']['${choice}'] must be an object`);
    return out;
  }
  for (const key of Object.keys(chosen)) {
    if (path === '$' && (key === '_id' || key === 'type')) {
      errors.push(`$conditional_properties cannot set root '${key}'`);
      continue;
    }
    out[key] = chosen[key]!;
  }
  return out;
}
