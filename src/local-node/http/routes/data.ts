// Data in and out: datasets, JSON push receivers (http_endpoint sources) and publishers (endpoint sinks).
import { isJsonObject, type JsonObject } from '../../../format/json.js';
import { boolParam, intParam, readJson, stringParam } from '../body.js';
import type { EngineApi } from '../engine-api.js';
import { badRequest, entitiesResponse, jsonResponse, notFound, rawResponse } from '../responses.js';
import type { RouteContext, Router } from '../router.js';
import { pipeOr404 } from './pipes.js';

const FILE_EXTENSIONS: Record<string, string> = { entities: 'json', csv: 'csv', xml: 'xml' };

export function dataRoutes(router: Router, engine: EngineApi): void {
  router.add('GET', '/datasets', () => jsonResponse(engine.listDatasets()));
  router.add('GET', '/datasets/:id', ({ params }) => jsonResponse(datasetOr404(engine, params.id!)));
  router.add('DELETE', '/datasets/:id', ({ params }) => {
    const dataset = datasetOr404(engine, params.id!);
    engine.deleteDataset(params.id!);
    return jsonResponse(dataset);
  });
  router.add('GET', '/datasets/:id/entities', ({ params, query }) => {
    datasetOr404(engine, params.id!);
    return entitiesResponse(
      engine.datasetEntities(params.id!, {
        since: stringParam(query, 'since'),
        limit: intParam(query, 'limit'),
        history: boolParam(query, 'history', true),
        deleted: boolParam(query, 'deleted', true),
      }),
    );
  });
  // One entity's latest version (sesamclient's get_entity); 404 when the dataset has no such _id.
  router.add('GET', '/datasets/:id/entity', ({ params, query }) => {
    datasetOr404(engine, params.id!);
    const entityId = stringParam(query, 'entity_id');
    if (entityId === undefined) throw badRequest("The query parameter 'entity_id' is missing.");
    if (query.has('offset'))
      throw badRequest("The embedded node serves only an entity's latest version; 'offset' is not supported.");
    const entity = engine
      .datasetEntities(params.id!, { history: false, deleted: true })
      .find((e) => e._id === entityId);
    if (!entity) throw notFound(`The dataset '${params.id}' has no entity with the _id '${entityId}'.`);
    return entitiesResponse(entity);
  });

  router.add('POST', '/receivers/:id/entities', async (ctx) => {
    const id = ctx.params.id!;
    pipeOr404(engine, id);
    engine.receive(id, receivedEntities(await readJson(ctx.request), id), Object.fromEntries(ctx.query));
    return jsonResponse({});
  });

  const publish = (ctx: RouteContext, asFile: boolean) => {
    const { id, endpoint } = ctx.params as { id: string; endpoint: string };
    pipeOr404(engine, id);
    // Every query parameter reaches the engine: since/limit page, the rest bind the DTL variable _B.
    const { contentType, body } = engine.publish(id, endpoint, Object.fromEntries(ctx.query));
    const headers: Record<string, string> = asFile
      ? { 'content-disposition': `attachment; filename="${id}.${FILE_EXTENSIONS[endpoint] ?? endpoint}"` }
      : {};
    return rawResponse(body, contentType, headers);
  };
  router.add('GET', '/publishers/:id/:endpoint', (ctx) => publish(ctx, false));
  router.add('GET', '/publishers/:id/:endpoint/file', (ctx) => publish(ctx, true));
}

function datasetOr404(engine: EngineApi, id: string): JsonObject {
  const dataset = engine.getDataset(id);
  if (!dataset) throw notFound(`No dataset with the id '${id}'.`);
  return dataset;
}

/** A JSON push body: one entity or an array of entities. */
function receivedEntities(body: unknown, pipe: string): JsonObject[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map((item, index) => {
    if (!isJsonObject(item))
      throw badRequest(`The entities posted to the receiver '${pipe}' must be JSON objects; item ${index} is not.`);
    return item;
  });
}
