// The expression compiler: DTL JSON → closures over a Scope, built once per pipe. Calls are looked up in the
// function registry (arity checked here), paths are pre-split into step readers, constants are transit-decoded and
// constant calls are folded; hot sites (calls, paths) are generated functions (codegen.ts), calls with the inline
// fast paths of inline.ts for common functions and argument types. Special forms that need
// the scope or the rule table live here: literal, path, apply, apply-hops, hops, lookup-entity, is-changed,
// completeness, and the short-circuiting expression forms of if/case/case-eq.
import { JsonFloat, type JsonValue } from '../format/json.js';
import { DtlConfigError, DtlRuntimeError } from './errors.js';
import './functions/index.js';
import { generate } from './codegen.js';
import { INLINE, INLINE_HELPERS, INLINE_WITH_FUNCTION } from './inline.js';
import { FunctionArg, LazyArg, lookupFunction, type DtlFunction } from './functions/registry.js';
import { compileHops, type CompiledHops } from './hops.js';
import { applyStep, collectDecoded, parsePathParts, stepReader, walkPath, type StepReader } from './paths.js';
import { withIt, type Expr, type Scope } from './scope.js';
import {
  DateTime,
  decodeTransit,
  decodeTransitString,
  isDict,
  isTruthy,
  setKey,
  valuesEqual,
  type DtlDict,
  type DtlValue,
} from './values.js';

export interface PipeDtlSettings {
  pipeId: string;
  namespacedIdentifiers: boolean; // from pipe, else node metadata
  identityNamespace: string; // default pipe id
  propertyNamespace: string; // default pipe id
  sinkIsDataset: boolean; // filter emits _filtered:true for dataset sinks
}

/** A rule reachable from `apply`; `run` is filled in once every rule is compiled (rules may refer to each other). */
export interface RuleRef {
  name: string;
  hasHops: boolean;
  run?: (scope: Scope) => number;
}

export interface CompileEnv {
  pipe: PipeDtlSettings;
  rule: string;
  rules: Map<string, RuleRef>;
  hopDatasets: Set<string>;
  /** Hops aliases visible as path roots ("a.name") while compiling a where clause or return template. */
  aliases: ReadonlySet<string> | null;
  /** Set when the current rule is compiled: it uses hops (so `apply` on it is not allowed). */
  usesHops: { value: boolean };
  /** Names of the functions and transform functions compiled (for CompiledDtl.uses). */
  functions?: Set<string>;
}

export function configError(env: CompileEnv, message: string, fn?: string): DtlConfigError {
  return new DtlConfigError(message, { pipe: env.pipe.pipeId, rule: env.rule, fn });
}

/** Inline code for the variable roots, used in generated path readers. */
const ROOT_CODE: Record<string, string> = { _S: 's.S', _T: 's.T', _P: 's.P', _R: 's.R', _B: 's.run.params', _: 's.it' };

const VARIABLES: Record<string, (s: Scope) => DtlValue> = {
  _S: (s) => s.S,
  _T: (s) => s.T,
  _P: (s) => s.P,
  _R: (s) => s.R,
  _B: (s) => s.run.params,
  _: (s) => s.it,
};

/** Source of isPlainObject(v) (values.ts) for generated readers: the inherited-constructor test first, it is cheap. */
const PLAIN = '(v.constructor === Object || (!Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype))';

