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

function lookup(sub: Substitution, kind: string, name: string, path: string): JsonValue | undefined {
  if (kind === 'ENV') {
    if (Object.hasOwn(sub.env, name)) return sub.env[name]!;
    sub.missing.push({ kind: 'ENV', name, path });
    return undefined;
  }
  if (!sub.secrets) return undefined;
  if (Object.hasOwn(sub.secrets, name)) return sub.secrets[name]!;
  sub.missing.push({ kind: 'SECRET', name, path });
  return undefined;
}

function substituteString(text: string, sub: Substitution, path: string): JsonValue {
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
  if (typeof value === 'string') return substituteString(value, sub, path);
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, sub, `${path}[${i}]`));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) out[key] = substitute(value[key]!, sub, `${path}['${key}']`);
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
