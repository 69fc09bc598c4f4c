// Collapse (connectorpy.collapse_connector, run at the end of a connector `download`): turn the expanded pipes and
// systems back into templates/<datatype>.json and templates/system.json by text replacement, and rewrite the
// manifest, exactly as sesam-py does — so that expanding again gives the same files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { compareCodePoints, isJsonObject, type JsonObject, type JsonValue } from '../format/json.js';
import type { Logger } from '../log.js';
import { applyFileChanges, readJsonFile } from '../workspace/files.js';
import { isFile } from '../workspace/project.js';
import { expandedJsonFiles } from './expand.js';
import { MANIFEST_FILE, templateNameOf } from './manifest.js';
import { pyJsonDump, pyRepr } from './python-text.js';

export interface CollapseOptions {
  connectorDir: string;
  /** Absolute path of the expanded folder. */
  expandedDir: string;
  systemPlaceholder: string;
  log: Logger;
}

export interface CollapseResult {
  /** Paths relative to the connector folder whose content changed. */
  changed: string[];
}

/** Python's str.replace (an empty needle inserts the replacement around every character). */
export function pyReplace(text: string, needle: string, replacement: string): string {
  if (needle === '') return replacement + [...text].join(replacement) + (text === '' ? '' : replacement);
  return text.split(needle).join(replacement);
}

const ENV_REFERENCE = /\$ENV\(\w+\)/g;

function objectAt(value: JsonValue | undefined): JsonObject {
  return isJsonObject(value) ? value : {};
}

export function collapseConnector(options: CollapseOptions): CollapseResult {
  const { connectorDir, expandedDir, systemPlaceholder: placeholder, log } = options;
  const templates = new Map<string, JsonObject[]>();
  const add = (name: string, component: JsonValue, file: string) => {
    if (!isJsonObject(component)) throw inputError(`${file} does not hold a config object.`, { file });
    const list = templates.get(name) ?? [];
    list.push(component);
    templates.set(name, list);
  };
  for (const name of expandedJsonFiles(expandedDir, 'systems')) {
    add('system', readJsonFile(join(expandedDir, 'systems', name), `systems/${name}`), `systems/${name}`);
  }
  for (const name of expandedJsonFiles(expandedDir, 'pipes')) {
    const dash = name.indexOf('-');
    if (dash === -1) {
      log.warn(`Skipping pipes/${name} in the collapse: its name has no '-<datatype>-' part.`);
      continue;
    }
    const rest = name.slice(dash + 1);
    const last = rest.lastIndexOf('-');
    const datatype = last === -1 ? rest : rest.slice(0, last);
    if (name.endsWith('-transform.json')) continue;
    const pipe = readJsonFile(join(expandedDir, 'pipes', name), `pipes/${name}`);
    // The generated per-datatype transform pipe is not part of any template.
    if (isJsonObject(pipe) && pipe._id === `${placeholder}-${datatype}-transform`) continue;
    add(datatype, pipe, `pipes/${name}`);
  }

  const manifestPath = join(connectorDir, MANIFEST_FILE);
  const existing = isFile(manifestPath) ? objectAt(readJsonFile(manifestPath, MANIFEST_FILE)) : {};
  const existingDatatypes = objectAt(existing.datatypes);
  const parents = new Map<string, string>();
  const reused = new Set<string>();
  for (const [datatype, entry] of Object.entries(existingDatatypes)) {
    const e = objectAt(entry);
    if ('parent' in e) parents.set(datatype, String(e.parent));
    if (typeof e.template !== 'string')
      throw inputError(`The datatype '${datatype}' in ${MANIFEST_FILE} has no "template" path.`, {
        file: MANIFEST_FILE,
      });
    if (templateNameOf(e.template) !== datatype) reused.add(datatype);
  }

  const changes = new Map<string, string>();
  const envParameters = new Set<string>();
  for (const [templateName, unsorted] of templates) {
    const components = [...unsorted].sort((a, b) => compareCodePoints(String(a._id), String(b._id)));
    if (reused.has(templateName)) continue;
    const parameters = objectAt(objectAt(existingDatatypes[templateName]).parameters);
    for (const [name, value] of Object.entries(parameters)) {
      if (typeof value !== 'string') {
        throw inputError(
          `Cannot collapse datatype '${templateName}': its parameter '${name}' is not a string (${pyRepr(value)}).`,
          { file: MANIFEST_FILE, reason: 'collapse finds parameter values by text; sesam-py fails here as well' },
        );
      }
    }
    for (const component of components) {
      const source = component.source;
      if (
        component.type === 'pipe' &&
        isJsonObject(source) &&
        source.type === 'http_endpoint' &&
        typeof component._id === 'string' &&
        component._id.endsWith('event')
      )
        delete component.permissions;
    }
    const everything = pyRepr(components);
    const unused = Object.values(parameters)
      .map(String)
      .filter((value) => !everything.includes(value))
      .map((value) => value.toUpperCase());
    if (unused.length > 0) {
      const warning = `WARNING! There is no use for template parameter(s) ${pyRepr(unused)} in template: ${templateName.toUpperCase()}`;
      const first = components[0]!;
      first.description = typeof first.description === 'string' ? first.description + warning : warning;
      log.error(warning);
    }
    let fixed = pyJsonDump(components.length > 1 ? components : components[0]!);
    fixed = pyReplace(fixed, placeholder, '{{@ system @}}');
    const envs = fixed.match(ENV_REFERENCE) ?? [];
    for (const [name, value] of Object.entries(parameters)) fixed = pyReplace(fixed, String(value), `{{@ ${name} @}}`);
    for (const env of envs) {
      const variable = env.replace('$ENV(', '{{@ ').replace(')', ' @}}');
      envParameters.add(variable.replace('{{@ ', '').replace(' @}}', ''));
      fixed = pyReplace(fixed, env, variable);
    }
    if (templateName !== 'system') fixed = pyReplace(fixed, templateName, '{{@ datatype @}}');
    const parent = parents.get(templateName);
    if (parent !== undefined) fixed = pyReplace(fixed, parent, '{{@ parent @}}');
    changes.set(`templates/${templateName}.json`, fixed);
  }

  const existingAdditional = objectAt(existing.additional_parameters);
  const additional: JsonObject = {};
  for (const key of envParameters) additional[key] = existingAdditional[key] ?? {};
  const datatypes: JsonObject = {};
  for (const datatype of [...templates.keys(), ...reused]) {
    if (datatype === 'system') continue;
    datatypes[datatype] = { template: `templates/${datatype}.json`, ...objectAt(existingDatatypes[datatype]) };
  }
  const manifest = {
    ...existing,
    additional_parameters: additional,
    'system-template': 'templates/system.json',
    datatypes,
  };
  changes.set(MANIFEST_FILE, pyJsonDump(manifest));

  const changed = [...changes].filter(([path, text]) => !sameText(join(connectorDir, path), text)).map(([p]) => p);
  applyFileChanges(connectorDir, new Map(changed.map((p) => [p, changes.get(p)!])));
  return { changed: changed.sort() };
}

function sameText(path: string, text: string): boolean {
  if (!isFile(path)) return false;
  try {
    return readFileText(path) === text;
  } catch {
    return false;
  }
}

function readFileText(path: string): string {
  return readFileSync(path, 'utf8');
}
