// Single-component config changes (POST /pipes, PUT /pipes/{id}/config, DELETE /systems/{id}, /metadata ...)
// expressed as a whole-config replacement, the one write the engine offers. Pipes, systems and the metadata are
// separate id spaces, as on a Sesam node.
import type { JsonObject } from '../../format/json.js';
import type { ValidationError } from '../engine.js';
import type { EngineApi } from './engine-api.js';
import { HttpError } from './responses.js';

export type ComponentKind = 'pipe' | 'system' | 'metadata';

export function componentKind(entity: JsonObject): ComponentKind | undefined {
  const type = entity.type;
  if (type === 'pipe') return 'pipe';
  if (type === 'metadata') return 'metadata';
  if (typeof type === 'string' && type.startsWith('system')) return 'system';
  return undefined;
}

function sameComponent(a: JsonObject, kind: ComponentKind, id: string): boolean {
  if (componentKind(a) !== kind) return false;
  return kind === 'metadata' || a._id === id;
}

export function findComponent(engine: EngineApi, kind: ComponentKind, id: string): JsonObject | undefined {
  return engine.getConfig().find((e) => sameComponent(e, kind, id));
}

/** Add or replace the given components, keeping the rest of the config. */
export function upsertComponents(engine: EngineApi, components: JsonObject[], force: boolean): ValidationError[] {
  const config = [...engine.getConfig()];
  for (const component of components) {
    const kind = componentKind(component);
    if (!kind)
      throw new HttpError(
        400,
        `The config entity '${String(component._id)}' has no known type (pipe, system:* or metadata).`,
      );
    const id = String(component._id);
    const at = config.findIndex((e) => sameComponent(e, kind, id));
    if (at >= 0) config[at] = component;
    else config.push(component);
  }
  return engine.putConfig(config, { force });
}

export function removeComponent(engine: EngineApi, kind: ComponentKind, id: string): ValidationError[] {
  const config = engine.getConfig().filter((e) => !sameComponent(e, kind, id));
  // Removing a component never makes the rest invalid in a way the user could fix here; apply it regardless.
  return engine.putConfig(config, { force: true });
}

/** True when any of the validation errors is an error (warnings alone do not block an upload). */
export function hasErrors(errors: ValidationError[]): boolean {
  return errors.some((e) => e['config-errors'].some((c) => c.level === 'error'));
}

/** The 400 answer of an upload with errors, in the node's shape ({"validation_errors": [...]}). */
export function validationFailure(errors: ValidationError[]): HttpError {
  return new HttpError(400, 'The config has validation errors.', {
    validation_errors: errors as unknown as JsonObject[],
  });
}

/** Upsert components as a config write: a 400 with the validation errors unless forced. */
export function applyComponents(engine: EngineApi, components: JsonObject[], force: boolean): void {
  const errors = upsertComponents(engine, components, force);
  if (hasErrors(errors) && !force) throw validationFailure(errors);
}
