// Node-level endpoints: the developer-mode gate, status, restart/reset, probes, metadata and the local JWT.
import { isJsonObject, type JsonObject } from '../../../format/json.js';
import { forceParam, readForm, readJsonObject } from '../body.js';
import { applyComponents, findComponent, removeComponent } from '../config-edit.js';
import type { EngineApi } from '../engine-api.js';
import { localJwt } from '../jwt.js';
import { badRequest, HttpError, jsonResponse } from '../responses.js';
import type { RouteContext, Router } from '../router.js';

export function nodeRoutes(router: Router, engine: EngineApi): void {
  // sesam-py runs online commands only when status.developer_mode is truthy; the embedded node always is one.
  router.add('GET', '/', () => jsonResponse({ status: { ...engine.status(), developer_mode: true } }));
  router.add('POST', '/', (ctx) => admin(ctx, engine));
  router.add('GET', '/status', () => jsonResponse(engine.status()));
  router.add('POST', '/admin', (ctx) => admin(ctx, engine));

  // Probes answer from the engine, so a closed or broken store reports itself.
  router.add('GET', '/ping', () => probe(engine, { status: 'running' }));
  router.add('GET', '/health', () => probe(engine, { status: 'ok' }));

  // A node answers with the metadata entity under `config` (connector tooling reads `config.effective`).
  router.add('GET', '/metadata', () => jsonResponse(metadataEntity(engine)));
  router.add('PUT', '/metadata', async (ctx) => {
    const body = await readJsonObject(ctx.request, 'the node metadata');
    const metadata: JsonObject = { ...body, _id: 'node', type: 'metadata' };
    applyComponents(engine, [metadata], forceParam(ctx.query));
    return jsonResponse(metadataEntity(engine));
  });
  router.add('DELETE', '/metadata', () => {
    removeComponent(engine, 'metadata', 'node');
    return jsonResponse(metadataEntity(engine));
  });

  router.add('POST', '/jwt', async (ctx) => {
    const form = await readForm(ctx.request, new URLSearchParams());
    const email = form.email ?? form.username;
    if (!email) throw badRequest("Log in with the form fields 'email' and 'password'.");
    return jsonResponse(localJwt(email));
  });
}

function metadataEntity(engine: EngineApi): JsonObject {
  const stored = findComponent(engine, 'metadata', 'node') ?? { _id: 'node', type: 'metadata' };
  return { _id: 'node', config: { original: stored, effective: stored } };
}

async function admin(ctx: RouteContext, engine: EngineApi): Promise<Response> {
  const form = await readForm(ctx.request, ctx.query);
  const operation = form.operation;
  if (operation === 'restart') engine.restart();
  else if (operation === 'reset') engine.reset();
  else if (!operation) throw badRequest("The form field 'operation' is missing; use restart or reset.");
  else throw badRequest(`The node doesn't support the operation '${operation}'; use restart or reset.`);
  return jsonResponse({ message: 'OK' });
}

function probe(engine: EngineApi, answer: JsonObject): Response {
  try {
    const status = engine.status();
    if (!isJsonObject(status)) throw new Error('the engine returned no status');
  } catch (err) {
    throw new HttpError(503, `The embedded node is not healthy: ${err instanceof Error ? err.message : String(err)}`);
  }
  return jsonResponse(answer);
}