/** Compile a path string ("_S.a.b", "a.b" for a hops alias), or undefined when the string is not a path. */
function compilePathString(text: string, env: CompileEnv): Expr | undefined {
  const dot = text.indexOf('.');
  if (dot < 0) return undefined;
  const root = text.slice(0, dot);
  let start: ((s: Scope) => DtlValue) | undefined = Object.hasOwn(VARIABLES, root) ? VARIABLES[root] : undefined;
  const rootCode = Object.hasOwn(ROOT_CODE, root) ? ROOT_CODE[root] : undefined;
  if (!start && env.aliases?.has(root)) start = (s) => (s.aliases ? (s.aliases[root] ?? null) : null);
  if (!start) return undefined;
  let parts: string[];
  try {
    parts = parsePathParts(text.slice(dot + 1));
  } catch (err) {
    throw configError(env, (err as Error).message);
  }
  const readers = parts.map((p) => stepReader(p, env.pipe));
  const get = start;
  // Entities are decoded lazily: whatever a path reads is transit-decoded here (a no-op for typed values), so
  // values a rule never reads are never walked.
  if (readers.length === 0) return (s) => decodeTransit(get(s) as JsonValue);
  if (readers.length === 1) {
    const body = `return function path(s) {
  const v = ${rootCode ?? 'get(s)'};
  if (v !== null && typeof v === 'object' && ${PLAIN}) {
    const x = r(v);
    if (x === undefined) return null;
    if (typeof x === 'string') return x.charCodeAt(0) === 126 ? (decodeString(x) ?? x) : x;
    if (typeof x === 'number') return Number.isInteger(x) ? x : decode(x);
    if (x === null || typeof x !== 'object') return x;
    return decode(x);
  }
  return decode(walkPath(v, readers));
};`;
    return generate<Expr>(['get', 'r', 'readers', 'walkPath', 'decode', 'decodeString'], body, [
      get,
      readers[0]!,
      readers,
      walkPath,
      decodeTransit,
      decodeTransitString,
    ]);
  }
  // Several steps: unrolled, each step with its own reader call site; lists fall back to applyStep, and the last
  // step over a list collects and decodes in one pass.
  const last = readers.length - 1;
  const steps = readers
    .slice(0, last)
    .map(
      (_, i) => `  if (v === null) return null;
  if (typeof v === 'object' && ${PLAIN}) { const x = r${i}(v); v = x === undefined ? null : x; }
  else if (Array.isArray(v)) v = applyStep(v, r${i});
  else return null;`,
    )
    .join('\n');
  const lastStep = `  if (v === null || typeof v !== 'object') return null;
  if (Array.isArray(v)) return collect(v, r${last});
  if (!${PLAIN}) return null;
  const x = r${last}(v);
  if (x === undefined) return null;
  if (typeof x === 'string') return x.charCodeAt(0) === 126 ? (decodeString(x) ?? x) : x;
  if (typeof x === 'number') return Number.isInteger(x) ? x : decode(x);
  if (x === null || typeof x !== 'object') return x;
  return decode(x);`;
  return generate<Expr>(
    ['get', 'applyStep', 'collect', 'decode', 'decodeString', ...readers.map((_, i) => `r${i}`)],
    `return function path(s) {\n  let v = ${rootCode ?? 'get(s)'};\n${steps}\n${lastStep}\n};`,
    [get, applyStep, collectDecoded, decodeTransit, decodeTransitString, ...readers],
  );
}

/** Compile any DTL expression. */
export function compileExpr(json: JsonValue, env: CompileEnv): Expr {
  if (typeof json === 'string') {
    if (json.charCodeAt(0) === 95 /* _ */) {
      const path = compilePathString(json, env);
      if (path) return path;
    } else if (env.aliases && json.includes('.')) {
      const path = compilePathString(json, env);
      if (path) return path;
    }
    const value = json.charCodeAt(0) === 126 ? (decodeTransitString(json) ?? json) : json;
    return markConstant(() => value);
  }
  if (json === null || typeof json !== 'object' || json instanceof JsonFloat) {
    const value = json as DtlValue;
    return markConstant(() => value);
  }
  if (Array.isArray(json)) return compileCall(json, env);
  // A dict literal is data (["path", "a", {"a": [{"b": 1}]}] in the docs); only a hops return template
  // interpolates its values as expressions over the aliases.
  if (env.aliases) {
    const keys = Object.keys(json);
    const values = keys.map((k) => compileExpr(json[k]!, env));
    return (s) => {
      const out: DtlDict = {};
      for (let i = 0; i < keys.length; i++) setKey(out, keys[i]!, values[i]!(s));
      return out;
    };
  }
  const value = decodeConstant(json);
  return markConstant(() => structuredCopy(value));
}

