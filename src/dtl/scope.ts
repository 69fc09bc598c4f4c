// Runtime state shared by compiled closures. One Scope per rule evaluation (root, or one per applied value);
// `it` is the `_` variable of function-expressions, swapped in place while a function-expression runs.
import type { CallContext } from './functions/registry.js';
import type { DatasetIndexes } from './hops.js';
import type { DtlDict, DtlValue } from './values.js';

export interface RunState {
  call: CallContext;
  /** Entities emitted by `create` (typed values), in order. */
  created: DtlDict[];
  idRequired: boolean;
  indexes: DatasetIndexes | undefined;
  params: DtlValue;
  /** Previous version of the root source entity (decoded), or undefined when unknown. */
  previous: DtlValue | undefined;
}

export interface Scope {
  S: DtlValue;
  T: DtlDict;
  /** `_P`: {_S, _T, _P?} of the parent context inside `apply`, else null. */
  P: DtlValue;
  /** `_R`: {_S, _T} of the root context. */
  R: DtlValue;
  it: DtlValue;
  /** Hops aliases bound while evaluating a where clause or return template. */
  aliases: Record<string, DtlValue> | null;
  run: RunState;
}

/** A compiled expression. */
export type Expr = (scope: Scope) => DtlValue;

/** Result of a compiled transform function: continue, or stop the rule (filter / discard). */
export const CONTINUE = 0;
export const FILTER = 1;
export const DISCARD = 2;
export type Flow = typeof CONTINUE | typeof FILTER | typeof DISCARD;
export type Transform = (scope: Scope) => Flow;

/** Evaluate `expr` with `_` bound to `it`. */
export function withIt(scope: Scope, expr: Expr, it: DtlValue): DtlValue {
  const prev = scope.it;
  scope.it = it;
  try {
    return expr(scope);
  } finally {
    scope.it = prev;
  }
}
