// The expression-function registry. Each category module (strings.ts, lists.ts, math.ts, …) declares its functions
// with `defineFunctions([...])` at import time; src/dtl/functions/index.ts imports every module, so importing that
// index fills the registry. The compiler looks names up here once, checks arity, and builds a closure per call site:
// functions never see unevaluated JSON at run time. Forms that need the scope or the rule table are special forms
// in compiler.ts, not registered here: if/case/case-eq (expression forms), literal, path, apply, apply-hops, hops,
// lookup-entity, is-changed, completeness; transform functions live in transforms.ts.
//
// Contract for a function module:
//
//   import { defineFunctions, fnArg, type DtlFunction } from './registry.js';
//   defineFunctions([
//     { name: 'upper', category: 'strings', min: 1, max: 1,
//       call: ([values]) => mapValues(values as DtlValue, (v) => typeof v === 'string' ? v.toUpperCase() : DROP) },
//     { name: 'datetime', category: 'date-and-time', min: 1, max: 2,
//       functionArgs: (n) => (n === 2 ? [0] : []),          // the optional default is a function-expression
//       call: (args) => { const dflt = args.length === 2 ? fnArg(args, 0) : undefined; ... } },
//   ]);
//
// Argument passing:
//   - by default every argument is evaluated before `call` and arrives as a DtlValue (typed values, not transit);
//   - positions listed by `functionArgs(argCount)` arrive as a FunctionArg: `f.apply(x)` evaluates that argument
//     with `_` bound to x (use `fnArg(args, i)` to get it typed);
//   - with `lazy: true` every argument arrives as a LazyArg (`a.get()` evaluates it; use `lazyArg(args, i)`),
//     for short-circuiting functions (and, or, not, if-null, coalesce-args);
//   - positions listed by `literalArgs(argCount)` arrive as the raw (transit-decoded) JSON of the argument, for
//     constants such as a datepart name; `validate` can reject bad constants at compile time.
// Errors: return null / drop values for what the docs call lenient; throw `new DtlRuntimeError(message)` (from
// ../errors.ts) for what the docs call an error. Returned values must be fresh or immutable (never mutate inputs:
// argument lists and dicts may be shared with the source entity).
import type { DtlValue } from '../values.js';

/** A function-expression argument: evaluates the argument with `_` bound to `it`. */
export class FunctionArg {
  constructor(readonly apply: (it: DtlValue) => DtlValue) {}
}

/** A lazily evaluated argument (see `lazy`). */
export class LazyArg {
  constructor(readonly get: () => DtlValue) {}
}

export type ArgValue = DtlValue | FunctionArg | LazyArg;

/** What a function may know about where it runs. */
export interface CallContext {
  /** Current time, ns since epoch (deterministic in tests). */
  now(): bigint;
  /** Pipe settings relevant to functions (namespaces). */
  readonly pipeId: string;
  readonly namespacedIdentifiers: boolean;
  readonly identityNamespace: string;
  readonly propertyNamespace: string;
}

export interface DtlFunction {
  name: string;
  /** Category as in the docs' file name (dtl-functions-<category>.rst). */
  category: string;
  /** Arity bounds (arguments after the name); max may be Infinity. */
  min: number;
  max: number;
  /** Optional extra arity rule (e.g. "pairs plus optional else"); return an error message or undefined. */
  checkArity?(argCount: number): string | undefined;
  /** Indexes of function-expression arguments for a given argument count. */
  functionArgs?(argCount: number): readonly number[];
  /** Indexes of arguments passed as raw constants (not evaluated) for a given argument count. */
  literalArgs?(argCount: number): readonly number[];
  /** All arguments arrive as LazyArg. */
  lazy?: boolean;
  /**
   * Compile-time check of the raw arguments (the JSON model: ints may be bigint, floats are JsonFloat, so render
   * them with stringifyJson, not JSON.stringify); return an error message or undefined.
   */
  validate?(rawArgs: readonly unknown[]): string | undefined;
  /** True when the result varies between calls with equal arguments (now, uuid): never constant-folded. */
  nondeterministic?: boolean;
  call(args: ArgValue[], ctx: CallContext): DtlValue;
}

const FUNCTIONS = new Map<string, DtlFunction>();

/** Register functions; a name may be registered once. */
export function defineFunctions(functions: readonly DtlFunction[]): void {
  for (const fn of functions) {
    if (FUNCTIONS.has(fn.name)) throw new Error(`DTL function '${fn.name}' is registered twice`);
    FUNCTIONS.set(fn.name, fn);
  }
}

export function lookupFunction(name: string): DtlFunction | undefined {
  return FUNCTIONS.get(name);
}

export function registeredFunctionNames(): string[] {
  return [...FUNCTIONS.keys()].sort();
}

/** The argument at `i` as a FunctionArg (declared in `functionArgs`). */
export function fnArg(args: readonly ArgValue[], i: number): FunctionArg {
  const a = args[i];
  if (!(a instanceof FunctionArg)) throw new Error(`internal: argument ${i} is not a function-expression`);
  return a;
}

/** The argument at `i` as a LazyArg (function declared `lazy`). */
export function lazyArg(args: readonly ArgValue[], i: number): LazyArg {
  const a = args[i];
  if (!(a instanceof LazyArg)) throw new Error(`internal: argument ${i} is not lazy`);
  return a;
}

/** The argument at `i` as an evaluated value. */
export function valueArg(args: readonly ArgValue[], i: number): DtlValue {
  const a = args[i];
  if (a instanceof FunctionArg || a instanceof LazyArg) throw new Error(`internal: argument ${i} is not a value`);
  return a === undefined ? null : a;
}
