// `sesam upload` (sesam-py §5.1): env (the profile merged with ../.additional_parameters.json) via PUT /env, the
// config zip with node-metadata injection via PUT /config, a wait until the node has deployed the pipes, then
// testdata/ pushed to the receivers. uploadProject() is the same sequence for `sesam test`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inConnectorMode } from '../connectors/manifest.js';
import { inputError, isSesamError, nodeError, SesamError, usageError } from '../errors.js';
import { isJsonObject, stringifyJson, type JsonObject, type JsonValue } from '../format/json.js';
import { validationErrorLines } from '../node/http-errors.js';
import { isDeploying, isUserPipe } from '../node/pipes.js';
import type { NodeApi, PipeInfo } from '../node/types.js';
import { localConfigEntries } from '../workspace/config-zip.js';
import { duplicateKeyWarning, parseJsonText, readText, writeFileAtomic } from '../workspace/files.js';
import { readJinjaVars } from '../workspace/jinja.js';
import { injectNodeMetadata } from '../workspace/node-metadata.js';
import { isFile, NODE_METADATA_FILE, readProfileEnv, testdataFiles } from '../workspace/project.js';
import { createZip } from '../workspace/zip.js';
import { withNode } from './connect.js';
import { withProgress, type ProgressTask } from '../progress.js';
import type { CommandContext } from './context.js';
import { whitelistOf } from './node-files.js';
import { uploadTestdata, type TestdataSummary } from './testdata-upload.js';
import { pollTiming, sleep } from './timing.js';

export interface UploadSummary {
  pipes: number;
  systems: number;
  testdata?: TestdataSummary;
  testdataPushed: boolean;
}

export async function upload(ctx: CommandContext): Promise<void> {
  checkUploadOptions(ctx);
  // In a connector folder: expand, check, upload the expanded config, authenticate (src/connectors/mode.ts).
  const summary = inConnectorMode(ctx.cwd, ctx.options)
    ? await (await import('../connectors/mode.js')).connectorUpload(ctx)
    : await withNode(ctx, { allowNonDeveloper: ctx.options.force }, (api) => uploadProjectDetailed(ctx, api));
  if (ctx.options.json) {
    ctx.out.json({ ok: true, pipes: summary.pipes, systems: summary.systems, testdata: summary.testdata ?? null });
    return;
  }
  const td = summary.testdata
    ? `; test data: ${summary.testdata.uploaded} of ${summary.testdata.total} files pushed`
    : '';
  ctx.out.line(`Config uploaded successfully: ${summary.pipes} pipes, ${summary.systems} systems${td}.`);
}

/** For `sesam test`: the whole upload against an already connected node. */
export async function uploadProject(ctx: CommandContext, api: NodeApi): Promise<{ testdataPushed: boolean }> {
  checkUploadOptions(ctx);
  const { testdataPushed } = await uploadProjectDetailed(ctx, api);
  return { testdataPushed };
}

function checkUploadOptions(ctx: CommandContext): void {
  const o = ctx.options;
  if (!Number.isInteger(o.uploadWorkers) || o.uploadWorkers < 1)
    throw usageError('--upload-workers must be an integer >= 1');
  if (!(o.uploadRate >= 0)) throw usageError('--upload-rate must be a number >= 0');
  if (o.singleThreadUpload && o.uploadWorkers !== 8)
    ctx.log.warn('--upload-workers is ignored when -single-thread-upload is set');
}

