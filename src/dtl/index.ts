// Public API of the DTL engine: compile a pipe's DTL transform once, then transform entities.
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import { compileExpr, type CompileEnv, type PipeDtlSettings, type RuleRef } from './compiler.js';
import { DtlConfigError, DtlRuntimeError } from './errors.js';
import type { CallContext } from './functions/registry.js';
import { DatasetIndexes, type DatasetProvider } from './hops.js';
import { CONTINUE, DISCARD, type RunState, type Scope } from './scope.js';
import { generate, startSites } from './codegen.js';
import { compileRule, targetKeys } from './transforms.js';
import { decodeTransit, encodeTransit, type DtlDict, type DtlValue } from './values.js';

export type { DatasetProvider } from './hops.js';
export type { PipeDtlSettings } from './compiler.js';
export { DtlConfigError, DtlRuntimeError } from './errors.js';

export interface TransformContext {
  datasets: DatasetProvider;
  params?: JsonObject; // _B (endpoint URL parameters)
  previous?: JsonObject | null; // previous version of the source entity, for is-changed
  now?: () => bigint; // ns since epoch; default real clock
  /** Initial target `_T` (default empty), for `sesam dtl transform`. */
  target?: JsonObject | null;
}

export interface CompiledDtl {
  /**
   * Output entities for one source entity (transit-encoded JSON): the target unless filtered/discarded (with
   * _filtered: true for dataset sinks), then created entities. The target carries the source's `_id` unless a rule
   * set one; a source already `_filtered` (by an earlier DTL of the pipe) comes out as it is. Each output entity is
   * a fresh top-level object, but nested lists/dicts may be shared with the source entity: treat them as immutable.
   */
  transform(source: JsonObject, ctx: TransformContext): JsonObject[];
  /** Datasets read by hops/apply-hops/lookup-entity, for the runner's dependency tracking. */
  readonly hopDatasets: readonly string[];
  /** Features the rules use, declared by the compiler so the runtime never searches the rules' JSON. */
  readonly uses: DtlUses;
}

export interface DtlUses {
  hops: boolean;
  createChild: boolean;
  isChanged: boolean;
}