// Constant expressions are marked so calls over them can be folded at compile time.
const CONSTANTS = new WeakSet<Expr>();
function isConstant(e: Expr): boolean {
  return CONSTANTS.has(e);
}
function markConstant(e: Expr): Expr {
  CONSTANTS.add(e);
  return e;
}

function compileCall(json: JsonValue[], env: CompileEnv): Expr {
  if (json.length === 0) throw configError(env, 'an empty list is not an expression (use ["list"] for an empty list)');
  const name = json[0];
  if (typeof name !== 'string')
    throw configError(env, `expected a function name as the first element of ${describe(json)}`);
  env.functions?.add(name);
  const args = json.slice(1);
  const special = Object.hasOwn(SPECIAL_FORMS, name) ? SPECIAL_FORMS[name] : undefined;
  if (special) return special(args, env, name);
  const fn = lookupFunction(name);
  if (!fn) {
    if (TRANSFORM_ONLY.has(name))
      throw configError(env, `'${name}' is a transform function and cannot be used in an expression`, name);
    throw configError(env, `unknown function '${name}'`, name);
  }
  checkArity(fn.name, fn.min, fn.max, args.length, env, fn.checkArity);
  if (fn.validate) {
    const problem = fn.validate(args);
    if (problem) throw configError(env, problem, name);
  }
  return compileRegistered(fn, args, env);
}

export function checkArity(
  name: string,
  min: number,
  max: number,
  count: number,
  env: CompileEnv,
  extra?: (n: number) => string | undefined,
): void {
  if (count < min || count > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw configError(env, `'${name}' takes ${expected} argument${expected === '1' ? '' : 's'}, got ${count}`, name);
  }
  const problem = extra?.(count);
  if (problem) throw configError(env, problem, name);
}

function compileRegistered(fn: DtlFunction, rawArgs: JsonValue[], env: CompileEnv): Expr {
  const n = rawArgs.length;
  const fnIdx = new Set(fn.functionArgs?.(n) ?? []);
  const litIdx = new Set(fn.literalArgs?.(n) ?? []);
  let allConstant = !fn.nondeterministic;
  // Each argument becomes a local of the generated call site (evaluated in order): a value, a FunctionArg that
  // binds `_`, or a LazyArg; constants of `literalArgs` are passed as they are. FunctionArgs are allocated once per
  // site and read the scope of the running call from `cur` (saved and restored around the call, so recursion
  // through `apply` still sees its own scope); functions only call them while `call` runs.
  const deps: unknown[] = [];
  const argCode: string[] = [];
  const prelude: string[] = [];
  let plainValues = !fn.lazy;
  for (let i = 0; i < n; i++) {
    const raw = rawArgs[i]!;
    if (litIdx.has(i)) {
      deps.push(decodeConstant(raw));
      argCode.push(`d${deps.length - 1}`);
      plainValues = false;
      continue;
    }
    const e = compileExpr(raw, env);
    deps.push(e);
    const d = `d${deps.length - 1}`;
    if (fn.lazy) {
      argCode.push(`new LazyArg(() => ${d}(s))`);
      allConstant = false;
    } else if (fnIdx.has(i)) {
      prelude.push(
        `const f${i} = new FunctionArg((it) => { const c = cur; const p = c.it; c.it = it; try { return ${d}(c); } finally { c.it = p; } });`,
      );
      argCode.push(`f${i}`);
      allConstant = false;
      plainValues = false;
    } else if (isConstant(e)) {
      argCode.push(primitiveLiteral(e(foldScope(env))) ?? `${d}(s)`);
    } else {
      argCode.push(`${d}(s)`);
      allConstant = false;
    }
  }
  const params = ['call', 'LazyArg', 'FunctionArg', 'H', ...deps.map((_, i) => `d${i}`)];
  const locals = argCode.map((code, i) => `  const a${i} = ${code};`);
  const names = argCode.map((_, i) => `a${i}`);
  const fast = plainValues && Object.hasOwn(INLINE, fn.name) ? INLINE[fn.name]!(names) : undefined;
  const fastCode = fast ? `  if (${fast.guard}) { const r = ${fast.expr}; if (r !== undefined) return r; }\n` : '';
  let body: string;
  if (prelude.length) {
    const withFn =
      !fn.lazy && litIdx.size === 0 && Object.hasOwn(INLINE_WITH_FUNCTION, fn.name)
        ? INLINE_WITH_FUNCTION[fn.name]!
        : undefined;
    const fastFn =
      withFn?.(
        names,
        names.map((_, i) => `d${i}`),
      ) ?? '';
    body = `let cur = null;\n${prelude.join('\n')}\nreturn function site(s) {\n  const prev = cur;\n  cur = s;\n  try {\n  ${locals.join('\n  ')}\n    ${fastFn}\n    return call([${names.join(', ')}], s.run.call);\n  } finally {\n    cur = prev;\n  }\n};`;
  } else {
    body = `return function site(s) {\n${locals.join('\n')}\n${fastCode}  return call([${names.join(', ')}], s.run.call);\n};`;
  }
  const expr = generate<Expr>(params, body, [fn.call, LazyArg, FunctionArg, INLINE_HELPERS, ...deps]);
  if (allConstant && n > 0 && CONSTANT_FOLDABLE(fn)) return foldConstant(expr, env);
  return expr;
}