export async function uploadProjectDetailed(ctx: CommandContext, api: NodeApi): Promise<UploadSummary> {
  const root = ctx.cwd;
  const { options, log } = ctx;
  const whitelist = whitelistOf(ctx);
  const env = readProfileEnv(root, options.profile);
  // sesam-py uploads the bytes unchecked; a broken file is caught here, before anything reaches the node.
  const entries = checkedConfigEntries(ctx);

  if (options.uploadDeleteSinkDatasets) await deleteSinkDatasets(ctx, api);

  mergeAdditionalParameters(ctx, env);
  await api.putEnv(env);

  const { pipes, systems, nodePipes } = await uploadConfig(ctx, api, entries);
  log.info('Config uploaded successfully');

  const summary: UploadSummary = { pipes, systems, testdataPushed: false };
  if (!existsSync(join(root, 'testdata'))) {
    log.info('No test data found to upload');
    return summary;
  }
  summary.testdataPushed = true;
  const jobs = testdataFiles(root).filter((j) => !whitelist || whitelist.allowsPipe(j.pipeId));
  if (jobs.length === 0) {
    log.info('No test data found to upload');
    return summary;
  }
  const td = await uploadTestdata(ctx, api, jobs, new Set(nodePipes.map((p) => p._id)));
  summary.testdata = td;
  if (td.failures.length) {
    const lines = td.failures.map((f) => `${f.path} (${f.pipeId}): ${f.error}`);
    const kind = td.failures.some((f) => f.kind === 'node') ? 'node' : 'input';
    throw new SesamError(kind, `Testdata upload failed for ${td.failures.length} file(s).`, {
      reason: lines.join('\nReason: '),
      file: td.failures[0]!.path,
    });
  }
  log.info('Test data uploaded successfully.');
  return summary;
}

/** ../.additional_parameters.json overrides profile values (sesam-py reads it for every project). */
function mergeAdditionalParameters(ctx: CommandContext, env: JsonObject): void {
  const path = join(ctx.cwd, '..', '.additional_parameters.json');
  if (!isFile(path)) return;
  const value = parseJsonText(readText(path), '../.additional_parameters.json');
  if (!isJsonObject(value))
    throw inputError(
      'Failed to parse additional parameters file: ../.additional_parameters.json must hold a JSON object.',
      { file: path },
    );
  const profileFile = `${ctx.options.profile}-env.json`;
  for (const [key, v] of Object.entries(value)) {
    if (key in env) {
      ctx.log.warn(
        `Value for parameter '${key}' set in ${profileFile} will be replaced with the corresponding value set in ../.additional_parameters.json before upload.`,
      );
    }
    env[key] = v;
  }
}

/** The config files taking part in an upload, each parsed (an input error names a broken one; duplicate keys warn). */
function checkedConfigEntries(ctx: CommandContext): ReturnType<typeof localConfigEntries> {
  const entries = localConfigEntries(ctx.cwd, { whitelist: whitelistOf(ctx), jinjaVars: readJinjaVars(ctx.cwd) });
  for (const entry of entries)
    parseJsonText(entry.text, entry.path, (d) => ctx.log.warn(duplicateKeyWarning(entry.path, d)));
  return entries;
}

/** PUT /config (the whole local config, node metadata injected) and wait for the deploy; no env, no test data. */
export async function uploadConfig(
  ctx: CommandContext,
  api: NodeApi,
  entries = checkedConfigEntries(ctx),
): Promise<{ pipes: number; systems: number; nodePipes: PipeInfo[] }> {
  const root = ctx.cwd;
  const { options, log } = ctx;
  if (options.dump) {
    writeFileAtomic(join(root, 'sesam-config.zip'), createZip(entries.map((e) => ({ path: e.path, data: e.text }))));
    log.info("Dumped local config to 'sesam-config.zip'");
  }
  const pipes = entries.filter((e) => e.path.startsWith('pipes/')).length;
  const systems = entries.filter((e) => e.path.startsWith('systems/')).length;
  if (pipes === 0)
    log.warn('No pipes to upload (no pipes/*.conf.json taking part): the node will be left without pipes.');
  const metadata = entries.find((e) => e.path === NODE_METADATA_FILE);
  if (metadata) {
    const value = parseJsonText(metadata.text, NODE_METADATA_FILE);
    if (!isJsonObject(value))
      throw inputError(`${NODE_METADATA_FILE} must hold a JSON object.`, { file: NODE_METADATA_FILE });
    metadata.text = stringifyJson(
      injectNodeMetadata(value, {
        enableUserPipes: options.enableUserPipes,
        disableCppExtensions: options.disableCppExtensions,
        enableEagerMs: options.enableEagerMs,
      }),
    );
  } else {
    log.debug(`No ${NODE_METADATA_FILE} in the upload: the node's scheduling settings are left to the node.`);
  }
  // The embedded node in-process (`--node local`, baseUrl 'local') gets the zip uncompressed: nothing to save there.
  const zip = createZip(
    entries.map((e) => ({ path: e.path, data: e.text })),
    { store: api.baseUrl === 'local' },
  );
  const nodePipes = await withProgress(ctx, 'Uploading config', undefined, async (progress) => {
    progress.update(0, `${pipes} pipes, ${systems} systems`);
    const result = await api.putConfig({ zip }, { force: options.force });
    const refused = result.validationErrors.filter(
      (v) => isJsonObject(v) && Array.isArray(v['config-errors']) && v['config-errors'].some(isErrorLevel),
    );
    if (refused.length) {
      log.warn(`The node accepted the config with --force despite ${refused.length} validation error(s):`);
      for (const line of validationErrorLines(refused)) log.warn(`  ${line}`);
    }
    // Warnings (e.g. an unknown $ENV name) do not stop the upload; a pipe that needs the value fails when it runs.
    const warned = result.validationErrors.filter((v) => !refused.includes(v));
    for (const line of validationErrorLines(warned)) log.warn(`Warning: ${line}`);
    return waitForDeploy(ctx, api, progress);
  });
  return { pipes, systems, nodePipes };
}

