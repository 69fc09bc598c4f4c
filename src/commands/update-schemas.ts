// `sesam update-schemas` (connector development, sesam-py parity): turn on entity type inference on the node, run
// each datatype's collect pipe, and write schemas/<datatype>.json (null-typed properties to fill in by hand, first
// time only), schemas/<datatype>.merged.json and schema.csv in the connector folder.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isJsonObject, type JsonObject } from '../format/json.js';
import type { NodeApi } from '../node/types.js';
import { abortableSleep } from '../node/retry.js';
import { withProgress } from '../progress.js';
import { incompleteSchema, mergedSchema, schemaCsv } from '../connectors/schemas.js';
import { pyJsonDump } from '../connectors/python-text.js';
import { readJsonFile, writeFileAtomic } from '../workspace/files.js';
import { DEFAULT_SYSTEM_PLACEHOLDER } from '../connectors/manifest.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';
import { waitForDeploy } from './upload.js';

const PUMP_POLL_MS = 500;

export async function updateSchemas(ctx: CommandContext): Promise<void> {
  const dir = resolve(ctx.cwd, ctx.options.connectorDir ?? '.');
  const placeholder = ctx.options.systemPlaceholder ?? DEFAULT_SYSTEM_PLACEHOLDER;
  const manifestPath = join(dir, 'manifest.json');
  const manifest = existsSync(manifestPath) ? readJsonFile(manifestPath, 'manifest.json') : {};
  const datatypes = isJsonObject(manifest) && isJsonObject(manifest.datatypes) ? Object.keys(manifest.datatypes) : [];
  const system = isJsonObject(manifest) && typeof manifest.system === 'string' ? manifest.system : 'unknown';

  await withNode(ctx, {}, async (api) => {
    await enableInference(api);
    await withProgress(ctx, 'Deploying pipes', undefined, (task) => waitForDeploy(ctx, api, task));
    const withNulls: string[] = [];
    for (const datatype of datatypes) {
      const pipeId = `${placeholder}-${datatype}-collect`;
      if (await api.getPipe(pipeId)) {
        ctx.log.info(`Running pipe '${pipeId}'`);
        await runPumpOnce(api, pipeId, ctx.signal);
      } else {
        ctx.log.warn(
          `Expected to find collect pipe '${pipeId}' in subscription, but it was not found. Maybe you need to do a 'sesam upload' first?`,
        );
        continue; // sesam-py asks for its entity types anyway and crashes on the 404
      }
      const live = await api.getPipeEntityTypes(pipeId, 'sink');
      if (Object.keys(live).length === 0) {
        ctx.log.warn(`The schema for datatype '${datatype}' is empty. Skipping this datatype for now.`);
        continue;
      }
      const incompletePath = join(dir, 'schemas', `${datatype}.json`);
      const shown = `schemas/${datatype}.json`;
      if (!existsSync(incompletePath)) {
        const { schema, nulls } = incompleteSchema(live);
        if (nulls > 0) withNulls.push(datatype);
        ctx.log.info(`Writing incomplete schema with ${nulls} null-properties to ${shown}`);
        writeFileAtomic(incompletePath, pyJsonDump(schema));
      }
      ctx.log.info(`Checking if properties in ${shown} can be merged...`);
      const edited = readJsonFile(incompletePath, shown);
      const merged = mergedSchema(live, isJsonObject(edited) ? edited : {});
      writeFileAtomic(join(dir, 'schemas', `${datatype}.merged.json`), pyJsonDump(merged));
    }
    if (withNulls.length) {
      ctx.log.info(
        `Finished writing schemas. There are null-type properties in the following schemas that need to be manually inserted: ${withNulls.join(',')}`,
      );
    }
  });

  const schemas = new Map<string, JsonObject>();
  const schemaDir = join(dir, 'schemas');
  for (const file of existsSync(schemaDir) ? readdirSync(schemaDir).sort() : []) {
    if (!file.endsWith('.merged.json')) continue;
    const schema = readJsonFile(join(schemaDir, file), `schemas/${file}`);
    if (isJsonObject(schema)) schemas.set(file.slice(0, -'.merged.json'.length), schema);
  }
  writeFileAtomic(join(dir, 'schema.csv'), schemaCsv(system, schemas));
  ctx.log.info("Wrote updated connector schema to 'schema.csv'");
}

/** Node metadata `global_defaults.infer_pipe_entity_types: true`, set only when it is not already. */
async function enableInference(api: NodeApi): Promise<void> {
  const answer = await api.getMetadata();
  const config = isJsonObject(answer.config) ? answer.config : {};
  const metadata: JsonObject = isJsonObject(config.effective) ? { ...config.effective } : { ...answer };
  const defaults = isJsonObject(metadata.global_defaults) ? { ...metadata.global_defaults } : {};
  if (defaults.infer_pipe_entity_types === true) return;
  defaults.infer_pipe_entity_types = true;
  metadata.global_defaults = defaults;
  await api.putMetadata(metadata);
}

/** Start the pump and wait until it has stopped running. */
async function runPumpOnce(api: NodeApi, pipeId: string, signal?: AbortSignal): Promise<void> {
  await api.pumpOperation(pipeId, 'start');
  for (;;) {
    const pump = await api.getPump(pipeId);
    const runtime = isJsonObject(pump.runtime) ? pump.runtime : {};
    if (runtime['is-running'] !== true) return;
    await abortableSleep(PUMP_POLL_MS, signal);
  }
}
