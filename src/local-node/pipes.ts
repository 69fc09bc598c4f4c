// From an uploaded pipe config to a runnable definition: `$ENV` substitution, `$conditional_properties`,
// conditional source/sink/transform resolution, documented defaults (a sink without `type` is a dataset sink
// writing the dataset named by the pipe id; pump schedule), namespace settings, classification, compilation and
// config errors. Every source, sink and transform type is looked up in its registry (sources/, sinks/,
// transforms.ts); nothing here knows a type by name.
//
// Unknown `$ENV(...)` names are warnings, as on a real node: a pipe fails at run time (def.runtimeError) only when
// what it runs needs the value — its transforms, a non-external source or sink, or the condition that picks a
// conditional alternative. Unused alternatives, external systems and the pump never block anything.
import { isJsonObject, objectKeys, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import type { ConfigError } from './config-errors.js';
import { resolveConditionalProperties, substitute, type Substitution } from './env.js';
import type { NamespaceSettings } from './namespaces.js';
import { sinkType } from './sinks/index.js';
import { sourceType } from './sources/index.js';
import { compileTransformStep, transformType, type TransformStep } from './transforms.js';

export type { ConfigError } from './config-errors.js';
export type { TransformStep } from './transforms.js';
export { RECEIVER_DATASET_PREFIX } from './sources/index.js';

/** How the runner and sesam-py treat a pipe (sesam-node.md §5.2). */
export type PipeKind = 'input' | 'receiver' | 'internal' | 'endpoint' | 'output';

export interface PipeDefinition {
  id: string;
  original: JsonObject;
  effective: JsonObject;
  errors: ConfigError[];
  valid: boolean;
  /** Why the pipe cannot run although its config is accepted (an unknown `$ENV` it needs). */
  runtimeError?: string;
  kind: PipeKind;
  /** Resolved (conditionals chosen) components. */
  source: JsonObject;
  sink: JsonObject;
  transforms: TransformStep[];
  namespacedIdentifiers: boolean;
  namespaces: NamespaceSettings;
  addNamespaces: boolean;
  removeNamespaces: boolean;
  /** Datasets the source reads. */
  sourceDatasets: string[];
  /** Datasets the transforms hop into. */
  hopDatasets: string[];
  /** Dataset the sink writes, if a dataset sink. */
  sinkDataset?: string;
  pumpMode: string;
  /** The pipe does not run until its source is populated (require_populated_input). */
  requirePopulatedInput: boolean;
  /** The source type's compiled plan (e.g. the merge source's rules). */
  sourcePlan?: unknown;
}

export interface NodeSettings {
  metadata: JsonObject;
  env: JsonObject;
}

const UNKNOWN_ENV = /\$ENV\(([^()]*)\)/g;

/** Unknown `$ENV` names left in a substituted value (known ones were replaced). */
function unresolvedEnv(value: JsonValue | undefined): string[] {
  const names = new Set<string>();
  if (value !== undefined) collectEnvNames(value, names);
  return [...names];
}

/** Every string (keys too) is searched on its own: no serialising of embedded entities to find a name. */
function collectEnvNames(value: JsonValue, names: Set<string>): void {
  if (typeof value === 'string') {
    if (value.includes('$ENV(')) for (const m of value.matchAll(UNKNOWN_ENV)) names.add(m[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectEnvNames(item, names);
  } else if (isJsonObject(value)) {
    for (const key of objectKeys(value)) {
      collectEnvNames(key, names);
      collectEnvNames(value[key]!, names);
    }
  }
}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : stringifyJson(value ?? null);
}

interface Resolution {
  errors: ConfigError[];
  /** Unknown env variables the chosen components need at run time. */
  needs: Set<string>;
}

/**
 * Pick a conditional component's alternative. A condition that is an unknown `$ENV` picks nothing: the pipe
 * needs the variable to run, and `fallback` stands in meanwhile.
 */
function resolveConditional<F extends JsonObject | undefined>(
  component: JsonValue,
  at: string,
  r: Resolution,
  fallback: F,
): JsonValue | F {
  if (!isJsonObject(component) || component.type !== 'conditional') return component;
  const alternatives = component.alternatives;
  if (!isJsonObject(alternatives)) {
    r.errors.push({ level: 'error', msg: "A conditional component needs an 'alternatives' object", elements: at });
    return component;
  }
  const missing = unresolvedEnv(component.condition);
  if (missing.length) {
    for (const name of missing) r.needs.add(name);
    return fallback;
  }
  const condition = text(component.condition);
  const chosen = alternatives[condition];
  if (chosen === undefined) {
    r.errors.push({
      level: 'error',
      msg: `The condition '${condition}' matches none of the alternatives (${Object.keys(alternatives).join(', ')})`,
      elements: `${at}['alternatives']`,
    });
    return component;
  }
  return resolveConditional(chosen, `${at}['alternatives']['${condition}']`, r, fallback);
}

/** configuration-pump.rst: schedule_interval defaults to 30 s for dataset to dataset pipes, else 900 s. */
function withPumpDefaults(entity: JsonObject, source: JsonObject, sink: JsonObject): JsonObject {
  const pump = isJsonObject(entity.pump) ? { ...entity.pump } : {};
  if (pump.schedule_interval === undefined && pump.cron_expression === undefined) {
    pump.schedule_interval = source.type === 'dataset' && sink.type === 'dataset' ? 30 : 900;
  }
  return { ...entity, pump };
}

function classify(source: JsonObject, sink: JsonObject): PipeKind {
  const role = sourceType(source.type)?.role;
  if (role === 'receiver') return 'receiver';
  const type = typeof sink.type === 'string' ? sink.type : '';
  if (type.endsWith('_endpoint')) return 'endpoint';
  if (type !== 'dataset') return 'output';
  return role === 'datasets' ? 'internal' : 'input';
}

function checkType(type: JsonValue | undefined, known: boolean, what: string, at: string, errors: ConfigError[]) {
  if (typeof type !== 'string') {
    errors.push({ level: 'error', msg: `The ${what} must have a string 'type'`, elements: `${at}['type']` });
  } else if (!known) {
    errors.push({ level: 'error', msg: `Unknown ${what} type '${type}'`, elements: `${at}['type']` });
  }
}

/** Build the runnable definition of one pipe config entity (never throws for bad config: errors are listed). */
export function definePipe(original: JsonObject, node: NodeSettings): PipeDefinition {
  const id = typeof original._id === 'string' ? original._id : '';
  const errors: ConfigError[] = [];
  const sub: Substitution = { env: node.env, missing: [] };
  let entity = substitute(original, sub) as JsonObject;
  for (const m of sub.missing) {
    errors.push({ level: 'warning', msg: `Unknown environment variable '${m.name}'`, elements: m.path });
  }
  const r: Resolution = { errors, needs: new Set() };
  const condErrors: string[] = [];
  entity = resolveConditionalProperties(entity, condErrors, '$', r.needs) as JsonObject;
  for (const msg of condErrors) errors.push({ level: 'error', msg, elements: '$' });

  if (entity.source === undefined)
    errors.push({ level: 'error', msg: "The pipe needs a 'source'", elements: "$['source']" });
  // Stand-ins while a condition is an unknown $ENV (the pipe cannot run; effective shows the conditional).
  const sourceStandIn: JsonObject = { type: 'empty' };
  const sinkStandIn: JsonObject = { type: 'dataset' };
  const source = resolveConditional(entity.source ?? { type: 'empty' }, "$['source']", r, sourceStandIn);
  // configuration-pipes.rst: an omitted sink, or a sink without `type`, is a dataset sink.
  const rawSink = entity.sink === undefined ? {} : entity.sink;
  let sink = resolveConditional(rawSink, "$['sink']", r, sinkStandIn);
  const unresolvedSink = sink === sinkStandIn;
  if (isJsonObject(sink) && sink.type === undefined) sink = { type: 'dataset', ...sink };
  if (!isJsonObject(source))
    errors.push({ level: 'error', msg: 'The source must be an object', elements: "$['source']" });
  if (!isJsonObject(sink)) errors.push({ level: 'error', msg: 'The sink must be an object', elements: "$['sink']" });
  const sourceObj: JsonObject = isJsonObject(source) ? source : {};
  const sinkKind = sinkType(isJsonObject(sink) ? sink.type : undefined);
  let sinkObj: JsonObject = isJsonObject(sink) ? sink : {};
  if (sinkKind?.defaults) sinkObj = sinkKind.defaults(sinkObj, id);
  const srcKind = sourceType(sourceObj.type);
  if (sourceObj.type !== 'conditional') checkType(sourceObj.type, !!srcKind, 'source', "$['source']", errors);
  if (sinkObj.type !== 'conditional') checkType(sinkObj.type, !!sinkKind, 'sink', "$['sink']", errors);
  srcKind?.validate?.(sourceObj, "$['source']", errors);
  sinkKind?.validate?.(sinkObj, "$['sink']", errors);
  if (srcKind && !srcKind.external) for (const n of unresolvedEnv(sourceObj)) r.needs.add(n);
  if (sinkKind && !sinkKind.external) for (const n of unresolvedEnv(sinkObj)) r.needs.add(n);

  const metadata = node.metadata;
  const globals = isJsonObject(metadata.global_defaults) ? metadata.global_defaults : {};
  const ni =
    typeof entity.namespaced_identifiers === 'boolean'
      ? entity.namespaced_identifiers
      : metadata.namespaced_identifiers === true;
  const nsConfig = isJsonObject(entity.namespaces) ? entity.namespaces : {};
  const namespaces: NamespaceSettings = {
    identity: typeof nsConfig.identity === 'string' ? nsConfig.identity : id,
    property: typeof nsConfig.property === 'string' ? nsConfig.property : id,
  };
  // add_namespaces / remove_namespaces: on the source / sink, else on the pipe (configuration-pipes.rst's
  // example sets them there), else the type's default.
  const flag = (own: JsonValue | undefined, pipe: JsonValue | undefined, fallback: boolean) =>
    typeof own === 'boolean' ? own : typeof pipe === 'boolean' ? pipe : fallback;
  const addNamespaces = ni && flag(sourceObj.add_namespaces, entity.add_namespaces, srcKind?.addNamespaces === true);
  const removeNamespaces =
    ni && flag(sinkObj.remove_namespaces, entity.remove_namespaces, sinkKind?.removeNamespaces === true);

  const transforms: TransformStep[] = [];
  const effectiveTransforms: JsonValue[] = [];
  const hopDatasets = new Set<string>();
  const rawTransforms =
    entity.transform === undefined ? [] : Array.isArray(entity.transform) ? entity.transform : [entity.transform];
  rawTransforms.forEach((raw, i) => {
    const at = Array.isArray(entity.transform) ? `$['transform'][${i}]` : "$['transform']";
    const resolved = resolveConditional(raw, at, r, undefined);
    if (resolved === undefined) effectiveTransforms.push(raw);
    for (const t of resolved === undefined ? [] : Array.isArray(resolved) ? resolved : [resolved]) {
      if (!isJsonObject(t)) {
        errors.push({ level: 'error', msg: 'A transform must be an object', elements: at });
        continue;
      }
      if (t.type === 'conditional') continue; // already reported by resolveConditional
      const kind = transformType(t.type);
      checkType(t.type, !!kind, 'transform', at, errors);
      if (!kind) continue;
      if (!kind.external) for (const n of unresolvedEnv(t)) r.needs.add(n);
      const step = compileTransformStep(t, at, errors, {
        pipeId: id,
        namespacedIdentifiers: ni,
        identityNamespace: namespaces.identity,
        propertyNamespace: namespaces.property,
        sinkIsDataset: sinkObj.type === 'dataset',
      });
      for (const d of step.hopDatasets) hopDatasets.add(d);
      transforms.push(step);
      effectiveTransforms.push(t);
    }
  });

  let sourcePlan: unknown;
  if (srcKind?.compile) {
    try {
      sourcePlan = srcKind.compile(sourceObj, { pipeId: id, namespacedIdentifiers: ni, metadata });
    } catch (err) {
      const label = String(sourceObj.type);
      errors.push({ level: 'error', msg: `${label} source: ${(err as Error).message}`, elements: "$['source']" });
    }
  }

  const kind = classify(sourceObj, sinkObj);
  const effective = withPumpDefaults(
    {
      ...entity,
      source: source === sourceStandIn ? entity.source! : sourceObj,
      sink: unresolvedSink ? entity.sink! : sinkObj,
    },
    sourceObj,
    sinkObj,
  );
  if (entity.transform !== undefined) {
    effective.transform =
      effectiveTransforms.length === 1 && !Array.isArray(entity.transform)
        ? effectiveTransforms[0]!
        : effectiveTransforms;
  }
  const pump = effective.pump as JsonObject;
  const requirePopulated = sourceObj.require_populated_input ?? globals.require_populated_input;
  const needs = [...r.needs];
  return {
    id,
    original,
    effective,
    errors,
    valid: !errors.some((e) => e.level === 'error'),
    runtimeError: needs.length
      ? `the pipe needs the environment variable${needs.length > 1 ? 's' : ''} ${needs.map((n) => `'${n}'`).join(', ')}, which ${needs.length > 1 ? 'are' : 'is'} not set`
      : undefined,
    kind,
    source: sourceObj,
    sink: sinkObj,
    transforms,
    namespacedIdentifiers: ni,
    namespaces,
    addNamespaces,
    removeNamespaces,
    sourceDatasets: srcKind?.datasets?.(sourceObj, id) ?? [],
    hopDatasets: [...hopDatasets],
    sinkDataset: sinkKind?.dataset?.(sinkObj),
    pumpMode: typeof pump.mode === 'string' ? pump.mode : 'scheduled',
    requirePopulatedInput: requirePopulated === true,
    sourcePlan,
  };
}
