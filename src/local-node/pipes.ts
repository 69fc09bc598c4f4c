// From an uploaded pipe config to a runnable definition: `$ENV` substitution, `$conditional_properties`,
// conditional source/sink/transform resolution, defaults (sink dataset = pipe id, pump), namespace settings,
// classification, DTL compilation and config errors (level, msg, JSONPath-ish `elements`).
import { compileDtl, DtlConfigError, type CompiledDtl } from '../dtl/index.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';
import { resolveConditionalProperties, substitute, type Substitution } from './env.js';
import type { NamespaceSettings } from './namespaces.js';
import { compileMergeSource, type MergePlan } from './sources/merge.js';

export interface ConfigError {
  level: 'error' | 'warning';
  msg: string;
  elements: string;
}

export const SUPPORTED_SOURCES = new Set([
  'embedded',
  'dataset',
  'http_endpoint',
  'empty',
  'union_datasets',
  'merge',
  'merge_datasets',
]);
/** Sources that need an external system: valid config, read as empty here. */
export const EXTERNAL_SOURCES = new Set([
  'sql',
  'rest',
  'json',
  'csv',
  'ldap',
  'kafka',
  'sparql',
  'sdshare',
  'rdf',
  'binary',
  'http',
  'diff_datasets',
  'microservice',
  'mssql',
  'oracle',
  'mysql',
  'postgresql',
  'excel',
  'xml',
  'elasticsearch',
  'solr',
  'sms',
  'mail',
]);
export const SUPPORTED_SINKS = new Set(['dataset', 'http_endpoint', 'csv_endpoint', 'xml_endpoint', 'null']);
export const EXTERNAL_SINKS = new Set([
  'json',
  'rest',
  'sql',
  'elasticsearch',
  'solr',
  'mail',
  'sms',
  'kafka',
  'sparql',
  'sdshare',
  'sdshare_push',
  'replicated_dataset',
  'excel_endpoint',
  'rdf',
  'microservice',
  'http',
  'databrowser',
  'log',
]);
export const SUPPORTED_TRANSFORMS = new Set(['dtl', 'emit_children']);
export const EXTERNAL_TRANSFORMS = new Set([
  'http',
  'rest',
  'template',
  'json_schema_validation',
  'xml',
  'rdf',
  'microservice',
  'properties_to_entities',
]);

/** Sources that get namespaces added by default when namespaced identifiers are on. */
const ADD_NAMESPACES_SOURCES = new Set(['csv', 'kafka', 'ldap', 'sql', 'embedded', 'http_endpoint', 'json', 'rest']);
/** Sinks that strip namespaces by default. */
const REMOVE_NAMESPACES_SINKS = new Set([
  'csv_endpoint',
  'http_endpoint',
  'json',
  'rest',
  'sql',
  'elasticsearch',
  'solr',
  'mail',
  'sms',
  'kafka',
]);

/** How the runner and sesam-py treat a pipe (sesam-node.md §5.2). */
export type PipeKind = 'input' | 'receiver' | 'internal' | 'endpoint' | 'output';

export interface TransformStep {
  type: string;
  config: JsonObject;
  /** Present for dtl. */
  dtl?: CompiledDtl;
}

export interface PipeDefinition {
  id: string;
  original: JsonObject;
  effective: JsonObject;
  errors: ConfigError[];
  valid: boolean;
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
  /** Compiled merge source. */
  merge?: MergePlan;
}

export interface NodeSettings {
  metadata: JsonObject;
  env: JsonObject;
}

export const RECEIVER_DATASET_PREFIX = 'system:receiver:';

/** Dataset ids from a `datasets` list of "id" or "id alias" strings. */
export function datasetIds(value: JsonValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim().split(/\s+/)[0]!);
}

function text(value: JsonValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}

/** Pick a conditional component's alternative; errors when the condition names none. */
function resolveConditional(component: JsonValue, elements: string, errors: ConfigError[]): JsonValue {
  if (!isJsonObject(component) || component.type !== 'conditional') return component;
  const alternatives = component.alternatives;
  if (!isJsonObject(alternatives)) {
    errors.push({ level: 'error', msg: "A conditional component needs an 'alternatives' object", elements });
    return component;
  }
  const condition = text(component.condition);
  const chosen = alternatives[condition];
  if (chosen === undefined) {
    errors.push({
      level: 'error',
      msg: `The condition '${condition}' matches none of the alternatives (${Object.keys(alternatives).join(', ')})`,
      elements: `${elements}['alternatives']`,
    });
    return component;
  }
  return resolveConditional(chosen, `${elements}['alternatives']['${condition}']`, errors);
}

