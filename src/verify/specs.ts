// Test specs (`expected/*.test.json`) with sesam-py's defaults and rules, read through ExpectedFiles so that
// `verify --at REV` can read them from git objects as easily as from disk.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject, JsonFloat, type JsonValue } from '../format/json.js';
import { decodeText, parseJsonText } from '../workspace/files.js';
import type { PipeStage } from '../node/types.js';

/** Where the files of `expected/` come from: the work tree, or a git revision. */
export interface ExpectedFiles {
  /** File names directly under expected/ (no sub-folders), any order. */
  list(): string[];
  /** The bytes of expected/<name> (name may contain `/` for a spec's `file` in a sub-folder); undefined if absent. */
  read(name: string): Uint8Array | undefined;
  /** How to name the file to a person, e.g. `expected/x.json` or `expected/x.json@abc123`. */
  describe(name: string): string;
}

export function expectedFilesOnDisk(projectDir: string): ExpectedFiles {
  const dir = join(projectDir, 'expected');
  return {
    list() {
      if (!existsSync(dir)) return [];
      return readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
    },
    read(name) {
      const path = join(dir, name);
      if (!existsSync(path) || !statSync(path).isFile()) return undefined;
      return readFileSync(path);
    },
    describe: (name) => `expected/${name}`,
  };
}

export interface TestSpec {
  /** The spec's file name under expected/, e.g. `foo.test.json`. */
  specName: string;
  /** For messages: `expected/foo.test.json` (or with `@rev`). */
  specFile: string;
  /** The spec's `_id`, if it has one (names the JUnit test case). */
  id?: string;
  pipe: string;
  /** The expected file's name under expected/, e.g. `foo.json`. */
  fileName: string;
  /** For messages: `expected/foo.json` (or with `@rev`). */
  file: string;
  endpoint: string;
  stage?: PipeStage;
  parameters?: Record<string, string>;
  blacklist: string[];
  ignore: boolean;
  ignoreDeletes: boolean;
  fieldsToSortBy: string[];
}

const STAGES: readonly string[] = ['source', 'before-transforms', 'after-transforms', 'sink'];
const SPEC_SUFFIX = '.test.json';

/** Every `*.test.json` directly under expected/, sorted by name (sesam-py: directory order). */
export function loadTestSpecs(files: ExpectedFiles): TestSpec[] {
  return files
    .list()
    .filter((name) => name.endsWith(SPEC_SUFFIX))
    .sort()
    .map((name) => parseTestSpec(name, files));
}

export function parseTestSpec(specName: string, files: ExpectedFiles): TestSpec {
  const specFile = files.describe(specName);
  const bytes = files.read(specName);
  if (bytes === undefined) throw inputError(`Test spec not found: ${specFile}`, { file: specFile });
  const value = parseJsonText(decodeText(bytes, specFile), specFile);
  if (!isJsonObject(value)) {
    throw inputError(`Test spec '${specFile}' not in correct json format`, {
      reason: 'a test spec must be a JSON object',
      file: specFile,
    });
  }
  const bad = (key: string, what: string) =>
    inputError(`Test spec '${specFile}': '${key}' must be ${what}`, { file: specFile });

  // sesam-py's defaults: name = path minus .test.json, file = name + .json, pipe = last segment, endpoint json.
  const base = specName.slice(0, -SPEC_SUFFIX.length);
  const pipe = value.pipe ?? base;
  if (typeof pipe !== 'string') throw bad('pipe', 'a string');
  let fileName = value.file ?? `${base}.json`;
  if (typeof fileName !== 'string') throw bad('file', 'a string');
  // sesam-py prefixes `expected/` unless the name already starts with it.
  if (fileName.startsWith('expected/')) fileName = fileName.slice('expected/'.length);
  // update writes this file: it must stay inside expected/ (sesam-py would write anywhere).
  if (
    fileName === '' ||
    fileName.startsWith('/') ||
    /^[A-Za-z]:/.test(fileName) ||
    fileName.split(/[\\/]/).some((p) => p === '..' || p === '')
  ) {
    throw bad('file', `a file name inside expected/, not '${fileName}'`);
  }
  const endpoint = value.endpoint ?? 'json';
  if (typeof endpoint !== 'string') throw bad('endpoint', 'a string');

  let stage: PipeStage | undefined;
  if (value.stage !== undefined && value.stage !== null) {
    if (typeof value.stage !== 'string' || !STAGES.includes(value.stage)) {
      throw bad('stage', `one of ${STAGES.join(', ')}`);
    }
    stage = value.stage as PipeStage;
  }

  let parameters: Record<string, string> | undefined;
  if (value.parameters !== undefined && value.parameters !== null) {
    if (!isJsonObject(value.parameters)) throw bad('parameters', 'an object of query parameters');
    parameters = {};
    for (const [k, v] of Object.entries(value.parameters)) parameters[k] = queryValue(v);
  }

  // sesam-py ignores a blacklist that is not a list; we say so instead of silently comparing everything.
  let blacklist: string[] = [];
  if (value.blacklist !== undefined && value.blacklist !== null) {
    if (!Array.isArray(value.blacklist) || !value.blacklist.every((p) => typeof p === 'string')) {
      throw bad('blacklist', 'a list of property paths (strings)');
    }
    blacklist = value.blacklist as string[];
  }

  let fieldsToSortBy = ['_id'];
  if (value.fields_to_sort_by !== undefined) {
    const f = value.fields_to_sort_by;
    if (!Array.isArray(f) || !f.every((p) => typeof p === 'string'))
      throw bad('fields_to_sort_by', 'a list of property names');
    fieldsToSortBy = f as string[];
  }

  return {
    specName,
    specFile,
    id: typeof value._id === 'string' ? value._id : undefined,
    pipe,
    fileName,
    file: files.describe(fileName),
    endpoint,
    stage,
    parameters,
    blacklist,
    // Only a literal `true` counts, as in sesam-py (`"true"` or `1` do not).
    ignore: value.ignore === true,
    ignoreDeletes: value.ignore_deletes === undefined ? true : value.ignore_deletes === true,
    fieldsToSortBy,
  };
}

/** A query parameter as Python's requests sends it (str() of the value: True/False for booleans). */
function queryValue(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof JsonFloat) return v.toString();
  throw inputError(`A test spec query parameter must be a string, number or boolean, not ${JSON.stringify(v)}`);
}

/** The spec's name for reports and JUnit: its `_id`, else the spec's file name. */
export function specDisplayId(spec: TestSpec): string {
  return spec.id ?? spec.specName;
}
