// `sesam connector-init` (also spelled `connector_init`, as sesam-py's help does) and `sesam add-datatype`: start a
// connector folder and add datatypes to it, writing what sesam-py writes. Unlike sesam-py, every change is
// all-or-nothing, a missing LICENSE is a warning rather than a crash half-way, and an existing datatype is not
// silently overwritten.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { inputError, usageError } from '../errors.js';
import { isJsonObject, type JsonObject } from '../format/json.js';
import {
  AUTH_SCHEMES,
  type AuthScheme,
  connectorReadme,
  datatypeTemplate,
  initialManifest,
  initialSystemTemplate,
} from '../connectors/scaffold.js';
import { pyJsonDump } from '../connectors/python-text.js';
import { applyFileChanges, readJsonFile } from '../workspace/files.js';
import type { CommandContext } from './context.js';

const SUFFIX = '-connector';

export async function connectorInit(ctx: CommandContext): Promise<void> {
  const given = ctx.options.connectorDir ?? '.';
  const dir = resolve(ctx.cwd, given);
  if (!basename(dir).endsWith(SUFFIX)) {
    throw usageError(
      given === '.'
        ? 'The current directory does not appear to be a valid directory. Please run this command from the root of the connector directory or make sure it follows the naming convention (<name>-connector).'
        : 'The connector directory does not appear to be a valid directory. Please make sure it follows the naming convention (<name>-connector).',
      { reason: `${basename(dir)} does not end in ${SUFFIX}` },
    );
  }
  const auth = (ctx.options.auth ?? 'oauth2') as AuthScheme;
  if (!AUTH_SCHEMES.includes(auth)) {
    throw usageError(`Unknown --auth '${ctx.options.auth}'.`, { hint: `Use one of ${AUTH_SCHEMES.join(', ')}.` });
  }
  if (existsSync(join(dir, 'manifest.json'))) {
    ctx.log.info('manifest.json found, skipping initialization...');
    return;
  }
  ctx.log.info('manifest.json not found, initializing it...');
  if (!existsSync(join(dir, 'templates'))) ctx.log.info('templates directory not found, initializing it...');
  const name = basename(dir).slice(0, basename(dir).indexOf(SUFFIX));
  const changes = new Map<string, string | Uint8Array>([
    ['manifest.json', pyJsonDump(initialManifest(auth))],
    ['templates/system.json', pyJsonDump(initialSystemTemplate(auth))],
    ['README.md', connectorReadme(name)],
  ]);
  // sesam-py copies the LICENSE of the folder the connector lives in (the cwd's parent, or the cwd with -d).
  const license = join(given === '.' ? dirname(dir) : ctx.cwd, 'LICENSE');
  if (existsSync(license)) changes.set('LICENSE', readFileSync(license));
  else ctx.log.warn(`No LICENSE found at ${license}; add one to the connector yourself.`);
  applyFileChanges(dir, changes);
  ctx.out.line(`Initialized the connector '${name}' in ${given === '.' ? 'the current directory' : given}.`);
}

export async function addDatatype(ctx: CommandContext): Promise<void> {
  const names = [...ctx.args, ...(ctx.options.datatype ? [ctx.options.datatype] : [])];
  if (names.length === 0)
    throw usageError('Please provide at least one datatype.', { hint: 'sesam add-datatype NAME' });
  for (const name of names) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) {
      throw usageError(`'${name}' is not a datatype name: use letters, digits, '-' and '_'.`);
    }
  }
  const dir = resolve(ctx.cwd, ctx.options.connectorDir ?? '.');
  const manifest = readObject(dir, 'manifest.json');
  const system = readObject(dir, 'templates/system.json');
  const datatypes = isJsonObject(manifest.datatypes) ? manifest.datatypes : {};
  const operations = isJsonObject(system.operations) ? system.operations : {};
  const changes = new Map<string, string>();
  for (const name of names) {
    if (datatypes[name] !== undefined && !ctx.options.force) {
      throw usageError(`The datatype '${name}' is already in manifest.json.`, {
        hint: 'Pass --force to generate its template again (its manifest entry is replaced).',
      });
    }
    const { template, operations: added } = datatypeTemplate(name, ctx.options.share);
    datatypes[name] = { template: `templates/${name}.json` };
    Object.assign(operations, added);
    changes.set(`templates/${name}.json`, pyJsonDump(template));
  }
  manifest.datatypes = datatypes;
  system.operations = operations;
  changes.set('manifest.json', pyJsonDump(manifest));
  changes.set('templates/system.json', pyJsonDump(system));
  applyFileChanges(dir, changes);
  for (const name of names) ctx.out.line(`Added the datatype '${name}' (templates/${name}.json).`);
}

function readObject(dir: string, rel: string): JsonObject {
  const path = join(dir, rel);
  if (!existsSync(path)) {
    throw inputError(`No ${rel} in ${dir}.`, { hint: "Run 'sesam connector-init' first." });
  }
  const value = readJsonFile(path, rel);
  if (!isJsonObject(value)) throw inputError(`${rel} must hold a JSON object.`, { file: rel });
  return value;
}
