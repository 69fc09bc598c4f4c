// Transform functions (rule level): they change the target `_T`, emit entities or stop the rule. Namespace
// awareness (dtl.md §8) applies to add, add-if, default, make-ni, copy, rename and remove when NIs are on.
import type { JsonValue } from '../format/json.js';
import { checkArity, compileExpr, configError, type CompileEnv } from './compiler.js';
import { DtlRuntimeError } from './errors.js';
import { generate } from './codegen.js';
import { ownPropertyReader } from './paths.js';
import { CONTINUE, DISCARD, FILTER, withIt, type Expr, type Flow, type Scope, type Transform } from './scope.js';
import {
  decodeTransit,
  hasKey,
  identifierPart,
  isDict,
  isTruthy,
  Ni,
  setKey,
  valuesEqual,
  type DtlDict,
  type DtlValue,
} from './values.js';

/** Compile a rule: a list of transform functions run in order until one stops the rule. */
export function compileRule(json: JsonValue, env: CompileEnv): (scope: Scope) => Flow {
  if (!Array.isArray(json)) throw configError(env, 'a rule must be a list of transform functions');
  // A node also accepts a single transform function as the rule body: "default": ["if", ...].
  if (typeof json[0] === 'string') return compileTransformList([json], env);
  return compileTransformList(json, env);
}

function compileTransformList(list: JsonValue[], env: CompileEnv): (scope: Scope) => Flow {
  const steps = list.map((t) => compileTransform(t, env));
  const body = steps.length === 1 ? steps[0]! : generateRuleBody(steps);
  // A rule of constant-key adds and exact-name copies can only write those keys: its target can be encoded by key
  // instead of by a walk (see targetKeys).
  if (steps.every((t) => CONSTANT_ADDS.has(t) || EXACT_COPIES.has(t))) {
    const keys = steps.flatMap((t) => (CONSTANT_ADDS.has(t) ? [CONSTANT_ADDS.get(t)!.key] : EXACT_COPIES.get(t)!));
    if (!keys.includes('__proto__')) TARGET_KEYS.set(body, [...new Set(keys)]);
  }
  return body;
}

// `copy` steps with exact property names (no wildcards, no namespaces): the keys they may write.
const EXACT_COPIES = new WeakMap<Transform, readonly string[]>();
const TARGET_KEYS = new WeakMap<object, readonly string[]>();

/** For a rule made only of constant-key adds and exact-name copies: every key it can write to an empty target. */
export function targetKeys(rule: (scope: Scope) => number): readonly string[] | undefined {
  return TARGET_KEYS.get(rule);
}

// `add` with a constant property name, recorded so a rule body can store it with a literal key.
const CONSTANT_ADDS = new WeakMap<Transform, { key: string; value: Expr }>();

/**
 * One generated function per transform list: constant-key adds become `T["key"] = value(s)` stores (a named store
 * with its own inline cache per site, several times faster than one shared closure storing under varying keys);
 * every other step is called and may stop the rule. Keys enter the source only as JSON string literals.
 */
function generateRuleBody(steps: Transform[]): Transform {
  const values: Expr[] = [];
  const lines = ['const T = s.T; let f;'];
  steps.forEach((step, i) => {
    const add = CONSTANT_ADDS.get(step);
    if (add) {
      values.push(add.value);
      lines.push(`T[${JSON.stringify(add.key)}] = values[${values.length - 1}](s);`);
    } else lines.push(`if ((f = steps[${i}](s)) !== 0) return f;`);
  });
  lines.push('return 0;');
  const factory = new Function('steps', 'values', `return function rule(s) {\n${lines.join('\n')}\n};`) as (
    steps: Transform[],
    values: Expr[],
  ) => Transform;
  return factory(steps, values);
}

/** A THEN/ELSE branch: one transform (["add", ...]) or a list of transforms ([["add", ...], ...], possibly []). */
function compileBranch(json: JsonValue, env: CompileEnv): Transform {
  if (Array.isArray(json) && (json.length === 0 || Array.isArray(json[0]))) return compileTransformList(json, env);
  return compileTransform(json, env);
}

