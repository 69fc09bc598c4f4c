// The transform chain: dtl (compiled once per config version), emit_children, and external transforms (http,
// rest, ...) which need a real system: they pass entities through unchanged with a run-log note.
import type { DatasetProvider, TransformContext } from '../dtl/index.js';
import { isJsonObject, type JsonObject } from '../format/json.js';
import type { PipeDefinition } from './pipes.js';

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

export function applyTransforms(def: PipeDefinition, entities: JsonObject[], env: TransformEnv): JsonObject[] {
  let current = entities;
  def.transforms.forEach((step, index) => {
    if (step.dtl) {
      const dtl = step.dtl;
      const previous = index === 0 ? env.previous : undefined;
      const ctx: TransformContext = { datasets: env.datasets, params: env.params, now: env.now };
      const next: JsonObject[] = [];
      for (const e of current) {
        if (previous) ctx.previous = previous(e);
        for (const out of dtl.transform(e, ctx)) next.push(out);
      }
      current = next;
    } else if (step.type === 'emit_children') {
      current = current.flatMap(emitChildren);
    } else {
      env.note(
        `pipe '${def.id}': transform type '${step.type}' needs an external system; entities pass through unchanged`,
      );
    }
  });
  return current;
}
