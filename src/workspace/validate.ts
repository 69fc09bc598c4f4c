// Offline project checks (`sesam validate`): every JSON file parses, configs are well-formed, ids are unique and
// every dataset, system and $ENV reference resolves. sesam-py's validate only checks connector projects; this one
// checks any project, so problems surface before an upload to a node.
import {
  type DuplicateKey,
  isJsonObject,
  JsonSyntaxError,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '../format/json.js';
import { isSesamError } from '../errors.js';
import { join, relative, sep } from 'node:path';
import { parseJsonText, readText } from './files.js';
import { isFile, listFiles, NODE_METADATA_FILE, profileEnvPath } from './project.js';

export interface Problem {
  /** POSIX path relative to the project root. */
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface ValidationReport {
  errors: Problem[];
  warnings: Problem[];
  /** How many files were read. */
  filesChecked: number;
}

interface ConfigEntry {
  file: string;
  text: string;
  config: JsonObject;
}

/** `$ENV(name)` anywhere in a config text. */
const ENV_REF = /\$ENV\(([^)]*)\)/g;

export function validateProject(root: string, options: { profile: string }): ValidationReport {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  let filesChecked = 0;

  const at = (text: string | undefined, needle: string | undefined): Pick<Problem, 'line' | 'column'> =>
    text !== undefined && needle !== undefined ? locate(text, needle) : {};
  const error = (file: string, message: string, where: Pick<Problem, 'line' | 'column'> = {}) =>
    errors.push({ file, ...where, message });
  const warn = (file: string, message: string, where: Pick<Problem, 'line' | 'column'> = {}) =>
    warnings.push({ file, ...where, message });

  /** Read and parse one file; a problem is recorded and undefined returned when it cannot be. */
  const load = (file: string): { text: string; value: JsonValue } | undefined => {
    filesChecked++;
    let text: string;
    try {
      text = readText(join(root, file), file);
      const duplicate = (d: DuplicateKey) =>
        warn(file, `Duplicate key '${d.key}' (the last value is used)`, { line: d.line, column: d.column });
      return { text, value: parseJsonText(text, file, duplicate) };
    } catch (err) {
      if (!isSesamError(err)) throw err;
      const what = err.cause instanceof JsonSyntaxError ? 'Invalid JSON' : 'Not UTF-8 text';
      error(file, err.line !== undefined ? `${what}: ${err.reason ?? err.message}` : err.message, {
        line: err.line,
        column: err.column,
      });
      return undefined;
    }
  };

  // Profile env: needed to check $ENV references and to resolve conditional sources.
  const envFile = relative(root, profileEnvPath(root, options.profile)).split(sep).join('/');
  let env: JsonObject | undefined;
  if (isFile(profileEnvPath(root, options.profile))) {
    const loaded = load(envFile);
    if (loaded && !isJsonObject(loaded.value))
      error(envFile, 'The profile file must hold a JSON object of environment variables');
    else if (loaded) env = loaded.value as JsonObject;
  }
  const resolveEnv = (text: string): string | undefined => {
    if (!text.includes('$ENV(')) return text;
    if (!env) return undefined;
    let unresolved = false;
    const out = text.replace(ENV_REF, (_m, name: string) => {
      const value = env![name];
      if (typeof value === 'string') return value;
      if (value === undefined || value === null || typeof value === 'object') {
        unresolved = true;
        return '';
      }
      return String(value);
    });
    return unresolved ? undefined : out;
  };

  // Config files.
  const pipes: ConfigEntry[] = [];
  const systems: ConfigEntry[] = [];
  const configPaths = [
    ...listFiles(root, 'pipes', { recursive: true, match: (n) => n.endsWith('.conf.json') }),
    ...listFiles(root, 'systems', { recursive: true, match: (n) => n.endsWith('.conf.json') }),
    ...(isFile(join(root, NODE_METADATA_FILE)) ? [NODE_METADATA_FILE] : []),
  ];
  const texts = new Map<string, string>();
  for (const file of configPaths) {
    const loaded = load(file);
    if (!loaded) continue;
    texts.set(file, loaded.text);
    const kind = file.startsWith('pipes/') ? 'pipe' : file.startsWith('systems/') ? 'system' : 'metadata';
    const items = Array.isArray(loaded.value) ? loaded.value : [loaded.value];
    if (Array.isArray(loaded.value) && items.length === 0) warn(file, 'The file holds an empty list: no configuration');
    for (const item of items) {
      if (!isJsonObject(item)) {
        error(file, `A configuration must be a JSON object${Array.isArray(loaded.value) ? ' (in the list)' : ''}`);
        continue;
      }
      const id = item._id;
      if (typeof id !== 'string' || id === '') {
        error(file, 'The configuration has no string "_id"', at(loaded.text, '"_id"'));
        continue;
      }
      const type = item.type;
      if (kind === 'pipe' && type !== 'pipe') {
        error(file, `'${id}' is in pipes/ but its "type" is ${describe(type)}, not "pipe"`, at(loaded.text, '"type"'));
        continue;
      }
      if (kind === 'system' && !(typeof type === 'string' && type.startsWith('system:'))) {
        error(
          file,
          `'${id}' is in systems/ but its "type" is ${describe(type)}, not "system:<kind>"`,
          at(loaded.text, '"type"'),
        );
        continue;
      }
      if (kind === 'metadata' && type !== 'metadata') {
        error(file, `The node metadata's "type" is ${describe(type)}, not "metadata"`, at(loaded.text, '"type"'));
        continue;
      }
      if (kind !== 'metadata' && !Array.isArray(loaded.value)) {
        const base = file.slice(file.lastIndexOf('/') + 1, -'.conf.json'.length);
        if (base !== id) {
          warn(
            file,
            `The file name does not match the ${kind}'s _id '${id}' (expected ${kind}s/${id}.conf.json)`,
            at(loaded.text, JSON.stringify(id)),
          );
        }
      }
      if (kind === 'pipe') pipes.push({ file, text: loaded.text, config: item });
      if (kind === 'system') systems.push({ file, text: loaded.text, config: item });
    }
  }

  // Unique ids (pipes and systems are separate namespaces).
  for (const [kind, entries] of [
    ['pipe', pipes],
    ['system', systems],
  ] as const) {
    const first = new Map<string, string>();
    for (const entry of entries) {
      const id = entry.config._id as string;
      const seen = first.get(id);
      if (seen)
        error(entry.file, `Duplicate ${kind} _id '${id}' (also in ${seen})`, at(entry.text, JSON.stringify(id)));
      else first.set(id, entry.file);
    }
  }

  // Datasets the pipes produce (a pipe without a sink writes to the dataset named by its _id).
  const pipeIds = new Set(pipes.map((p) => p.config._id as string));
  const systemIds = new Set(systems.map((s) => s.config._id as string));
  const produced = new Map<string, string>(); // dataset -> pipe
  for (const pipe of pipes) {
    const dataset = sinkDataset(pipe.config);
    if (dataset === undefined) continue;
    const resolved = resolveEnv(dataset);
    if (resolved === undefined) continue;
    const other = produced.get(resolved);
    if (other !== undefined && other !== pipe.config._id) {
      warn(
        pipe.file,
        `Pipe '${pipe.config._id}' writes to dataset '${resolved}', as pipe '${other}' does`,
        at(pipe.text, JSON.stringify(dataset)),
      );
    } else produced.set(resolved, pipe.config._id as string);
  }

  // References from each pipe.
  for (const pipe of pipes) {
    const id = pipe.config._id as string;
    const refs = pipeReferences(pipe.config, (condition) => resolveEnv(condition));
    for (const ref of refs.datasets) {
      const resolved = resolveEnv(ref.dataset);
      if (resolved === undefined || resolved.startsWith('system:') || produced.has(resolved)) continue;
      // A merge/union source with a dataset no pipe writes still runs (ignore_non_existent_datasets).
      (ref.multi ? warn : error)(
        pipe.file,
        `Pipe '${id}': ${ref.what} '${resolved}' is not written by any pipe`,
        at(pipe.text, JSON.stringify(ref.quoted ?? ref.dataset)),
      );
    }
    for (const system of refs.systems) {
      const resolved = resolveEnv(system.id);
      if (resolved === undefined || resolved.startsWith('system:') || systemIds.has(resolved)) continue;
      error(
        pipe.file,
        `Pipe '${id}': ${system.what} '${resolved}' is not defined in systems/`,
        at(pipe.text, JSON.stringify(system.id)),
      );
    }
    for (const problem of refs.problems) warn(pipe.file, `Pipe '${id}': ${problem}`);
  }

  // $ENV references in every config file.
  let unchecked = 0;
  for (const [file, text] of texts) {
    for (const match of text.matchAll(ENV_REF)) {
      const name = match[1]!;
      if (!env) {
        unchecked++;
        continue;
      }
      if (!Object.hasOwn(env, name)) {
        warn(file, `$ENV(${name}) is not defined in ${envFile}`, offsetLocation(text, match.index));
      }
    }
  }
  if (!env && unchecked > 0 && !isFile(profileEnvPath(root, options.profile))) {
    warn(envFile, `Profile file not found: ${unchecked} $ENV(...) reference(s) cannot be checked`);
  }

  // expected/: test specs and expected data (non-recursive, as verify reads it).
  for (const file of listFiles(root, 'expected', { match: (n) => n.endsWith('.json') })) {
    const loaded = load(file);
    if (!loaded || !file.endsWith('.test.json')) continue;
    const spec = loaded.value;
    if (!isJsonObject(spec)) {
      error(file, 'A test spec must hold a JSON object');
      continue;
    }
    const name = file.slice(0, -'.test.json'.length);
    const pipeId = spec.pipe ?? name.slice(name.lastIndexOf('/') + 1);
    if (typeof pipeId !== 'string') {
      error(file, 'The test spec\'s "pipe" must be a string', at(loaded.text, '"pipe"'));
      continue;
    }
    const target = pipes.find((p) => p.config._id === pipeId);
    if (!target) {
      error(
        file,
        `The test spec refers to pipe '${pipeId}', which is not in pipes/`,
        at(loaded.text, JSON.stringify(pipeId)),
      );
      continue;
    }
    if (sinkDataset(target.config) !== undefined && !isEmbeddedSource(target.config)) {
      warn(file, `Pipe '${pipeId}' writes to a dataset: verify only tests output and endpoint pipes`);
    }
    const ignored = spec.ignore === true;
    const rawFile = spec.file ?? `${name.slice(name.lastIndexOf('/') + 1)}.json`;
    if (typeof rawFile !== 'string') {
      error(file, 'The test spec\'s "file" must be a string', at(loaded.text, '"file"'));
      continue;
    }
    const expectedFile = rawFile.startsWith('expected/') ? rawFile : `expected/${rawFile}`;
    if (!ignored && !isFile(join(root, expectedFile))) {
      error(
        file,
        `The test spec refers to '${expectedFile}', which does not exist`,
        at(loaded.text, JSON.stringify(rawFile)),
      );
    }
  }

  // testdata/: JSON entities for pipes of the project.
  for (const file of listFiles(root, 'testdata', {
    recursive: true,
    match: (n) => n.toLowerCase().endsWith('.json'),
  })) {
    const loaded = load(file);
    if (!loaded) continue;
    const name = file.slice(file.lastIndexOf('/') + 1);
    const pipeId = name.slice(0, -'.json'.length);
    if (!pipeIds.has(pipeId)) error(file, `Test data for pipe '${pipeId}', which is not in pipes/`);
    const value = loaded.value;
    if (!(value === null || Array.isArray(value) || isJsonObject(value))) {
      error(file, 'Test data must be a list of entities, one entity object or null');
    }
  }

  return { errors, warnings, filesChecked };
}

/** The dataset a pipe writes to: its dataset sink's `dataset` (default: the pipe's _id), or none. */
export function sinkDataset(pipe: JsonObject): string | undefined {
  const sink = pipe.sink;
  if (sink === undefined) return pipe._id as string;
  if (!isJsonObject(sink)) return undefined;
  if (sink.type !== undefined && sink.type !== 'dataset') return undefined;
  return typeof sink.dataset === 'string' ? sink.dataset : (pipe._id as string);
}

function isEmbeddedSource(pipe: JsonObject): boolean {
  return isJsonObject(pipe.source) && pipe.source.type === 'embedded';
}

interface PipeReferences {
  /** `multi`: listed in a multi-dataset source (merge, union_datasets, merge_datasets). */
  datasets: { dataset: string; what: string; quoted?: string; multi?: boolean }[];
  systems: { id: string; what: string }[];
  problems: string[];
}

/** Datasets and systems a pipe reads from; `resolve` substitutes $ENV in a condition (undefined when unknown). */
export function pipeReferences(
  pipe: JsonObject,
  resolve: (text: string) => string | undefined = (t) => t,
): PipeReferences {
  const out: PipeReferences = { datasets: [], systems: [], problems: [] };
  const addSystem = (config: JsonObject, where: string) => {
    if (typeof config.system === 'string') out.systems.push({ id: config.system, what: `${where} system` });
  };
  const source = (src: JsonValue | undefined, where: string) => {
    if (!isJsonObject(src)) return;
    if (src.type === 'conditional') {
      const alternatives = src.alternatives;
      if (!isJsonObject(alternatives)) return;
      const condition = typeof src.condition === 'string' ? resolve(src.condition) : undefined;
      if (condition === undefined) return; // cannot tell which alternative the node would use
      if (!Object.hasOwn(alternatives, condition)) {
        out.problems.push(`the conditional source has no alternative '${condition}'`);
        return;
      }
      source(alternatives[condition], `${where} (alternative '${condition}')`);
      return;
    }
    addSystem(src, where);
    if (typeof src.dataset === 'string') out.datasets.push({ dataset: src.dataset, what: `${where} dataset` });
    const datasets =
      typeof src.datasets === 'string' ? [src.datasets] : Array.isArray(src.datasets) ? src.datasets : [];
    for (const entry of datasets) {
      if (typeof entry !== 'string') continue;
      const dataset = firstWord(entry);
      if (dataset) out.datasets.push({ dataset, what: `${where} dataset`, quoted: entry, multi: true });
    }
  };
  source(pipe.source, 'source');
  if (isJsonObject(pipe.sink)) addSystem(pipe.sink, 'sink');
  const transforms = Array.isArray(pipe.transform)
    ? pipe.transform
    : pipe.transform === undefined
      ? []
      : [pipe.transform];
  const transform = (t: JsonValue) => {
    if (!isJsonObject(t)) return;
    addSystem(t, 'transform');
    if (isJsonObject(t.rules)) {
      for (const [rule, body] of Object.entries(t.rules)) dtlReferences(body, rule, out);
    }
    // A chained transform runs its own list of transforms.
    if (t.type === 'chained' && Array.isArray(t.transforms)) t.transforms.forEach(transform);
  };
  transforms.forEach(transform);
  return out;
}

/** Walk DTL for hops / apply-hops dataset specs and lookup-entity dataset arguments. */
function dtlReferences(expr: JsonValue, rule: string, out: PipeReferences): void {
  if (!Array.isArray(expr)) return;
  const fn = expr[0];
  const hopSpecs = fn === 'hops' ? expr.slice(1) : fn === 'apply-hops' ? expr.slice(2) : [];
  for (const spec of hopSpecs) {
    if (!isJsonObject(spec)) continue;
    const datasets =
      typeof spec.datasets === 'string' ? [spec.datasets] : Array.isArray(spec.datasets) ? spec.datasets : [];
    for (const entry of datasets) {
      if (typeof entry !== 'string') continue;
      const dataset = firstWord(entry);
      if (dataset) out.datasets.push({ dataset, what: `${fn} dataset (rule '${rule}')`, quoted: entry });
    }
  }
  if (fn === 'lookup-entity' && typeof expr[1] === 'string' && !expr[1].startsWith('_') && !expr[1].startsWith('$')) {
    out.datasets.push({ dataset: expr[1], what: `lookup-entity dataset (rule '${rule}')` });
  }
  for (const item of expr) {
    if (Array.isArray(item)) dtlReferences(item, rule, out);
    else if (isJsonObject(item)) for (const value of Object.values(item)) dtlReferences(value, rule, out);
  }
}

function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0] ?? '';
}

function describe(value: JsonValue | undefined): string {
  return value === undefined ? 'missing' : stringifyJson(value);
}

/** Line and column (1-based) of the first occurrence of needle, if any. */
export function locate(text: string, needle: string): Pick<Problem, 'line' | 'column'> {
  const index = text.indexOf(needle);
  return index < 0 ? {} : offsetLocation(text, index);
}

function offsetLocation(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