function withDefaults(entity: JsonObject, id: string, sink: JsonObject): JsonObject {
  const out: JsonObject = { ...entity };
  if (out.sink === undefined) out.sink = { type: 'dataset', dataset: id };
  else if (isJsonObject(out.sink) && out.sink.type === 'dataset' && out.sink.dataset === undefined) {
    out.sink = { ...out.sink, dataset: id };
  }
  const datasetToDataset = sink.type === 'dataset' && isJsonObject(out.source) && out.source.type === 'dataset';
  const pump = isJsonObject(out.pump) ? { ...out.pump } : {};
  if (pump.schedule_interval === undefined && pump.cron_expression === undefined) {
    pump.schedule_interval = datasetToDataset ? 30 : 900;
  }
  out.pump = pump;
  return out;
}

function classify(source: JsonObject, sink: JsonObject): PipeKind {
  const sinkType = typeof sink.type === 'string' ? sink.type : '';
  if (source.type === 'http_endpoint') return 'receiver';
  if (sinkType.endsWith('_endpoint')) return 'endpoint';
  if (sinkType !== 'dataset') return 'output';
  const datasetFamily = ['dataset', 'union_datasets', 'merge', 'merge_datasets', 'diff_datasets'];
  return datasetFamily.includes(String(source.type)) ? 'internal' : 'input';
}

function checkType(
  component: JsonObject,
  kind: 'source' | 'sink' | 'transform',
  elements: string,
  errors: ConfigError[],
): void {
  const supported = kind === 'source' ? SUPPORTED_SOURCES : kind === 'sink' ? SUPPORTED_SINKS : SUPPORTED_TRANSFORMS;
  const external = kind === 'source' ? EXTERNAL_SOURCES : kind === 'sink' ? EXTERNAL_SINKS : EXTERNAL_TRANSFORMS;
  const type = component.type;
  if (typeof type !== 'string') {
    errors.push({ level: 'error', msg: `The ${kind} must have a string 'type'`, elements: `${elements}['type']` });
  } else if (!supported.has(type) && !external.has(type)) {
    errors.push({ level: 'error', msg: `Unknown ${kind} type '${type}'`, elements: `${elements}['type']` });
  }
}

function checkSourceShape(source: JsonObject, errors: ConfigError[]): void {
  const at = "$['source']";
  switch (source.type) {
    case 'embedded':
      if (source.entities !== undefined && !Array.isArray(source.entities)) {
        errors.push({ level: 'error', msg: "'entities' must be a list", elements: `${at}['entities']` });
      }
      break;
    case 'dataset':
      if (typeof source.dataset !== 'string') {
        errors.push({
          level: 'error',
          msg: "The dataset source needs a string 'dataset'",
          elements: `${at}['dataset']`,
        });
      }
      break;
    case 'union_datasets':
    case 'merge':
    case 'merge_datasets':
      if (!Array.isArray(source.datasets) || source.datasets.some((d) => typeof d !== 'string')) {
        errors.push({
          level: 'error',
          msg: `The ${source.type} source needs 'datasets', a list of strings`,
          elements: `${at}['datasets']`,
        });
      }
      break;
  }
}