export function compileTransform(json: JsonValue, env: CompileEnv): Transform {
  if (!Array.isArray(json) || json.length === 0 || typeof json[0] !== 'string') {
    throw configError(env, `expected a transform function like ["add", ...], got ${shortJson(json)}`);
  }
  const name = json[0];
  env.functions?.add(name);
  const args = json.slice(1);
  const make = Object.hasOwn(TRANSFORMS, name) ? TRANSFORMS[name] : undefined;
  if (!make) throw configError(env, `unknown transform function '${name}'`, name);
  return make(args, env, name);
}

function shortJson(json: JsonValue): string {
  const text = JSON.stringify(json, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text && text.length > 60 ? `${text.slice(0, 57)}...` : String(text);
}

type TransformFactory = (args: JsonValue[], env: CompileEnv, name: string) => Transform;

// ---------------------------------------------------------------------------------------------------------------
// Writing properties.

/** Target key for a written property name (namespace-aware). */
function writeKey(name: string, env: CompileEnv): string {
  if (!env.pipe.namespacedIdentifiers) return name;
  if (name.startsWith('::')) return name.slice(2);
  if (name.startsWith(':')) return env.pipe.propertyNamespace + name;
  if (name.startsWith('_') || name.startsWith('$') || name.includes(':')) return name;
  return `${env.pipe.propertyNamespace}:${name}`;
}

/** `_id` values get the identity namespace when NIs are on (strings without a namespace only). */
function writeValue(key: string, value: DtlValue, env: CompileEnv): DtlValue {
  if (key !== '_id' || !env.pipe.namespacedIdentifiers) return value;
  const prefix = (v: DtlValue): DtlValue =>
    typeof v === 'string' && !v.includes(':') ? `${env.pipe.identityNamespace}:${v}` : v;
  return Array.isArray(value) ? value.map(prefix) : prefix(value);
}

/** The property argument: a constant name, or an expression giving a string (or list of strings). */
function propertyKeys(raw: JsonValue, env: CompileEnv, name: string): (s: Scope) => string[] {
  if (typeof raw === 'string' && !/^_[STPRB]?\./.test(raw)) {
    const key = writeKey(raw, env);
    const keys = [key];
    return () => keys;
  }
  if (typeof raw !== 'string' && !Array.isArray(raw))
    throw configError(env, 'the property name must be a string or an expression', name);
  const e = compileExpr(raw, env);
  return (s) => {
    const v = e(s);
    const names = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    for (const n of names) if (typeof n === 'string') out.push(writeKey(n, env));
    return out;
  };
}

function addLike(mode: 'add' | 'default'): TransformFactory {
  return (args, env, name) => {
    checkArity(name, 2, 2, args.length, env);
    const value = compileExpr(args[1]!, env);
    const raw = args[0]!;
    if (typeof raw === 'string' && !/^_[STPRB]?\./.test(raw)) {
      // The common case: a constant property name, decided at compile time.
      const key = writeKey(raw, env);
      const prefixId = key === '_id' && env.pipe.namespacedIdentifiers;
      if (mode === 'default') {
        return (s) => {
          if (!hasKey(s.T, key)) setKey(s.T, key, prefixId ? writeValue(key, value(s), env) : value(s));
          return CONTINUE;
        };
      }
      if (prefixId) {
        return (s) => {
          s.T[key] = writeValue(key, value(s), env);
          return CONTINUE;
        };
      }
      if (key === '__proto__') {
        return (s) => {
          setKey(s.T, key, value(s));
          return CONTINUE;
        };
      }
      const step: Transform = (s) => {
        s.T[key] = value(s);
        return CONTINUE;
      };
      CONSTANT_ADDS.set(step, { key, value });
      return step;
    }
    const keysOf = propertyKeys(raw, env, name);
    return (s) => {
      const keys = keysOf(s);
      if (keys.length === 0) return CONTINUE;
      const v = value(s);
      for (const key of keys) {
        if (mode === 'default' && hasKey(s.T, key)) continue;
        setKey(s.T, key, writeValue(key, v, env));
      }
      return CONTINUE;
    };
  };
}

const addIf: TransformFactory = (args, env, name) => {
  checkArity(name, 2, 3, args.length, env);
  const keysOf = propertyKeys(args[0]!, env, name);
  const condition: Expr | undefined = args.length === 3 ? compileExpr(args[1]!, env) : undefined;
  const value = compileExpr(args[args.length - 1]!, env);
  return (s) => {
    const v = value(s);
    const ok = condition ? isTruthy(withIt(s, condition, v)) : v !== null;
    if (!ok) return CONTINUE;
    for (const key of keysOf(s)) setKey(s.T, key, writeValue(key, v, env));
    return CONTINUE;
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Wildcards and namespace-aware matching for copy/remove.

function wildcardRegex(pattern: string): RegExp {
  let re = '';
  for (const ch of pattern) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

type KeyMatcher = (key: string) => boolean;

/** A property pattern; with NIs on, the last colon splits namespace and identifier patterns. */
export function keyMatcher(pattern: string, namespaced: boolean): KeyMatcher {
  if (!namespaced) {
    if (!/[*?]/.test(pattern)) return (k) => k === pattern;
    const re = wildcardRegex(pattern);
    return (k) => re.test(k);
  }
  if (pattern.startsWith('::')) {
    const re = wildcardRegex(pattern.slice(2));
    return (k) => re.test(k);
  }
  const colon = pattern.lastIndexOf(':');
  const idRe = wildcardRegex(colon < 0 ? pattern : pattern.slice(colon + 1));
  if (colon < 0) {
    // Unqualified: the identifier part in every namespace (and unqualified keys).
    return (k) => idRe.test(identifierPart(k));
  }
  const nsRe = wildcardRegex(pattern.slice(0, colon));
  return (k) => {
    const c = k.lastIndexOf(':');
    return c >= 0 && nsRe.test(k.slice(0, c)) && idRe.test(k.slice(c + 1));
  };
}

function patternList(raw: JsonValue | undefined, env: CompileEnv, name: string): string[] {
  if (raw === undefined) return [];
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) {
    const items = raw[0] === 'list' ? raw.slice(1) : raw;
    if (items.every((x) => typeof x === 'string')) return items as string[];
  }
  throw configError(env, 'expected a property pattern or a ["list", ...] of patterns', name);
}

// Sink bookkeeping is never copied by a wildcard; an exact name still copies it.
const BOOKKEEPING = new Set(['_updated', '_ts', '_hash', '_previous']);

const copy: TransformFactory = (args, env, name) => {
  checkArity(name, 1, 2, args.length, env);
  const ns = env.pipe.namespacedIdentifiers;
  const includes = patternList(args[0], env, name);
  const excludes = patternList(args[1], env, name).map((p) => keyMatcher(p, ns));
  const exactOnly = !ns && includes.every((p) => !/[*?]/.test(p)) && excludes.length === 0;
  if (exactOnly) {
    const step: Transform = includes.includes('__proto__')
      ? (s) => {
          const src = s.S;
          if (!isDict(src)) return CONTINUE;
          for (const key of includes) if (hasKey(src, key)) setKey(s.T, key, src[key]!);
          return CONTINUE;
        }
      : exactCopy(includes);
    EXACT_COPIES.set(step, includes);
    return step;
  }
  const matchers = includes.map((p) => ({ match: keyMatcher(p, ns), wildcard: /[*?]/.test(p) }));
  return (s) => {
    const src = s.S;
    if (!isDict(src)) return CONTINUE;
    for (const key in src) {
      let included = false;
      for (const m of matchers) {
        if (m.match(key) && !(m.wildcard && BOOKKEEPING.has(key))) {
          included = true;
          break;
        }
      }
      if (!included || excludes.some((x) => x(key))) continue;
      setKey(s.T, key, src[key]!);
    }
    return CONTINUE;
  };
};

/** Generated exact-name copy: an own-property reader and a literal-key store per name (no `__proto__`). */
function exactCopy(keys: readonly string[]): Transform {
  const lines = keys.map((k, i) => `  v = r${i}(src);\n  if (v !== undefined) T[${JSON.stringify(k)}] = v;`);
  return generate<Transform>(
    ['isDict', ...keys.map((_, i) => `r${i}`)],
    `return function copy(s) {\n  const src = s.S;\n  if (!isDict(src)) return 0;\n  const T = s.T;\n  let v;\n${lines.join('\n')}\n  return 0;\n};`,
    [isDict, ...keys.map((k) => ownPropertyReader(k))],
  );
}

const remove: TransformFactory = (args, env, name) => {
  checkArity(name, 1, 1, args.length, env);
  const matchers = patternList(args[0], env, name).map((p) => keyMatcher(p, env.pipe.namespacedIdentifiers));
  return (s) => {
    for (const key of Object.keys(s.T)) if (matchers.some((m) => m(key))) delete s.T[key];
    return CONTINUE;
  };
};

/** Source keys a property name reads (namespace-aware), with their namespace ("" for none). */
function sourceKeys(src: DtlDict, name: string, namespaced: boolean): { key: string; ns: string | undefined }[] {
  if (!namespaced || name.includes(':') || name.startsWith('_') || name.startsWith('$')) {
    const key = name.startsWith('::') ? name.slice(2) : name;
    if (!hasKey(src, key)) return [];
    const c = key.lastIndexOf(':');
    return [{ key, ns: c >= 0 && !key.startsWith('::') ? key.slice(0, c) : undefined }];
  }
  const out: { key: string; ns: string | undefined }[] = [];
  for (const key in src) {
    const c = key.lastIndexOf(':');
    if (key.slice(c + 1) === name) out.push({ key, ns: c >= 0 ? key.slice(0, c) : undefined });
  }
  return out;
}

function expressionOrName(raw: JsonValue, env: CompileEnv): (s: Scope) => string | undefined {
  if (typeof raw === 'string' && !/^_[STPRB]?\./.test(raw)) return () => raw;
  const e = compileExpr(raw, env);
  return (s) => {
    const v = e(s);
    const f = Array.isArray(v) ? v[0] : v;
    return typeof f === 'string' ? f : undefined;
  };
}

const rename: TransformFactory = (args, env, name) => {
  checkArity(name, 2, 2, args.length, env);
  const from = expressionOrName(args[0]!, env);
  const to = expressionOrName(args[1]!, env);
  const ns = env.pipe.namespacedIdentifiers;
  return (s) => {
    const src = s.S;
    const a = from(s);
    const b = to(s);
    if (!isDict(src) || a === undefined || b === undefined) return CONTINUE;
    const found = sourceKeys(src, a, ns);
    if (found.length === 0) return CONTINUE;
    if (!ns) {
      setKey(s.T, b, src[found[0]!.key]!);
      return CONTINUE;
    }
    if (b.includes(':') && !b.startsWith('::')) {
      // A qualified target collects every value.
      const key = b.startsWith(':') ? env.pipe.propertyNamespace + b : b;
      if (found.length === 1) setKey(s.T, key, src[found[0]!.key]!);
      else {
        const all: DtlValue[] = [];
        for (const f of found) {
          const v = src[f.key]!;
          if (Array.isArray(v)) all.push(...v);
          else if (v !== null) all.push(v);
        }
        setKey(s.T, key, all);
      }
      return CONTINUE;
    }
    const bare = b.startsWith('::') ? b.slice(2) : b;
    for (const f of found) setKey(s.T, f.ns === undefined ? bare : `${f.ns}:${bare}`, src[f.key]!);
    return CONTINUE;
  };
};

const makeNi: TransformFactory = (args, env, name) => {
  checkArity(name, 2, 3, args.length, env);
  const namespace = expressionOrName(args[0]!, env);
  const from = expressionOrName(args[1]!, env);
  const to = args.length === 3 ? expressionOrName(args[2]!, env) : undefined;
  const ns = env.pipe.namespacedIdentifiers;
  return (s) => {
    const src = s.S;
    const nsName = namespace(s);
    const a = from(s);
    if (!isDict(src) || nsName === undefined || a === undefined) return CONTINUE;
    const b = to?.(s);
    for (const f of sourceKeys(src, a, ns)) {
      const value = decodeTransit(src[f.key]! as JsonValue);
      // Strings and integers ({"employeeid": 3402} → ~:ns:3402) become identifiers.
      const toNi = (v: DtlValue): DtlValue | undefined =>
        typeof v === 'string' || typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v))
          ? new Ni(nsName, String(v))
          : undefined;
      let out: DtlValue | undefined;
      if (Array.isArray(value)) {
        const list = value.map(toNi).filter((x): x is DtlValue => x !== undefined);
        out = list.length ? list : undefined;
      } else out = toNi(value);
      if (out === undefined) continue;
      let key: string;
      if (b === undefined) key = `${f.key}-ni`;
      else if (ns && b.includes(':'))
        key = b.startsWith(':') && !b.startsWith('::') ? env.pipe.propertyNamespace + b : b.replace(/^::/, '');
      else key = ns && f.ns !== undefined ? `${f.ns}:${b}` : b;
      setKey(s.T, key, out);
    }
    return CONTINUE;
  };
};

function mergeLike(union: boolean): TransformFactory {
  return (args, env, name) => {
    checkArity(name, 1, 1, args.length, env);
    const values = compileExpr(args[0]!, env);
    return (s) => {
      const v = values(s);
      const dicts = Array.isArray(v) ? v : [v];
      for (const d of dicts) {
        if (!isDict(d)) continue;
        for (const key in d) {
          if (key.startsWith('_')) continue;
          const value = d[key]!;
          if (union && hasKey(s.T, key)) {
            const existing = s.T[key]!;
            const combined = Array.isArray(existing) ? [...existing] : [existing];
            if (Array.isArray(value)) combined.push(...value);
            else combined.push(value);
            setKey(s.T, key, combined);
          } else setKey(s.T, key, value);
        }
      }
      return CONTINUE;
    };
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Control: if/case/case-eq, filter, discard, fail!, trip!, sleep!.

const ifTransform: TransformFactory = (args, env, name) => {
  checkArity(name, 2, 3, args.length, env);
  const cond = compileExpr(args[0]!, env);
  const then = compileBranch(args[1]!, env);
  const otherwise = args.length === 3 ? compileBranch(args[2]!, env) : undefined;
  return (s) => (isTruthy(cond(s)) ? then(s) : otherwise ? otherwise(s) : CONTINUE);
};

const caseTransform: TransformFactory = (args, env, name) => {
  checkArity(name, 2, Infinity, args.length, env);
  const pairs: [Expr, Transform][] = [];
  for (let i = 0; i + 1 < args.length; i += 2)
    pairs.push([compileExpr(args[i]!, env), compileBranch(args[i + 1]!, env)]);
  const otherwise = args.length % 2 === 1 ? compileBranch(args[args.length - 1]!, env) : undefined;
  return (s) => {
    for (const [c, t] of pairs) if (isTruthy(c(s))) return t(s);
    return otherwise ? otherwise(s) : CONTINUE;
  };
};

const caseEqTransform: TransformFactory = (args, env, name) => {
  checkArity(name, 3, Infinity, args.length, env);
  const value = compileExpr(args[0]!, env);
  const rest = args.slice(1);
  const pairs: [Expr, Transform][] = [];
  for (let i = 0; i + 1 < rest.length; i += 2)
    pairs.push([compileExpr(rest[i]!, env), compileBranch(rest[i + 1]!, env)]);
  const otherwise = rest.length % 2 === 1 ? compileBranch(rest[rest.length - 1]!, env) : undefined;
  return (s) => {
    const v = value(s);
    for (const [c, t] of pairs) if (valuesEqual(v, c(s))) return t(s);
    return otherwise ? otherwise(s) : CONTINUE;
  };
};

function stopper(flow: Flow): TransformFactory {
  return (args, env, name) => {
    checkArity(name, 0, 1, args.length, env);
    if (args.length === 0) return () => flow;
    const cond = compileExpr(args[0]!, env);
    return (s) => (isTruthy(cond(s)) ? CONTINUE : flow);
  };
}

function failer(trip: boolean): TransformFactory {
  return (args, env, name) => {
    checkArity(name, 0, 1, args.length, env);
    const message = args.length ? compileExpr(args[0]!, env) : () => null;
    return (s) => {
      const m = message(s);
      const text = typeof m === 'string' ? m : `${name} called`;
      throw new DtlRuntimeError(`${name}: ${text} (pipe '${env.pipe.pipeId}', rule '${env.rule}')`, { trip });
    };
  };
}

const sleep: TransformFactory = (args, env, name) => {
  checkArity(name, 1, 1, args.length, env);
  const period = compileExpr(args[0]!, env);
  return (s) => {
    const p = period(s);
    const seconds = typeof p === 'number' ? p : typeof p === 'bigint' ? Number(p) : 0;
    // Transforms are synchronous; Atomics.wait blocks this thread for the period without spinning.
    if (seconds > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(seconds, 3600) * 1000);
    return CONTINUE;
  };
};

// ---------------------------------------------------------------------------------------------------------------
// Emitting: create, create-child.

/**
 * The entities a create/create-child value holds. id_required (configuration-transforms-dtl.rst): a value that is not
 * a dict, or a dict without a string `_id`, fails the transform, or is ignored when id_required is false. Null is no
 * value at all.
 */
function emittedEntities(v: DtlValue, s: Scope, env: CompileEnv, name: string): DtlDict[] {
  const out: DtlDict[] = [];
  for (const d of Array.isArray(v) ? v : [v]) {
    if (d === null) continue;
    if (isDict(d) && typeof d._id === 'string') out.push(d);
    else if (s.run.idRequired) {
      const what = isDict(d) ? 'a dict without a string _id' : 'not a dict';
      throw new DtlRuntimeError(`${name}: the value is ${what} (pipe '${env.pipe.pipeId}', rule '${env.rule}')`);
    }
  }
  return out;
}

const create: TransformFactory = (args, env, name) => {
  checkArity(name, 1, 1, args.length, env);
  const values = compileExpr(args[0]!, env);
  return (s) => {
    for (const d of emittedEntities(values(s), s, env, name)) s.run.created.push(d);
    return CONTINUE;
  };
};

const createChild: TransformFactory = (args, env, name) => {
  checkArity(name, 1, 1, args.length, env);
  const values = compileExpr(args[0]!, env);
  return (s) => {
    const entities = emittedEntities(values(s), s, env, name);
    const existing = s.T.$children;
    const children: DtlValue[] = Array.isArray(existing) ? [...existing] : existing != null ? [existing] : [];
    for (const d of entities) if (!children.some((c) => valuesEqual(c, d))) children.push(d);
    s.T.$children = children;
    return CONTINUE;
  };
};

const comment: TransformFactory = () => () => CONTINUE;

const TRANSFORMS: Record<string, TransformFactory> = {
  add: addLike('add'),
  'add-if': addIf,
  default: addLike('default'),
  copy,
  rename,
  remove,
  merge: mergeLike(false),
  'merge-union': mergeLike(true),
  'make-ni': makeNi,
  if: ifTransform,
  case: caseTransform,
  'case-eq': caseEqTransform,
  comment,
  filter: stopper(FILTER),
  discard: stopper(DISCARD),
  create,
  'create-child': createChild,
  'fail!': failer(false),
  'trip!': failer(true),
  'sleep!': sleep,
};

export const TRANSFORM_NAMES: readonly string[] = Object.keys(TRANSFORMS);
