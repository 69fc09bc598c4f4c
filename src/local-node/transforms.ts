// The registry of transform types and the transform chain: dtl (compiled once per config version),
// emit_children, chained (a list of transforms run in order, as one), and external transforms (http, rest, ...)
// which need a real system: they pass entities through unchanged with a run-log note.
import {
  compileDtl,
  DtlConfigError,
  type CompiledDtl,
  type DatasetProvider,
  type PipeDtlSettings,
  type TransformContext,
} from '../dtl/index.js';
import { isJsonObject, type JsonObject } from '../format/json.js';
import type { ConfigError } from './config-errors.js';

export interface TransformStep {
  type: string;
  config: JsonObject;
  /** Present for dtl. */
  dtl?: CompiledDtl;
  /** Present for chained: the transforms it runs. */
  steps?: TransformStep[];
  /** Datasets hopped into by this step (and its sub-steps). */
  hopDatasets: string[];
}

export interface TransformType {
  external?: boolean;
  compile?(config: JsonObject, at: string, errors: ConfigError[], pipe: PipeDtlSettings): Partial<TransformStep>;
}

export const TRANSFORM_TYPES: ReadonlyMap<string, TransformType> = new Map<string, TransformType>([
  [
    'dtl',
    {
      compile(config, at, errors, pipe) {
        try {
          const dtl = compileDtl(config, pipe);
          return { dtl, hopDatasets: [...dtl.hopDatasets] };
        } catch (err) {
          if (!(err instanceof DtlConfigError)) throw err;
          errors.push({ level: 'error', msg: err.message, elements: `${at}['rules']` });
          return {};
        }
      },
    },
  ],
  ['emit_children', {}],
  [
    'chained',
    {
      compile(config, at, errors, pipe) {
        const list = Array.isArray(config.transforms) ? config.transforms : [];
        if (!Array.isArray(config.transforms)) {
          errors.push({ level: 'error', msg: "The chained transform needs 'transforms', a list", elements: at });
        }
        const steps: TransformStep[] = [];
        list.forEach((t, i) => {
          const where = `${at}['transforms'][${i}]`;
          if (!isJsonObject(t) || !transformType(t.type)) {
            errors.push({ level: 'error', msg: 'Unknown transform in the chain', elements: where });
            return;
          }
          steps.push(compileTransformStep(t, where, errors, pipe));
        });
        return { steps, hopDatasets: steps.flatMap((s) => s.hopDatasets) };
      },
    },
  ],
  ...['http', 'rest', 'template', 'json_schema_validation', 'xml', 'rdf', 'microservice', 'properties_to_entities'].map(
    (t): [string, TransformType] => [t, { external: true }],
  ),
]);

export function transformType(type: unknown): TransformType | undefined {
  return typeof type === 'string' ? TRANSFORM_TYPES.get(type) : undefined;
}

export function compileTransformStep(
  config: JsonObject,
  at: string,
  errors: ConfigError[],
  pipe: PipeDtlSettings,
): TransformStep {
  const compiled = transformType(config.type)?.compile?.(config, at, errors, pipe) ?? {};
  return { hopDatasets: [], ...compiled, type: String(config.type), config };
}

/** Whether any step (also inside chained ones) satisfies the predicate. */
export function someStep(steps: readonly TransformStep[], test: (step: TransformStep) => boolean): boolean {
  return steps.some((s) => test(s) || (s.steps !== undefined && someStep(s.steps, test)));
}

export interface TransformEnv {
  datasets: DatasetProvider;
  /** Publisher query parameters, bound to DTL `_B`. */
  params?: JsonObject;
  /** Clock for DTL `now`, in nanoseconds. */
  now: () => bigint;
  note(message: string): void;
  /** The previous version of a source entity, for DTL `is-changed` (first transform only). */
  previous?: (source: JsonObject) => JsonObject | null;
}

/** Every `$children` entry with an `_id`; a deleted parent's children come out deleted too. */
export function emitChildren(parent: JsonObject): JsonObject[] {
  const children = Array.isArray(parent.$children) ? parent.$children : [];
  const out: JsonObject[] = [];
  for (const child of children) {
    if (!isJsonObject(child) || child._id === undefined) continue;
    out.push(parent._deleted === true ? { ...child, _deleted: true } : child);
  }
  return out;
}

function runSteps(
  pipeId: string,
  steps: readonly TransformStep[],
  entities: JsonObject[],
  env: TransformEnv,
  first: boolean,
) {
  let current = entities;
  steps.forEach((step, index) => {
    if (step.dtl) {
      const dtl = step.dtl;
      const previous = first && index === 0 ? env.previous : undefined;
      const ctx: TransformContext = { datasets: env.datasets, params: env.params, now: env.now };
      const next: JsonObject[] = [];
      for (const e of current) {
        if (previous) ctx.previous = previous(e);
        for (const out of dtl.transform(e, ctx)) next.push(out);
      }
      current = next;
    } else if (step.steps) {
      current = runSteps(pipeId, step.steps, current, env, first && index === 0);
    } else if (step.type === 'emit_children') {
      current = current.flatMap(emitChildren);
    } else {
      env.note(
        `pipe '${pipeId}': transform type '${step.type}' needs an external system; entities pass through unchanged`,
      );
    }
  });
  return current;
}

export function applyTransforms(
  def: { id: string; transforms: readonly TransformStep[] },
  entities: JsonObject[],
  env: TransformEnv,
): JsonObject[] {
  return runSteps(def.id, def.transforms, entities, env, true);
}