export function realNow(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export function defaultPipeSettings(partial: Partial<PipeDtlSettings> = {}): PipeDtlSettings {
  const pipeId = partial.pipeId ?? 'dtl';
  return {
    pipeId,
    namespacedIdentifiers: partial.namespacedIdentifiers ?? false,
    identityNamespace: partial.identityNamespace ?? pipeId,
    propertyNamespace: partial.propertyNamespace ?? pipeId,
    sinkIsDataset: partial.sinkIsDataset ?? false,
  };
}

function callContext(pipe: PipeDtlSettings, now: () => bigint): CallContext {
  return {
    now,
    pipeId: pipe.pipeId,
    namespacedIdentifiers: pipe.namespacedIdentifiers,
    identityNamespace: pipe.identityNamespace,
    propertyNamespace: pipe.propertyNamespace,
  };
}

// Compiled transforms by their config text and pipe settings. The node compiles every pipe when it validates an
// upload and again when it installs it, and unchanged pipes again on every upload; the second compile is waste.
// A compiled DTL keeps only caches keyed by dataset version, so a pipe may reuse it.
const COMPILED = new Map<string, CompiledDtl>();
const COMPILED_MAX = 2000;

export function compileDtl(
  transform: JsonObject /* {type:"dtl", rules, id_required?} */,
  pipe: PipeDtlSettings,
): CompiledDtl {
  const key = `${pipe.pipeId}\u0000${pipe.namespacedIdentifiers}\u0000${pipe.identityNamespace}\u0000${pipe.propertyNamespace}\u0000${pipe.sinkIsDataset}\u0000${stringifyJson(transform)}`;
  const hit = COMPILED.get(key);
  if (hit) return hit;
  const compiled = compileUncached(transform, pipe);
  if (COMPILED.size >= COMPILED_MAX) COMPILED.delete(COMPILED.keys().next().value!);
  COMPILED.set(key, compiled);
  return compiled;
}

function compileUncached(transform: JsonObject, pipe: PipeDtlSettings): CompiledDtl {
  startSites();
  const rulesRaw = transform.rules;
  const where = { pipe: pipe.pipeId, rule: 'default' };
  if (!isJsonObject(rulesRaw)) throw new DtlConfigError("'rules' must be a dict of named rules", where);
  if (!Object.hasOwn(rulesRaw, 'default')) throw new DtlConfigError("the 'default' rule is missing", where);
  const idRequired = transform.id_required !== false;
  const rules = new Map<string, RuleRef>();
  for (const name of Object.keys(rulesRaw)) rules.set(name, { name, hasHops: false });
  const hopDatasets = new Set<string>();
  const functions = new Set<string>();
  for (const [name, ref] of rules) {
    const usesHops = { value: false };
    const env: CompileEnv = { pipe, rule: name, rules, hopDatasets, aliases: null, usesHops, functions };
    ref.run = compileRule(rulesRaw[name]!, env);
    ref.hasHops = usesHops.value;
  }
  const main = rules.get('default')!.run!;
  const encodeByKey = targetEncoder(main);
  let indexes: DatasetIndexes | undefined;
  let lastNow: (() => bigint) | undefined;
  let lastCall: CallContext | undefined;

  return {
    hopDatasets: [...hopDatasets].sort(),
    uses: {
      hops: hopDatasets.size > 0,
      createChild: functions.has('create-child'),
      isChanged: functions.has('is-changed'),
    },
    transform(source: JsonObject, ctx: TransformContext): JsonObject[] {
      // An entity filtered by an earlier DTL of the same pipe stays filtered: it passes through as it is.
      if (source._filtered === true) return [{ ...source }];
      if (indexes) indexes.use(ctx.datasets);
      else indexes = new DatasetIndexes(ctx.datasets);
      // The source is decoded lazily, value by value, by the paths that read it (compiler.ts).
      const S = source as DtlDict;
      const T: DtlDict = ctx.target ? { ...(decodeTransit(ctx.target) as DtlDict) } : {};
      if (ctx.now !== lastNow || !lastCall) {
        lastNow = ctx.now;
        lastCall = callContext(pipe, ctx.now ?? realNow);
      }
      const run: RunState = {
        call: lastCall,
        created: [],
        idRequired,
        indexes,
        params: ctx.params ? decodeTransit(ctx.params) : {},
        previous: ctx.previous === undefined ? undefined : ctx.previous === null ? null : decodeTransit(ctx.previous),
      };
      const R: DtlDict = { _S: S, _T: T };
      const scope: Scope = { S, T, P: null, R, it: null, aliases: null, run };
      const flow = main(scope);
      const out: JsonObject[] = [];
      if (flow !== DISCARD) {
        // The target carries the source's _id unless a rule set one (even after ["remove", "_*"]), as a node does.
        if (!Object.hasOwn(T, '_id') && Object.hasOwn(S, '_id')) T._id = S._id!;
        if (flow === CONTINUE) {
          if (typeof T._id !== 'string' && idRequired) {
            throw new DtlRuntimeError(
              `the target entity has no string _id (pipe '${pipe.pipeId}'): its source has none and no rule sets one, or a rule set it to a value that is not a string`,
            );
          }
          if (S._deleted === true && !Object.hasOwn(T, '_deleted')) T._deleted = true;
          out.push(encodeByKey && !ctx.target ? encodeByKey(T) : encodeTargetInPlace(T));
        } else if (pipe.sinkIsDataset && typeof T._id === 'string') {
          const filtered = encodeByKey && !ctx.target ? encodeByKey(T) : encodeTargetInPlace(T);
          filtered._filtered = true;
          out.push(filtered);
        }
      }
      // Created entities may be dicts of the source: copy the top level so callers can stamp them.
      for (const c of run.created) out.push({ ...(encodeTransit(c) as JsonObject) });
      return out;
    },
  };
}

/**
 * When the rule can only write known keys (constant-key adds, exact-name copies) and the target starts empty,
 * encode just those keys, with a literal load per key, instead of walking the target.
 */
function targetEncoder(rule: (scope: Scope) => number): ((T: DtlDict) => JsonObject) | undefined {
  const keys = targetKeys(rule);
  if (!keys) return undefined;
  const lines = keys.map((k) => {
    const key = JSON.stringify(k);
    return `  v = T[${key}];\n  if (v !== null && typeof v === 'object') { const e = encode(v); if (e !== v) T[${key}] = e; }`;
  });
  return generate(['encode'], `return function encodeTarget(T) {\n  let v;\n${lines.join('\n')}\n  return T;\n};`, [
    encodeTransit,
  ]);
}

/** The target dict is ours: encode its values in place instead of copying it (nested values may be shared). */
function encodeTargetInPlace(T: DtlDict): JsonObject {
  for (const key in T) {
    const v = T[key]!;
    if (v !== null && typeof v === 'object') {
      const e = encodeTransit(v);
      if (e !== v) (T as Record<string, unknown>)[key] = e;
    }
  }
  return T as JsonObject;
}

/** Evaluate one expression against a source entity; the result is transit-encoded. */
export function evaluateExpression(
  expression: JsonValue,
  source: JsonObject | null,
  pipe?: Partial<PipeDtlSettings>,
  datasets?: DatasetProvider,
  now?: () => bigint,
): JsonValue {
  const settings = defaultPipeSettings(pipe);
  const env: CompileEnv = {
    pipe: settings,
    rule: 'expression',
    rules: new Map(),
    hopDatasets: new Set(),
    aliases: null,
    usesHops: { value: false },
  };
  const expr = compileExpr(expression, env);
  const S: DtlValue = source === null ? null : decodeTransit(source);
  const T: DtlDict = {};
  const run: RunState = {
    call: callContext(settings, now ?? realNow),
    created: [],
    idRequired: false,
    indexes: datasets ? new DatasetIndexes(datasets) : undefined,
    params: {},
    previous: undefined,
  };
  const scope: Scope = { S, T, P: null, R: { _S: S, _T: T }, it: null, aliases: null, run };
  return encodeTransit(expr(scope));
}

/** Pipe settings from a pipe config dict (`_id`, `namespaced_identifiers`, `namespaces`, `sink.type`). */
export function pipeSettingsFromConfig(
  pipe: JsonObject | null | undefined,
  defaults: { namespacedIdentifiers?: boolean; sinkIsDataset?: boolean } = {},
): PipeDtlSettings {
  const p = pipe ?? {};
  const pipeId = typeof p._id === 'string' ? p._id : 'dtl';
  const namespaces = isJsonObject(p.namespaces) ? p.namespaces : {};
  const sink = isJsonObject(p.sink) ? p.sink : undefined;
  return {
    pipeId,
    namespacedIdentifiers:
      typeof p.namespaced_identifiers === 'boolean'
        ? p.namespaced_identifiers
        : (defaults.namespacedIdentifiers ?? false),
    identityNamespace: typeof namespaces.identity === 'string' ? namespaces.identity : pipeId,
    propertyNamespace: typeof namespaces.property === 'string' ? namespaces.property : pipeId,
    sinkIsDataset: sink ? sink.type === 'dataset' : (defaults.sinkIsDataset ?? false),
  };
}
