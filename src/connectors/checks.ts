// sesam-py's connector checks (`validate` and `upload` in a connector): no sink dataset in list templates, and in
// the expanded pipes the collect/share conventions of REST connectors. Messages are sesam-py's, verbatim.
import { join } from 'node:path';
import { isSesamError } from '../errors.js';
import { isJsonObject, JsonFloat, type JsonObject, type JsonValue } from '../format/json.js';
import { readJsonFile } from '../workspace/files.js';
import { expandedJsonFiles } from './expand.js';
import type { ConnectorManifest } from './manifest.js';
import { pyTruthy } from './manifest.js';

/** check_template_sink: a pipe in a list template must not name its sink dataset. */
export function checkTemplateSinks(manifest: ConnectorManifest): string[] {
  const problems: string[] = [];
  for (const datatype of manifest.datatypes) {
    const file = datatype.template;
    let template: JsonValue;
    try {
      template = readJsonFile(join(manifest.dir, file), file);
    } catch (err) {
      if (!isSesamError(err)) throw err;
      problems.push(
        `[!] Template ${file} cannot be checked: sesam-py reads templates as plain JSON before rendering. ${err.message}`,
      );
      continue;
    }
    if (!Array.isArray(template)) continue;
    for (const obj of template) {
      if (!isJsonObject(obj) || obj.type !== 'pipe') continue;
      const sink = obj.sink;
      if (isJsonObject(sink) && pyTruthy(sink.dataset)) {
        problems.push(`[!] Sink.dataset should not have a value in ${file}. Please remove the value to continue.`);
      }
    }
  }
  return problems;
}

function load(path: string): JsonValue | undefined {
  try {
    return readJsonFile(path);
  } catch (err) {
    if (isSesamError(err)) return undefined;
    throw err;
  }
}

function transformsOf(config: JsonObject): JsonObject[] {
  const t = config.transform;
  if (Array.isArray(t)) return t.filter(isJsonObject);
  return isJsonObject(t) ? [t] : [];
}

/** Python's `x == 1` for a JSON value (1, 1.0 and true all equal 1). */
function equalsOne(value: JsonValue | undefined): boolean {
  return value === 1 || value === true || (value instanceof JsonFloat && value.value === 1);
}

/** Python's `needle in haystack` for a list or a string. */
function pyContains(haystack: JsonValue | undefined, needle: JsonValue): boolean {
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (Array.isArray(haystack)) return haystack.some((v) => v === needle);
  if (isJsonObject(haystack)) return typeof needle === 'string' && needle in haystack;
  return false;
}

/** The checks sesam-py runs over the expanded systems/ and pipes/ folders. */
export function checkExpandedConfig(expandedDir: string): string[] {
  const problems: string[] = [];
  for (const file of expandedJsonFiles(expandedDir, 'systems')) {
    if (load(join(expandedDir, 'systems', file)) === undefined)
      problems.push(`Config file '/systems/${file}' is not valid json`);
  }
  const pipeFiles = expandedJsonFiles(expandedDir, 'pipes');
  const datatypeOf = (file: string) => file.split('-')[1] ?? '';
  const shared = new Set(pipeFiles.filter((f) => f.includes('share')).map(datatypeOf));
  for (const file of pipeFiles) {
    const config = load(join(expandedDir, 'pipes', file));
    if (config === undefined) {
      problems.push(`Config file '/pipes/${file}' is not valid json`);
      continue;
    }
    if (!isJsonObject(config)) continue;
    const where = `Config file '/pipes/${file}'`;
    const description = config.description;
    if (
      (typeof description === 'string' && description.includes('WARNING')) ||
      (Array.isArray(description) && description.includes('WARNING'))
    )
      problems.push(`${where} has a WARNING in the description.`);
    const transforms = transformsOf(config);
    if (file.includes('collect') && shared.has(datatypeOf(file))) {
      if (!transforms.some((t) => t.template === 'transform-collect-rest'))
        problems.push(`${where} has a corresponding share pipe but is missing the 'transform-collect-rest' transform`);
    }
    if (file.includes('collect') && Array.isArray(config.transform)) {
      for (const t of transforms) {
        if (t.template !== 'transform-collect-rest') continue;
        const properties = t.properties;
        const shareDataset = isJsonObject(properties) ? properties.share_dataset : undefined;
        if (!('exclude_completeness' in config)) problems.push(`${where} is missing 'exclude_completeness' property`);
        else if (!pyTruthy(properties)) problems.push(`${where} is missing 'properties' property`);
        else if (!pyTruthy(shareDataset)) problems.push(`${where} is missing 'share_dataset' property in 'properties'`);
        else if (!pyContains(config.exclude_completeness, shareDataset!))
          problems.push(`${where} is missing '${String(shareDataset)}' in 'exclude_completeness'`);
      }
    }
    if (file.includes('share')) {
      for (const t of transforms) {
        if (t.template === 'transform-share-rest' && !equalsOne(config.batch_size))
          problems.push(`Config file '${file}' is missing 'batch_size' property with value: 1`);
      }
    }
  }
  return problems;
}