/** Poll GET /pipes until no user pipe is Deploying; returns the last listing. */
export async function waitForDeploy(ctx: CommandContext, api: NodeApi, progress: ProgressTask): Promise<PipeInfo[]> {
  const started = Date.now();
  let pipes = (await api.getPipes()).filter(isUserPipe);
  let deploying = pipes.filter(isDeploying);
  ctx.log.info(`Deploying ${deploying.length} pipes...`);
  progress.setTotal(pipes.length);
  while (deploying.length) {
    progress.update(pipes.length - deploying.length, `deploying ${deploying[0]!._id}`);
    if (Date.now() - started > pollTiming.deployTimeoutMs) {
      throw nodeError(
        `Waiting for pipes to deploy timed out after ${Math.round(pollTiming.deployTimeoutMs / 1000)} seconds!`,
        {
          reason: `still deploying: ${deploying
            .slice(0, 5)
            .map((p) => p._id)
            .join(', ')}${deploying.length > 5 ? ', ...' : ''}`,
        },
      );
    }
    ctx.log.debug(`Pipe '${deploying[0]!._id}' is still deploying...`);
    await sleep(pollTiming.deployPollMs, ctx.signal);
    pipes = (await api.getPipes()).filter(isUserPipe);
    deploying = pipes.filter(isDeploying);
  }
  ctx.log.debug(`All pipes were deployed in ${((Date.now() - started) / 1000).toFixed(1)} seconds`);
  return pipes;
}

/**
 * -upload-delete-sink-datasets: sesamclient's delete_all_sink_datasets() was never captured, so this deletes what
 * the name says: the dataset of every user pipe with a dataset sink (effective config), skipping missing ones.
 */
async function deleteSinkDatasets(ctx: CommandContext, api: NodeApi): Promise<void> {
  const started = Date.now();
  ctx.log.info('Deleting all sink datasets...');
  const datasets = new Set<string>();
  for (const pipe of (await api.getPipes()).filter(isUserPipe)) {
    const sink = pipe.config.effective.sink;
    if (isJsonObject(sink) && (sink.type === undefined || sink.type === 'dataset') && typeof sink.dataset === 'string')
      datasets.add(sink.dataset);
  }
  let deleted = 0;
  for (const id of datasets) {
    try {
      await api.deleteDataset(id);
      deleted++;
    } catch (err) {
      if (!(isSesamError(err) && err.status === 404)) throw err;
    }
  }
  ctx.log.info(
    `Finished deleting all sink datasets. elapsed_time=${((Date.now() - started) / 1000).toFixed(1)}s. deleted=${deleted}`,
  );
}

function isErrorLevel(c: JsonValue): boolean {
  return isJsonObject(c) && c.level === 'error';
}
