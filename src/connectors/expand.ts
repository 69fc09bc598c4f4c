// `sesam expand` (connectorpy.expand_connector_config / expand_connector): render the system template, then for
// each datatype its template's components and the generated transform pipe, and write them with the profile env
// and node metadata into the expanded folder, byte for byte as sesam-py writes them.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { describeError, inputError } from '../errors.js';
import { compareCodePoints, isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';
import type { Logger } from '../log.js';
import { readJsonFile } from '../workspace/files.js';
import { isFile } from '../workspace/project.js';
import { pyJsonDump, pyRepr } from './python-text.js';
import type { ConnectorManifest } from './manifest.js';
import { pyTruthy } from './manifest.js';
import { inlineTemplate, renderComponents, TemplateFolder, type TemplateProps } from './render.js';
import { SHIM_TEMPLATE, SHIM_TEMPLATE_NAME } from './shim.js';

export const NODE_METADATA: JsonObject = { _id: 'node', type: 'metadata', task_manager: { disable_user_pipes: true } };

export const WEBHOOK_PERMISSIONS: JsonValue = [['allow', ['group:Anonymous'], ['write_data']]];

export function reusedTemplateComment(templateName: string): string {
  return (
    `WARNING! This pipe is generated from the template of the '${templateName}' datatype and changes will be ` +
    'silently ignored during collapse. For more information see the connectorpy README.'
  );
}

/** Every component the connector expands to, in sesam-py's order (later ones win on equal `_id`). */
export function expandConnectorConfig(manifest: ConnectorManifest, systemPlaceholder: string): JsonObject[] {
  const folder = new TemplateFolder(manifest.dir);
  const shim = inlineTemplate(SHIM_TEMPLATE_NAME, SHIM_TEMPLATE);
  const output: JsonObject[] = [];
  // One dict for the whole run, as in sesam-py: a datatype's parameters stay visible to the datatypes after it.
  const subst: TemplateProps = { system: systemPlaceholder };
  for (const key of manifest.additionalParameters) subst[key] = `$ENV(${key})`;

  if (manifest.systemTemplate) {
    output.push(...renderComponents(folder.get(manifest.systemTemplate), subst, 'the system template'));
  }
  for (const datatype of manifest.datatypes) {
    const template = folder.get(datatype.template);
    Object.assign(subst, datatype.parameters);
    const props: TemplateProps = { ...subst, datatype: datatype.name };
    if (datatype.parent !== undefined) props.parent = datatype.parent;
    const components = renderComponents(template, props, `datatype '${datatype.name}'`);
    if (datatype.templateName !== datatype.name) {
      for (const component of components) component.comment = reusedTemplateComment(datatype.templateName);
    }
    output.push(...components);
    output.push(
      ...renderComponents(shim, { system: systemPlaceholder, datatype: datatype.name }, `datatype '${datatype.name}'`),
    );
  }
  return output;
}

export interface ExpandOptions {
  manifest: ConnectorManifest;
  /** Absolute path of the folder to (re)create. */
  expandedDir: string;
  profile: string;
  systemPlaceholder: string;
  log: Logger;
}

export interface ExpandResult {
  expandedDir: string;
  /** POSIX path relative to the expanded folder -> file text, in the order written. */
  files: Map<string, string>;
  pipes: number;
  systems: number;
}

/** The files of the expanded folder, without touching the disk. */
export function expandedFiles(options: Omit<ExpandOptions, 'expandedDir'>): Omit<ExpandResult, 'expandedDir'> {
  const { manifest, profile, systemPlaceholder, log } = options;
  const components = expandConnectorConfig(manifest, systemPlaceholder);
  const files = new Map<string, string>();
  files.set('node-metadata.conf.json', pyJsonDump(NODE_METADATA));
  const profileFile = `${profile}-env.json`;
  const profilePath = join(manifest.dir, profileFile);
  let env: JsonValue;
  if (isFile(profilePath)) env = readJsonFile(profilePath, profileFile);
  else {
    env = { 'node-env': 'test' };
    for (const key of manifest.additionalParameters) env[key] = '';
  }
  const inExpanded = normalize(profileFile);
  if (isAbsolute(inExpanded) || inExpanded === '..' || inExpanded.startsWith(`..${sep}`))
    throw inputError(`The profile file ${profileFile} would be written outside the expanded folder.`, {
      hint: 'choose a -profile name inside the connector folder',
    });
  files.set(profileFile, pyJsonDump(env));

  const useWebhookSecret = pyTruthy(manifest.value.use_webhook_secret);
  const pipes = new Set<string>();
  const systems = new Set<string>();
  for (const component of components) {
    const type = component.type;
    if (typeof type !== 'string') throw componentError(component, 'has no "type"');
    if (type !== 'pipe' && !type.startsWith('system:')) continue;
    const id = componentId(component);
    if (type === 'pipe') {
      const source = component.source;
      if (!isJsonObject(source)) throw componentError(component, 'is a pipe without a "source" object');
      if (source.type === 'http_endpoint' && id.endsWith('event') && useWebhookSecret) {
        if (pyTruthy(component.permissions)) {
          log.warn(
            `Permissions are already set for endpoint pipe '${id}'. They will be overwritten with: ${pyRepr(WEBHOOK_PERMISSIONS)}`,
          );
        }
        component.permissions = WEBHOOK_PERMISSIONS;
      }
      files.set(`pipes/${id}.conf.json`, pyJsonDump(component));
      pipes.add(id);
    } else {
      files.set(`systems/${id}.conf.json`, pyJsonDump(component));
      systems.add(id);
    }
  }
  return { files, pipes: pipes.size, systems: systems.size };
}

/** The .json file names in `systems` or `pipes` of an expanded folder, in code-point order ([] when missing). */
export function expandedJsonFiles(expandedDir: string, folder: 'systems' | 'pipes'): string[] {
  const dir = join(expandedDir, folder);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json') && statSync(join(dir, n)).isFile()).sort(compareCodePoints);
}

function componentId(component: JsonObject): string {
  const id = component._id;
  if (typeof id !== 'string' || id === '') throw componentError(component, 'has no "_id"');
  if (id.includes('/') || id.includes('\\') || id === '.' || id === '..')
    throw componentError(component, 'has an "_id" that cannot be a file name');
  return id;
}

function componentError(component: JsonObject, problem: string) {
  const id = typeof component._id === 'string' ? `'${component._id}'` : 'without _id';
  return inputError(`A rendered component (${id}) ${problem}.`, {
    reason: 'every pipe and system a template renders needs a string _id, a "type" and, for pipes, a "source"',
  });
}

/** Expand into `expandedDir`, replacing it whole (a new folder is moved in place, so a failure leaves the old). */
export function expandConnector(options: ExpandOptions): ExpandResult {
  const expandedDir = resolve(options.expandedDir);
  guardExpandedDir(options.manifest, expandedDir);
  const result = expandedFiles(options);
  replaceFolder(expandedDir, result.files);
  return { expandedDir, ...result };
}

/** The expanded folder is deleted first: refuse one that holds the connector itself or any of its templates. */
function guardExpandedDir(manifest: ConnectorManifest, expandedDir: string): void {
  const inside = (path: string) => {
    const rel = relative(expandedDir, resolve(path));
    return rel === '' || !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
  };
  const templates = [manifest.systemTemplate, ...manifest.datatypes.map((d) => d.template)].filter(
    (t): t is string => t !== undefined,
  );
  const clash = [manifest.dir, ...templates.map((t) => join(manifest.dir, t))].find(inside);
  if (clash !== undefined) {
    throw inputError(`Refusing to expand into ${expandedDir}: it is replaced whole and holds ${clash}.`, {
      hint: 'choose another folder with -e DIR (default .expanded)',
    });
  }
  if (existsSync(expandedDir) && !statSync(expandedDir).isDirectory())
    throw inputError(`Cannot expand into ${expandedDir}: it is a file.`);
}

function replaceFolder(target: string, files: Map<string, string>): void {
  const parent = dirname(target);
  const tag = randomBytes(6).toString('hex');
  const staged = join(parent, `.${basename(target)}.${tag}.sesam-tmp`);
  const old = join(parent, `.${basename(target)}.${tag}.sesam-old`);
  try {
    mkdirSync(join(staged, 'pipes'), { recursive: true });
    mkdirSync(join(staged, 'systems'), { recursive: true });
    for (const [path, text] of files) {
      mkdirSync(dirname(join(staged, path)), { recursive: true });
      writeFileSync(join(staged, path), text);
    }
    if (existsSync(target)) renameSync(target, old);
    renameSync(staged, target);
  } catch (err) {
    rmSync(staged, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw inputError(`Cannot write the expanded configuration to ${target}.`, { reason: describeError(err) });
  }
  rmSync(old, { recursive: true, force: true });
}