/** Source text for a primitive constant (strings as JSON literals), or undefined for anything else. */
function primitiveLiteral(v: DtlValue): string | undefined {
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  return undefined;
}

// Folding evaluates once at compile time with the pipe's settings and no entity; nondeterministic functions (now,
// uuid, encrypt) are never folded.
function CONSTANT_FOLDABLE(fn: DtlFunction): boolean {
  return !fn.nondeterministic && fn.name !== 'path';
}

function foldConstant(expr: Expr, env: CompileEnv): Expr {
  let value: DtlValue;
  try {
    value = expr(foldScope(env));
  } catch {
    return expr; // errors surface at run time, per entity, as the docs describe
  }
  // Lists and dicts may be stored in a target and later extended (merge-union); hand out copies.
  if (value !== null && typeof value === 'object' && (Array.isArray(value) || isDict(value))) {
    const v = value;
    return markConstant(() => structuredCopy(v));
  }
  return markConstant(() => value);
}

function structuredCopy(v: DtlValue): DtlValue {
  if (Array.isArray(v)) return v.map(structuredCopy);
  if (isDict(v)) {
    const out: DtlDict = {};
    for (const k in v) setKey(out, k, structuredCopy(v[k]!));
    return out;
  }
  return v;
}

function foldScope(env: CompileEnv): Scope {
  const pipe = env.pipe;
  return {
    S: null,
    T: {},
    P: null,
    R: null,
    it: null,
    aliases: null,
    run: {
      call: {
        now: () => {
          throw new Error('now() during constant folding');
        },
        pipeId: pipe.pipeId,
        namespacedIdentifiers: pipe.namespacedIdentifiers,
        identityNamespace: pipe.identityNamespace,
        propertyNamespace: pipe.propertyNamespace,
      },
      created: [],
      idRequired: false,
      indexes: undefined,
      params: null,
      previous: undefined,
    },
  };
}

/** Literal constants: transit strings inside are decoded. */
export function decodeConstant(raw: JsonValue): DtlValue {
  if (typeof raw === 'string') return raw.charCodeAt(0) === 126 ? (decodeTransitString(raw) ?? raw) : raw;
  if (Array.isArray(raw)) return raw.map(decodeConstant);
  if (raw !== null && typeof raw === 'object' && !(raw instanceof JsonFloat)) {
    const out: DtlDict = {};
    for (const k in raw) setKey(out, k, decodeConstant(raw[k]!));
    return out;
  }
  return raw as DtlValue;
}

