// A connector folder's manifest.json (reference/connectors.md "manifest.json"). A folder holding one is a
// connector: `upload`, `download`, `status` and `validate` then work on its expanded configuration.
import { join, resolve } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject, JsonFloat, type JsonObject, type JsonValue } from '../format/json.js';
import { readJsonFile } from '../workspace/files.js';
import { isFile } from '../workspace/project.js';

export const MANIFEST_FILE = 'manifest.json';
/** The system _id placeholder when --system-placeholder is not given (sesam-py's default). */
export const DEFAULT_SYSTEM_PLACEHOLDER = 'xxxxxx';
export const DEFAULT_EXPANDED_DIR = '.expanded';

export interface DatatypeEntry {
  name: string;
  /** Path of the template, relative to the connector folder, as written in the manifest. */
  template: string;
  /** The template's file name without extension: when it differs from `name` the template is re-used. */
  templateName: string;
  parameters: JsonObject;
  parent?: string;
  entry: JsonObject;
}

export interface ConnectorManifest {
  dir: string;
  value: JsonObject;
  datatypes: DatatypeEntry[];
  systemTemplate?: string;
  additionalParameters: string[];
}

/** The connector folder selected by `-d DIR` (default: the current directory). */
export function connectorDirOf(cwd: string, connectorDir: string | undefined): string {
  return resolve(cwd, connectorDir ?? '.');
}

export function isConnectorDir(dir: string): boolean {
  return isFile(join(dir, MANIFEST_FILE));
}

/** Python truthiness of a JSON value (sesam-py tests manifest flags with `if manifest.get(...)`). */
export function pyTruthy(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0 || value === 0n)
    return false;
  if (value instanceof JsonFloat) return value.value !== 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** The file name of a template path without its extension (Python's splitext(basename(path))[0]). */
export function templateNameOf(template: string): string {
  const base = template.slice(template.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The manifest as a JSON object, nothing more checked: what `authenticate` needs (it works without datatypes). */
export function readManifestObject(dir: string): JsonObject {
  const path = join(dir, MANIFEST_FILE);
  if (!isFile(path)) {
    throw inputError(`No ${MANIFEST_FILE} in ${dir}: it is not a connector folder.`, {
      hint: 'run the command in a connector folder, or name one with -d DIR',
    });
  }
  const value = readJsonFile(path, MANIFEST_FILE);
  if (!isJsonObject(value)) throw inputError(`${MANIFEST_FILE} must hold a JSON object.`, { file: MANIFEST_FILE });
  return value;
}

export function readManifest(dir: string): ConnectorManifest {
  const value = readManifestObject(dir);
  const datatypes = value.datatypes;
  if (!isJsonObject(datatypes)) {
    throw inputError(`${MANIFEST_FILE} has no "datatypes" object.`, {
      file: MANIFEST_FILE,
      reason: 'every connector lists its datatypes as {"name": {"template": "templates/name.json"}}',
    });
  }
  const entries: DatatypeEntry[] = [];
  for (const [name, entry] of Object.entries(datatypes)) {
    const where = `datatype '${name}' in ${MANIFEST_FILE}`;
    if (!isJsonObject(entry)) throw inputError(`The ${where} must be an object.`, { file: MANIFEST_FILE });
    if (typeof entry.template !== 'string')
      throw inputError(`The ${where} has no "template" path.`, { file: MANIFEST_FILE });
    const parameters = entry.parameters ?? {};
    if (!isJsonObject(parameters))
      throw inputError(`The "parameters" of the ${where} must be an object.`, { file: MANIFEST_FILE });
    const parent = entry.parent;
    if (parent !== undefined && typeof parent !== 'string')
      throw inputError(`The "parent" of the ${where} must be a datatype name.`, { file: MANIFEST_FILE });
    entries.push({
      name,
      template: entry.template,
      templateName: templateNameOf(entry.template),
      parameters,
      parent,
      entry,
    });
  }
  const systemTemplate = value['system-template'];
  if (systemTemplate !== undefined && systemTemplate !== null && typeof systemTemplate !== 'string')
    throw inputError(`"system-template" in ${MANIFEST_FILE} must be a path.`, { file: MANIFEST_FILE });
  const additional = value.additional_parameters;
  if (additional !== undefined && !isJsonObject(additional))
    throw inputError(`"additional_parameters" in ${MANIFEST_FILE} must be an object.`, { file: MANIFEST_FILE });
  return {
    dir,
    value,
    datatypes: entries,
    systemTemplate: typeof systemTemplate === 'string' && systemTemplate !== '' ? systemTemplate : undefined,
    additionalParameters: Object.keys(additional ?? {}),
  };
}

/** Connector mode: the folder named by -d (default: the current one) holds manifest.json. */
export function inConnectorMode(cwd: string, options: { connectorDir?: string }): boolean {
  return isConnectorDir(connectorDirOf(cwd, options.connectorDir));
}
