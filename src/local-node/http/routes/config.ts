// Configuration, environment variables and secrets: what `sesam upload`, `download`, `status` and `wipe` use.
import type { JsonObject } from '../../../format/json.js';
import type { ValidationError } from '../../engine.js';
import {
  CONFIG_BODY_TYPES,
  forceParam,
  mediaType,
  parseJsonBody,
  readBytes,
  readJsonObject,
  readMultipart,
} from '../body.js';
import { configEntities, configFromZip, configToZip, looksLikeZip } from '../config-archive.js';
import { hasErrors, upsertComponents, validationFailure } from '../config-edit.js';
import type { EngineApi } from '../engine-api.js';
import { badRequest, jsonResponse, notFound, rawResponse } from '../responses.js';
import type { RouteContext, Router } from '../router.js';

export function configRoutes(router: Router, engine: EngineApi): void {
  router.add('GET', '/config', (ctx) => {
    const accept = ctx.request.headers.get('accept') ?? '';
    const config = engine.getConfig();
    if (/\bapplication\/zip\b/i.test(accept)) {
      return rawResponse(configToZip(config), 'application/zip', {
        'content-disposition': 'attachment; filename="sesam-config.zip"',
      });
    }
    return jsonResponse(config);
  });
  // PUT replaces the whole config (components not in the upload are removed); POST adds or replaces components.
  router.add('PUT', '/config', async (ctx) =>
    uploadAnswer(ctx, engine.putConfig(await uploadedConfig(ctx), { force: forceParam(ctx.query) })),
  );
  router.add('POST', '/config', async (ctx) =>
    uploadAnswer(ctx, upsertComponents(engine, await uploadedConfig(ctx), forceParam(ctx.query))),
  );

  router.add('GET', '/env', () => jsonResponse(engine.getEnv()));
  // sesam-py treats PUT as replace-all (`wipe` sends {} to remove every variable); POST and PATCH merge.
  router.add('PUT', '/env', async (ctx) => {
    engine.putEnv(await readJsonObject(ctx.request, 'the environment variables'));
    return jsonResponse(engine.getEnv());
  });
  const mergeEnv = async (ctx: RouteContext) => {
    engine.putEnv({ ...engine.getEnv(), ...(await readJsonObject(ctx.request, 'the environment variables')) });
    return jsonResponse(engine.getEnv());
  };
  router.add('POST', '/env', mergeEnv);
  router.add('PATCH', '/env', mergeEnv);
  router.add('DELETE', '/env/:name', ({ params }) => {
    const env = engine.getEnv();
    if (!Object.hasOwn(env, params.name!)) throw notFound(`No environment variable named '${params.name}'.`);
    const rest: JsonObject = { ...env };
    delete rest[params.name!];
    engine.putEnv(rest);
    return jsonResponse(engine.getEnv());
  });

  // Secret values are write-only: reads list the names.
  router.add('GET', '/secrets', () => jsonResponse(engine.getSecretNames()));
  router.add('PUT', '/secrets', async (ctx) => {
    engine.putSecrets(await secretValues(ctx), true);
    return jsonResponse(engine.getSecretNames());
  });
  router.add('POST', '/secrets', async (ctx) => {
    engine.putSecrets(await secretValues(ctx), false);
    return jsonResponse(engine.getSecretNames());
  });
  router.add('DELETE', '/secrets/:key', ({ params }) => {
    if (!engine.getSecretNames().includes(params.key!)) throw notFound(`No secret named '${params.key}'.`);
    engine.deleteSecret(params.key!);
    return jsonResponse(engine.getSecretNames());
  });
}

function uploadAnswer(ctx: RouteContext, errors: ValidationError[]): Response {
  if (hasErrors(errors) && !forceParam(ctx.query)) throw validationFailure(errors);
  return jsonResponse({ validation_errors: errors as unknown as JsonObject[] });
}

/**
 * The config entities of an upload: multipart/form-data with the part `file` (sesamclient's default), or a raw
 * application/zip or application/json body. A part or body without a telling type is recognised by its bytes.
 */
async function uploadedConfig(ctx: RouteContext): Promise<JsonObject[]> {
  const type = mediaType(ctx.request);
  if (type === 'multipart/form-data') {
    const parts = await readMultipart(ctx.request);
    const file = parts.find((p) => p.name === 'file');
    if (!file) {
      const names = parts.map((p) => `'${p.name}'`).join(', ') || 'none';
      throw badRequest(`The multipart config upload has no part named 'file' (parts: ${names}).`);
    }
    return decodeConfig(file.data, file.contentType ?? '');
  }
  return decodeConfig(await readBytes(ctx.request, [...CONFIG_BODY_TYPES, 'application/octet-stream']), type);
}

function decodeConfig(bytes: Uint8Array, type: string): JsonObject[] {
  if (bytes.length === 0)
    throw badRequest('The config upload is empty; send a zip or a JSON array of config entities.');
  const zip =
    type === 'application/zip' ||
    type === 'application/x-zip-compressed' ||
    (type !== 'application/json' && looksLikeZip(bytes));
  if (zip) return configFromZip(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('The config upload is neither a zip file nor UTF-8 JSON text.');
  }
  return configEntities(parseJsonBody(text, 'the uploaded config'));
}

export async function secretValues(ctx: RouteContext): Promise<Record<string, string>> {
  const body = await readJsonObject(ctx.request, 'the secrets');
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw badRequest(`The secret '${name}' must be a string value.`);
    values[name] = value;
  }
  return values;
}