/** Build the runnable definition of one pipe config entity (never throws for bad config: errors are listed). */
export function definePipe(original: JsonObject, node: NodeSettings): PipeDefinition {
  const id = typeof original._id === 'string' ? original._id : '';
  const errors: ConfigError[] = [];
  const sub: Substitution = { env: node.env, missing: [] };
  let entity = substitute(original, sub) as JsonObject;
  for (const m of sub.missing) {
    errors.push({ level: 'error', msg: `Unknown environment variable '${m.name}'`, elements: m.path });
  }
  const condErrors: string[] = [];
  entity = resolveConditionalProperties(entity, condErrors) as JsonObject;
  for (const msg of condErrors) errors.push({ level: 'error', msg, elements: '$' });

  if (entity.source === undefined)
    errors.push({ level: 'error', msg: "The pipe needs a 'source'", elements: "$['source']" });
  const rawSource = entity.source === undefined ? { type: 'empty' } : entity.source;
  const source = resolveConditional(rawSource, "$['source']", errors);
  const rawSink = entity.sink === undefined ? { type: 'dataset', dataset: id } : entity.sink;
  let sink = resolveConditional(rawSink, "$['sink']", errors);
  const sourceObj: JsonObject = isJsonObject(source) ? source : {};
  if (!isJsonObject(source))
    errors.push({ level: 'error', msg: 'The source must be an object', elements: "$['source']" });
  if (!isJsonObject(sink)) errors.push({ level: 'error', msg: 'The sink must be an object', elements: "$['sink']" });
  let sinkObj: JsonObject = isJsonObject(sink) ? sink : {};
  if (sinkObj.type === 'dataset' && sinkObj.dataset === undefined) sinkObj = { ...sinkObj, dataset: id };
  sink = sinkObj;
  if (sourceObj.type !== 'conditional') checkType(sourceObj, 'source', "$['source']", errors);
  if (sinkObj.type !== 'conditional') checkType(sinkObj, 'sink', "$['sink']", errors);
  checkSourceShape(sourceObj, errors);
  if (sinkObj.type === 'dataset' && typeof sinkObj.dataset !== 'string') {
    errors.push({ level: 'error', msg: "The dataset sink needs a string 'dataset'", elements: "$['sink']['dataset']" });
  }
  if (sinkObj.type === 'csv_endpoint' && !Array.isArray(sinkObj.columns)) {
    errors.push({
      level: 'error',
      msg: "The csv_endpoint sink needs 'columns', a list",
      elements: "$['sink']['columns']",
    });
  }

  const metadata = node.metadata;
  const ni =
    typeof entity.namespaced_identifiers === 'boolean'
      ? entity.namespaced_identifiers
      : metadata.namespaced_identifiers === true;
  const nsConfig = isJsonObject(entity.namespaces) ? entity.namespaces : {};
  const namespaces: NamespaceSettings = {
    identity: typeof nsConfig.identity === 'string' ? nsConfig.identity : id,
    property: typeof nsConfig.property === 'string' ? nsConfig.property : id,
  };
  const addNamespaces =
    ni &&
    (typeof sourceObj.add_namespaces === 'boolean'
      ? sourceObj.add_namespaces
      : ADD_NAMESPACES_SOURCES.has(String(sourceObj.type)));
  const removeNamespaces =
    ni &&
    (typeof sinkObj.remove_namespaces === 'boolean'
      ? sinkObj.remove_namespaces
      : REMOVE_NAMESPACES_SINKS.has(String(sinkObj.type)));

  const transforms: TransformStep[] = [];
  const hopDatasets = new Set<string>();
  const rawTransforms =
    entity.transform === undefined ? [] : Array.isArray(entity.transform) ? entity.transform : [entity.transform];
  rawTransforms.forEach((raw, i) => {
    const at = Array.isArray(entity.transform) ? `$['transform'][${i}]` : "$['transform']";
    const resolved = resolveConditional(raw, at, errors);
    const list = Array.isArray(resolved) ? resolved : [resolved];
    for (const t of list) {
      if (!isJsonObject(t)) {
        errors.push({ level: 'error', msg: 'A transform must be an object', elements: at });
        continue;
      }
      if (t.type === 'conditional') continue; // already reported by resolveConditional
      checkType(t, 'transform', at, errors);
      const step: TransformStep = { type: String(t.type), config: t };
      if (t.type === 'dtl') {
        try {
          step.dtl = compileDtl(t, {
            pipeId: id,
            namespacedIdentifiers: ni,
            identityNamespace: namespaces.identity,
            propertyNamespace: namespaces.property,
            sinkIsDataset: sinkObj.type === 'dataset',
          });
          for (const d of step.dtl.hopDatasets) hopDatasets.add(d);
        } catch (err) {
          if (!(err instanceof DtlConfigError)) throw err;
          errors.push({ level: 'error', msg: err.message, elements: `${at}['rules']` });
        }
      }
      transforms.push(step);
    }
  });

  const sourceDatasets =
    sourceObj.type === 'dataset' && typeof sourceObj.dataset === 'string'
      ? [sourceObj.dataset]
      : ['union_datasets', 'merge', 'merge_datasets', 'diff_datasets'].includes(String(sourceObj.type))
        ? datasetIds(sourceObj.datasets)
        : sourceObj.type === 'http_endpoint'
          ? [RECEIVER_DATASET_PREFIX + id]
          : [];

  const effective = withDefaults({ ...entity, source: sourceObj, sink: sinkObj }, id, sinkObj);
  if (entity.transform !== undefined) {
    effective.transform =
      transforms.length === 1 && !Array.isArray(entity.transform)
        ? transforms[0]!.config
        : transforms.map((t) => t.config);
  }
  let merge: MergePlan | undefined;
  if (sourceObj.type === 'merge') {
    const globals = isJsonObject(metadata.global_defaults) ? metadata.global_defaults : {};
    try {
      merge = compileMergeSource(sourceObj, {
        pipeId: id,
        namespacedIdentifiers: ni,
        maxMerged: typeof globals.max_merged === 'number' ? globals.max_merged : 50000,
      });
    } catch (err) {
      errors.push({ level: 'error', msg: `Merge source: ${(err as Error).message}`, elements: "$['source']" });
    }
  }
  const pump = effective.pump as JsonObject;
  return {
    merge,
    id,
    original,
    effective,
    errors,
    valid: !errors.some((e) => e.level === 'error'),
    kind: classify(sourceObj, sinkObj),
    source: sourceObj,
    sink: sinkObj,
    transforms,
    namespacedIdentifiers: ni,
    namespaces,
    addNamespaces,
    removeNamespaces,
    sourceDatasets,
    hopDatasets: [...hopDatasets],
    sinkDataset: sinkObj.type === 'dataset' && typeof sinkObj.dataset === 'string' ? sinkObj.dataset : undefined,
    pumpMode: typeof pump.mode === 'string' ? pump.mode : 'scheduled',
  };
}
