// `sesam login` and `sesam init`.
// login: ask for the node URL, email and password (or take --node/--jwt), get a JWT from POST /api/jwt and store
// both in .syncconfig (mode 0600, listed in .gitignore). The JWT is never printed.
// init: without credentials and at a terminal it is the first-run login; with credentials it does sesam-py's
// job (§5.7): give input pipes a conditional source with an embedded `test` alternative, optionally filled with up
// to 10 entities from the node's datasets (-add-test-entities, -force-add).
import { sourceType } from '../local-node/sources/index.js';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLocalNode, normalizeJwt, normalizeNodeUrl, resolveSettings } from '../config/settings.js';
import { describeError, isSesamError, usageError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';
import { formatJson } from '../format/portal.js';
import { requestJwt } from '../node/login.js';
import type { NodeApi } from '../node/types.js';
import { applyFileChanges, readJsonFile } from '../workspace/files.js';
import { listFiles } from '../workspace/project.js';
import { withNode } from './connect.js';
import type { CommandContext } from './context.js';

export async function login(ctx: CommandContext): Promise<void> {
  await loginFlow(ctx);
}

export async function init(ctx: CommandContext): Promise<void> {
  if (!hasCredentials(ctx)) {
    if (!ctx.prompt.interactive) {
      throw usageError('No node and JWT configured, and no terminal to ask for them.', {
        hint: "give --node URL and --jwt TOKEN, set NODE and JWT, or run 'sesam login' in a terminal",
      });
    }
    ctx.log.info('No node and JWT configured yet; logging in.');
    await loginFlow(ctx);
    const hasPipes = listFiles(ctx.cwd, 'pipes', { match: (n) => n.endsWith('.conf.json') }).length > 0;
    if (!hasPipes || ctx.options.json) return;
    if (!(await ctx.prompt.confirm('Add conditional test sources to the input pipes now?', true))) return;
  }
  await addConditionalSources(ctx);
}

function hasCredentials(ctx: CommandContext): boolean {
  try {
    resolveSettings(ctx);
    return true;
  } catch (err) {
    if (isSesamError(err) && err.kind === 'usage') return false;
    throw err;
  }
}

// ---- login ----

async function loginFlow(ctx: CommandContext): Promise<void> {
  const { options, env, prompt } = ctx;
  let node = options.node || env.NODE;
  let jwt = options.jwt ? normalizeJwt(options.jwt) : undefined;
  if (!jwt && !prompt.interactive) {
    throw usageError("'sesam login' asks for your email and password, and there is no terminal to ask on.", {
      hint: 'in scripts and CI give --node URL and --jwt TOKEN (or set NODE and JWT) instead',
    });
  }
  if (!node) node = await prompt.ask('Node URL (e.g. datahub-1a2b3c.sesam.cloud)', { flag: '--node URL' });
  if (!node.trim()) throw usageError('No node URL given.', { hint: 'type the URL, or give --node URL' });
  const nodeUrl = normalizeNodeUrl(node);
  if (isLocalNode(nodeUrl))
    throw usageError("The embedded node needs no login: use '--node local' or put node=local in .syncconfig.");
  if (!jwt) {
    ctx.log.info('Log in with your Sesam email and password, or leave the email empty to paste a JWT instead.');
    const email = (await prompt.ask('Email', { flag: '--jwt TOKEN' })).trim();
    if (email) {
      const password = await prompt.ask('Password', { secret: true, flag: '--jwt TOKEN' });
      ctx.log.redact(password);
      if (!password) throw usageError('Email and password are both needed to log in.');
      jwt = await requestJwt({ nodeUrl, email, password, log: ctx.log, signal: ctx.signal });
    } else {
      const pasted = await prompt.ask('JWT', { secret: true, flag: '--jwt TOKEN' });
      ctx.log.redact(pasted);
      if (!pasted.trim()) throw usageError('No JWT given.', { hint: 'paste the JWT, or give --jwt TOKEN' });
      jwt = normalizeJwt(pasted);
    }
  }
  ctx.log.redact(jwt);
  const path = join(ctx.cwd, '.syncconfig');
  writePrivateFile(path, `node='${nodeUrl}'\nJWT='${jwt}'\n`);
  const ignored = ensureGitignored(ctx.cwd, '.syncconfig');
  ctx.log.info(
    `Stored the node URL and JWT in ${path} (readable only by you)${ignored ? '; added .syncconfig to .gitignore' : ''}.`,
  );
  if (ctx.options.json) ctx.out.json({ ok: true, node: nodeUrl, syncConfig: path });
  else ctx.out.line(`Logged in to ${nodeUrl}; credentials stored in .syncconfig.`);
}

/** Write a file only its owner can read, atomically (the temp file is created 0600 before any secret is in it). */
function writePrivateFile(path: string, text: string): void {
  const temp = `${path}.${randomBytes(6).toString('hex')}.sesam-tmp`;
  try {
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** Add `name` to <dir>/.gitignore unless a line already names it; true when the file was changed. */
function ensureGitignored(dir: string, name: string): boolean {
  const path = join(dir, '.gitignore');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.includes(name) || lines.includes(`/${name}`)) return false;
  appendFileSync(path, `${text && !text.endsWith('\n') ? '\n' : ''}${name}\n`);
  return true;
}

// ---- init: conditional test sources ----

interface InitCounts {
  addedSources: number;
  addedEntities: number;
  modifiedSources: number;
}

async function addConditionalSources(ctx: CommandContext): Promise<void> {
  const counts: InitCounts = { addedSources: 0, addedEntities: 0, modifiedSources: 0 };
  const run = async (api?: NodeApi) => {
    const changes = new Map<string, string>();
    ctx.log.info('Adding conditional sources to input pipes...');
    for (const path of listFiles(ctx.cwd, 'pipes', { match: (n) => n.endsWith('.conf.json') })) {
      const pipe = readJsonFile(join(ctx.cwd, path), path);
      if (!isJsonObject(pipe)) {
        ctx.log.warn(`${path} does not hold one pipe object; skipped.`);
        continue;
      }
      if (await addTestSource(ctx, api, pipe, path, counts)) changes.set(path, formatJson(pipe));
    }
    applyFileChanges(ctx.cwd, changes);
  };
  if (ctx.options.addTestEntities) await withNode(ctx, {}, (api) => run(api));
  else await run();

  const lines: string[] = [];
  lines.push(
    counts.addedSources > 0
      ? `Successfully added test sources to ${counts.addedSources} pipes.`
      : 'All input pipes already have conditional sources with test alternatives. No test sources were added.',
  );
  if (counts.modifiedSources > 0) {
    lines.push(
      `Successfully added a total of ${counts.addedEntities} test entities to ${counts.modifiedSources} pipes.`,
    );
  } else if (ctx.options.addTestEntities) {
    lines.push('No test entities were added.');
  }
  if (ctx.options.json) ctx.out.json({ ok: true, ...counts });
  else for (const l of lines) ctx.out.line(l);
}

/** Change `pipe` in place; true when it changed. */
async function addTestSource(
  ctx: CommandContext,
  api: NodeApi | undefined,
  pipe: JsonObject,
  path: string,
  counts: InitCounts,
): Promise<boolean> {
  const id = typeof pipe._id === 'string' ? pipe._id : path;
  const source = pipe.source;
  if (!isJsonObject(source) || typeof source.type !== 'string') {
    ctx.log.warn(`Pipe '${id}' (${path}) has no source type; skipped.`);
    return false;
  }
  let changed = false;
  if (source.type === 'conditional') {
    if (!isJsonObject(source.alternatives)) {
      ctx.log.warn(`Pipe '${id}' (${path}) has a conditional source without alternatives; skipped.`);
      return false;
    }
    const alternatives = source.alternatives;
    if (!('test' in alternatives)) {
      ctx.log.debug(`Adding test alternative to pipe ${id}`);
      alternatives.test = { type: 'embedded', entities: [] };
      counts.addedSources++;
      changed = true;
    }
    if (api) {
      const test = alternatives.test;
      if (!isJsonObject(test) || test.type !== 'embedded') {
        ctx.log.info(`Pipe ${id} has a test alternative that is not embedded; its test entities are left alone.`);
      } else if (!Array.isArray(test.entities) || test.entities.length === 0 || ctx.options.forceAdd) {
        if (await fillTestEntities(ctx, api, id, test, counts)) changed = true;
      } else {
        ctx.log.info(
          `Pipe ${id} already has test entities. Re-run with '-force-add' if you want to overwrite these entities.`,
        );
      }
    }
    return changed;
  }
  // Sources that read node datasets (or are already embedded) get no test alternative (the type registry says).
  if (sourceType(source.type)?.testAlternative === false) return false;
  ctx.log.debug(`Adding conditional source to pipe ${id}`);
  const test: JsonObject = { type: 'embedded', entities: [] };
  pipe.source = { type: 'conditional', alternatives: { prod: source, test }, condition: '$ENV(node-env)' };
  counts.addedSources++;
  if (api) await fillTestEntities(ctx, api, id, test, counts);
  return true;
}

/** Up to 10 current entities of the pipe's sink dataset on the node; true when any were added. */
async function fillTestEntities(
  ctx: CommandContext,
  api: NodeApi,
  id: string,
  test: JsonObject,
  counts: InitCounts,
): Promise<boolean> {
  ctx.log.info(`Adding test entities to pipe '${id}'`);
  const nodePipe = await api.getPipe(id);
  if (!nodePipe) {
    ctx.log.warn(`Configuration for '${id}' was not found on the node. Continuing without adding any test entities.`);
    return false;
  }
  const sink = nodePipe.config.effective.sink;
  const dataset = isJsonObject(sink) && typeof sink.dataset === 'string' ? sink.dataset : id;
  let entities: JsonValue[] = [];
  try {
    if ((await api.getDataset(dataset)) === null) throw new Error(`dataset '${dataset}' does not exist on the node`);
    entities = (await api.getDatasetEntities(dataset, { history: 'False', deleted: 'False', limit: '10' })).slice(
      0,
      10,
    );
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    ctx.log.warn(`Unable to get entities from '${id}' due to an exception:\n${describeError(err)}`);
  }
  if (entities.length === 0) {
    ctx.log.info(`No input entities were found for '${id}', so test entities will not be updated.`);
    return false;
  }
  test.entities = entities;
  counts.addedEntities += entities.length;
  counts.modifiedSources++;
  return true;
}
