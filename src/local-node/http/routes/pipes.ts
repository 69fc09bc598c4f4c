// Pipes, pumps, computed pipe entities and the pipe runner ("run all pipes until stable").
import type { JsonObject } from '../../../format/json.js';
import type { EngineRunParams } from '../../engine.js';
import { boolParam, forceParam, intParam, readForm, readJson, readJsonObject, stringParam } from '../body.js';
import { configEntities } from '../config-archive.js';
import { applyComponents, removeComponent } from '../config-edit.js';
import type { EngineApi } from '../engine-api.js';
import { badRequest, entitiesResponse, HttpError, jsonResponse, notFound } from '../responses.js';
import type { RouteContext, Router } from '../router.js';

const STAGES = ['source', 'before-transforms', 'after-transforms', 'sink'];

export function pipeRoutes(router: Router, engine: EngineApi): void {
  // The runner's fixed names come before /pipes/:id.
  router.add('POST', '/pipes/run-all-pipes', (ctx) => runAllPipes(ctx, engine));
  router.add('GET', '/pipes/get-pipe-runner-status', ({ query }) =>
    jsonResponse(engine.runnerStatus(query.get('token') ?? '')),
  );
  router.add('GET', '/pipes/get-run-all-pipes-log', ({ query }) =>
    jsonResponse(engine.runnerLog({ since: stringParam(query, 'since'), token: stringParam(query, 'token') })),
  );
  // sesam-py calls this before every run, so it answers 200 whether or not a run is going on.
  router.add('POST', '/pipes/stop-run-all-pipes', () => {
    engine.stopRunner();
    return jsonResponse({ message: 'OK' });
  });

  router.add('GET', '/pipes', () => jsonResponse(engine.listPipes()));
  router.add('POST', '/pipes', async (ctx) => {
    const configs = configEntities(await readJson(ctx.request), 'the posted pipes').map((c) => pipeConfig(c));
    for (const config of configs) {
      if (engine.getPipe(config._id as string))
        throw new HttpError(409, `A pipe with the id '${config._id}' already exists.`);
    }
    applyComponents(engine, configs, forceParam(ctx.query));
    return jsonResponse(
      configs.map((c) => engine.getPipe(c._id as string) ?? null),
      201,
    );
  });
  router.add('GET', '/pipes/:id', ({ params }) => jsonResponse(pipeOr404(engine, params.id!)));
  router.add('DELETE', '/pipes/:id', ({ params }) => {
    const pipe = pipeOr404(engine, params.id!);
    removeComponent(engine, 'pipe', params.id!);
    return jsonResponse(pipe);
  });
  router.add('GET', '/pipes/:id/config', ({ params }) => jsonResponse(pipeOr404(engine, params.id!).config.original));
  router.add('PUT', '/pipes/:id/config', async (ctx) => {
    const id = ctx.params.id!;
    pipeOr404(engine, id);
    applyComponents(
      engine,
      [pipeConfig(await readJsonObject(ctx.request, 'the pipe config'), id)],
      forceParam(ctx.query),
    );
    return jsonResponse(pipeOr404(engine, id));
  });

  // The pipe's execution log: one entry per run attempt (pump-completed, pump-failed, pump-waiting).
  router.add('GET', '/pipes/:id/log', ({ params }) => jsonResponse(engine.pipeLog(params.id!)));
  router.add('GET', '/pipes/:id/pump', ({ params }) => {
    pipeOr404(engine, params.id!);
    return jsonResponse(engine.pump(params.id!));
  });
  router.add('POST', '/pipes/:id/pump', async (ctx) => {
    const id = ctx.params.id!;
    pipeOr404(engine, id);
    const { operation, ...params } = await readForm(ctx.request, ctx.query);
    if (!operation)
      throw badRequest(
        `The form field 'operation' is missing (e.g. operation=start) for the pump of the pipe '${id}'.`,
      );
    return jsonResponse(engine.pumpOperation(id, operation, params));
  });

  router.add('GET', '/pipes/:id/entity-types/:stage', ({ params }) => {
    pipeOr404(engine, params.id!);
    const stage = params.stage;
    if (stage !== 'source' && stage !== 'sink') throw notFound(`No entity types for the stage '${stage}'.`);
    return jsonResponse(engine.pipeEntityTypes(params.id!, stage));
  });
  router.add('GET', '/pipes/:id/entities', ({ params, query }) => {
    pipeOr404(engine, params.id!);
    const stage = stringParam(query, 'stage');
    if (stage !== undefined && !STAGES.includes(stage)) {
      throw badRequest(`Unknown stage '${stage}'; use one of ${STAGES.join(', ')}.`);
    }
    return entitiesResponse(
      engine.pipeEntities(params.id!, { stage, since: stringParam(query, 'since'), limit: intParam(query, 'limit') }),
    );
  });
}

export function pipeOr404(engine: EngineApi, id: string) {
  const pipe = engine.getPipe(id);
  if (!pipe) throw notFound(`No pipe with the id '${id}'.`);
  return pipe;
}

/** A posted pipe config, checked: `type` pipe (filled in when missing) and `_id` (matching the URL's, if any). */
function pipeConfig(config: JsonObject, id?: string): JsonObject {
  if (config.type !== undefined && config.type !== 'pipe')
    throw badRequest(`The config '${String(config._id)}' has the type '${String(config.type)}', not 'pipe'.`);
  if (id !== undefined && config._id !== undefined && config._id !== id) {
    throw badRequest(`The pipe config's _id '${String(config._id)}' does not match the pipe '${id}' in the URL.`);
  }
  const pipeId = config._id ?? id;
  if (typeof pipeId !== 'string' || pipeId === '') throw badRequest('A posted pipe config has no string _id.');
  return { ...config, _id: pipeId, type: 'pipe' };
}

/** POST /pipes/run-all-pipes with sesam-py's query parameters; absent ones take the node's defaults. */
async function runAllPipes(ctx: RouteContext, engine: EngineApi): Promise<Response> {
  const { query } = ctx;
  const params: EngineRunParams = {
    extraZeroRuns: intParam(query, 'extra_zero_runs', 2),
    maxRuns: intParam(query, 'max_runs', 100),
    maxRunTime: intParam(query, 'max_run_time', 900),
    deleteInputDatasets: boolParam(query, 'delete_input_datasets', true),
    checkInputPipes: boolParam(query, 'check_input_pipes', false),
    resetPipesAndDeleteSinkDatasets: boolParam(query, 'reset_pipes_and_delete_sink_datasets', true),
    outputRunStatistics: boolParam(query, 'output_run_statistics', false),
  };
  // The embedded runner always runs actively; 'poll' is accepted because sesam-py may send it.
  const schedulerMode = stringParam(query, 'scheduler_mode');
  if (schedulerMode !== undefined && schedulerMode !== 'active' && schedulerMode !== 'poll') {
    throw badRequest(`'scheduler_mode' can only be 'active' or 'poll', not '${schedulerMode}'.`);
  }
  const requestMode = stringParam(query, 'request_mode') ?? 'sync';
  if (requestMode === 'async') return jsonResponse({ token: engine.startRunAllPipes(params) });
  if (requestMode !== 'sync') throw badRequest(`'request_mode' can only be 'sync' or 'async', not '${requestMode}'.`);
  return jsonResponse(await engine.runAllPipes(params));
}
