// Systems as config components. The embedded node connects to no external system, so a system's status says it
// is not running.
import type { JsonObject } from '../../../format/json.js';
import { forceParam, readJson, readJsonObject } from '../body.js';
import { configEntities } from '../config-archive.js';
import { applyComponents, removeComponent } from '../config-edit.js';
import type { EngineApi } from '../engine-api.js';
import { badRequest, HttpError, jsonResponse, notFound } from '../responses.js';
import type { Router } from '../router.js';
import { secretValues } from './config.js';

export function systemRoutes(router: Router, engine: EngineApi): void {
  router.add('GET', '/systems', () => jsonResponse(engine.listSystems()));
  router.add('POST', '/systems', async (ctx) => {
    const configs = configEntities(await readJson(ctx.request), 'the posted systems').map((c) => systemConfig(c));
    for (const config of configs) {
      if (engine.getSystem(config._id as string))
        throw new HttpError(409, `A system with the id '${config._id}' already exists.`);
    }
    applyComponents(engine, configs, forceParam(ctx.query));
    return jsonResponse(
      configs.map((c) => engine.getSystem(c._id as string) ?? null),
      201,
    );
  });
  router.add('GET', '/systems/:id', ({ params }) => jsonResponse(systemOr404(engine, params.id!)));
  router.add('DELETE', '/systems/:id', ({ params }) => {
    const system = systemOr404(engine, params.id!);
    removeComponent(engine, 'system', params.id!);
    return jsonResponse(system);
  });
  router.add('GET', '/systems/:id/config', ({ params }) => {
    systemOr404(engine, params.id!);
    const stored = engine
      .getConfig()
      .find((e) => e._id === params.id && typeof e.type === 'string' && e.type.startsWith('system'));
    if (!stored) throw notFound(`No system config with the id '${params.id}'.`);
    return jsonResponse(stored);
  });
  router.add('PUT', '/systems/:id/config', async (ctx) => {
    const id = ctx.params.id!;
    systemOr404(engine, id);
    applyComponents(
      engine,
      [systemConfig(await readJsonObject(ctx.request, 'the system config'), id)],
      forceParam(ctx.query),
    );
    return jsonResponse(systemOr404(engine, id));
  });
  // System secrets (connector `authenticate` writes them): write-only values, names listed; PUT replaces, POST adds.
  router.add('GET', '/systems/:id/secrets', ({ params }) => jsonResponse(engine.getSystemSecretNames(params.id!)));
  router.add('PUT', '/systems/:id/secrets', async (ctx) => {
    engine.putSystemSecrets(ctx.params.id!, await secretValues(ctx), true);
    return jsonResponse(engine.getSystemSecretNames(ctx.params.id!));
  });
  router.add('POST', '/systems/:id/secrets', async (ctx) => {
    engine.putSystemSecrets(ctx.params.id!, await secretValues(ctx), false);
    return jsonResponse(engine.getSystemSecretNames(ctx.params.id!));
  });
  router.add('DELETE', '/systems/:id/secrets/:key', ({ params }) => {
    engine.deleteSystemSecret(params.id!, params.key!);
    return jsonResponse(engine.getSystemSecretNames(params.id!));
  });
  router.add('GET', '/systems/:id/status', ({ params }) => {
    systemOr404(engine, params.id!);
    return jsonResponse({ running: false });
  });
}

function systemOr404(engine: EngineApi, id: string): JsonObject {
  const system = engine.getSystem(id);
  if (!system) throw notFound(`No system with the id '${id}'.`);
  return system;
}

function systemConfig(config: JsonObject, id?: string): JsonObject {
  if (typeof config.type !== 'string' || !config.type.startsWith('system')) {
    throw badRequest(
      `The config '${String(config._id ?? id)}' must have a type starting with 'system:' (e.g. system:url).`,
    );
  }
  if (id !== undefined && config._id !== undefined && config._id !== id) {
    throw badRequest(`The system config's _id '${String(config._id)}' does not match the system '${id}' in the URL.`);
  }
  const systemId = config._id ?? id;
  if (typeof systemId !== 'string' || systemId === '') throw badRequest('A posted system config has no string _id.');
  return { ...config, _id: systemId };
}