function describe(json: JsonValue): string {
  const text = JSON.stringify(json, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof JsonFloat ? v.value : v,
  );
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Transform-only names: using them inside an expression is a config error with a precise message. */
const TRANSFORM_ONLY = new Set([
  'add',
  'add-if',
  'default',
  'copy',
  'rename',
  'remove',
  'merge',
  'merge-union',
  'make-ni',
  'comment',
  'discard',
  'create',
  'create-child',
  'fail!',
  'sleep!',
  'trip!',
]);

type SpecialForm = (args: JsonValue[], env: CompileEnv, name: string) => Expr;

const SPECIAL_FORMS: Record<string, SpecialForm> = {
  literal(args, env, name) {
    checkArity(name, 1, 1, args.length, env);
    const value = decodeConstant(args[0]!);
    if (value !== null && typeof value === 'object' && (Array.isArray(value) || isDict(value)))
      return markConstant(() => structuredCopy(value));
    return markConstant(() => value);
  },

  path(args, env, name) {
    checkArity(name, 2, 2, args.length, env);
    const values = compileExpr(args[1]!, env);
    const pathArg = args[0]!;
    const ns = env.pipe;
    const toReaders = (p: DtlValue): StepReader[] => {
      const parts = Array.isArray(p)
        ? p.filter((x): x is string => typeof x === 'string')
        : typeof p === 'string'
          ? [p]
          : [];
      return parts.map((part) => stepReader(part, ns));
    };
    if (typeof pathArg === 'string' && !pathArg.startsWith('_')) {
      const readers = toReaders(pathArg);
      return (s) => walkPath(values(s), readers);
    }
    const pathExpr = compileExpr(pathArg, env);
    return (s) => walkPath(values(s), toReaders(pathExpr(s)));
  },

  apply(args, env, name) {
    checkArity(name, 2, 2, args.length, env);
    const ref = ruleRef(args[0]!, env, name);
    const values = compileExpr(args[1]!, env);
    return (s) => applyRule(ref, values(s), s, env);
  },

  'apply-hops'(args, env, name) {
    checkArity(name, 2, Infinity, args.length, env);
    const ref = ruleRef(args[0]!, env, name);
    env.usesHops.value = true;
    const hops = compileHopsArgs(args.slice(1), env, name);
    return (s) => applyRule(ref, hops(s), s, env, true);
  },

  hops(args, env, name) {
    checkArity(name, 1, Infinity, args.length, env);
    env.usesHops.value = true;
    return compileHopsArgs(args, env, name);
  },

  'lookup-entity'(args, env, name) {
    checkArity(name, 2, 2, args.length, env);
    const dataset = compileExpr(args[0]!, env);
    const id = compileExpr(args[1]!, env);
    if (typeof args[0] === 'string' && !args[0].startsWith('_')) env.hopDatasets.add(args[0]);
    return (s) => {
      const ds = dataset(s);
      const key = id(s);
      if (typeof ds !== 'string') return null;
      const indexes = s.run.indexes;
      if (!indexes) throw new DtlRuntimeError(`lookup-entity: no datasets are available to read '${ds}'`);
      if (typeof key !== 'string') return null;
      return indexes.byId(ds).get(key) ?? null;
    };
  },

  completeness(args, env, name) {
    checkArity(name, 2, 2, args.length, env);
    const via = compileExpr(args[0]!, env);
    const dataset = compileExpr(args[1]!, env);
    return (s) => {
      const v = via(s);
      const d = dataset(s);
      if (typeof v !== 'string' || typeof d !== 'string') return null;
      const indexes = s.run.indexes;
      if (!indexes) throw new DtlRuntimeError('completeness: no datasets are available');
      const ns = indexes.completeness(v, d);
      return ns === null ? null : (DateTime.fromNanos(ns) ?? null);
    };
  },

  'is-changed'(args, env, name) {
    checkArity(name, 1, 1, args.length, env);
    const e = compileExpr(args[0]!, env);
    return (s) => {
      const previous = s.run.previous;
      if (previous === undefined || previous === null) return null;
      const current = s.S;
      if ((isDict(current) && current._deleted === true) || (isDict(previous) && previous._deleted === true))
        return true;
      return !valuesEqual(withIt(s, e, current), withIt(s, e, previous));
    };
  },

  // Expression forms of if/case/case-eq are short-circuiting: compiled here rather than through LazyArg.
  if(args, env, name) {
    checkArity(name, 2, 3, args.length, env);
    const [c, t, e] = args.map((a) => compileExpr(a, env)) as [Expr, Expr, Expr | undefined];
    return (s) => (isTruthy(c(s)) ? t(s) : e ? e(s) : null);
  },

  case(args, env, name) {
    checkArity(name, 2, Infinity, args.length, env);
    const compiled = args.map((a) => compileExpr(a, env));
    const pairs = Math.floor(compiled.length / 2);
    const otherwise = compiled.length % 2 === 1 ? compiled[compiled.length - 1]! : undefined;
    return (s) => {
      for (let i = 0; i < pairs; i++) if (isTruthy(compiled[2 * i]!(s))) return compiled[2 * i + 1]!(s);
      return otherwise ? otherwise(s) : null;
    };
  },

  'case-eq'(args, env, name) {
    checkArity(name, 3, Infinity, args.length, env);
    const [value, ...rest] = args.map((a) => compileExpr(a, env)) as [Expr, ...Expr[]];
    const pairs = Math.floor(rest.length / 2);
    const otherwise = rest.length % 2 === 1 ? rest[rest.length - 1]! : undefined;
    return (s) => {
      const v = value(s);
      for (let i = 0; i < pairs; i++) if (valuesEqual(v, rest[2 * i]!(s))) return rest[2 * i + 1]!(s);
      return otherwise ? otherwise(s) : null;
    };
  },
};

/** Names compiled here rather than through the registry. */
export const SPECIAL_FORM_NAMES: readonly string[] = Object.keys(SPECIAL_FORMS);

function compileHopsArgs(specs: JsonValue[], env: CompileEnv, name: string): Expr {
  let hops: CompiledHops;
  try {
    hops = compileHops(specs, env);
  } catch (err) {
    if (err instanceof DtlConfigError) throw err;
    throw configError(env, (err as Error).message, name);
  }
  return (s) => hops(s);
}

function ruleRef(raw: JsonValue, env: CompileEnv, name: string): RuleRef {
  if (typeof raw !== 'string') throw configError(env, `the rule id must be a string`, name);
  const ref = env.rules.get(raw);
  if (!ref) throw configError(env, `unknown rule '${raw}'`, name);
  return ref;
}

/** Run a named rule on each non-null value of `values` with a fresh target; returns the targets (map-style). */
function applyRule(ref: RuleRef, values: DtlValue, parent: Scope, env: CompileEnv, viaHops = false): DtlValue {
  if (!viaHops && ref.hasHops) {
    throw new DtlRuntimeError(
      `apply: rule '${ref.name}' uses hops; call it with apply-hops (pipe '${env.pipe.pipeId}')`,
    );
  }
  const run = ref.run;
  if (!run) throw new DtlRuntimeError(`apply: rule '${ref.name}' is not compiled`);
  // Every value is applied, not only dicts: a rule over strings or datetimes reads them as `_S.`.
  const one = (value: DtlValue): DtlValue | undefined => {
    if (value === null) return undefined;
    const P: DtlDict = { _S: parent.S, _T: parent.T };
    if (parent.P !== null) P._P = parent.P;
    const scope: Scope = { S: value, T: {}, P, R: parent.R, it: null, aliases: null, run: parent.run };
    const flow = run(scope);
    return flow === 0 ? scope.T : undefined;
  };
  if (Array.isArray(values)) {
    const out: DtlValue[] = [];
    for (const v of values) {
      const t = one(v);
      if (t !== undefined) out.push(t);
    }
    return out;
  }
  return one(values) ?? null;
}
