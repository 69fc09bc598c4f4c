// `sesam convert` (offline here; sesam-py needed a node): turn conditional sources whose alternative for the
// profile is `embedded` into `http_endpoint` receivers, moving the entities to testdata/<pipe _id>.json.
// Rewritten pipes and test data are in portal format; other files stay byte-identical. All changes are applied
// together or not at all.
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject, type JsonValue } from '../format/json.js';
import { formatJson } from '../format/portal.js';
import { applyFileChanges, readJsonFile } from '../workspace/files.js';
import { isFile, listFiles } from '../workspace/project.js';
import type { CommandContext } from './context.js';
import { dumpLocalConfig } from './dump.js';

export interface Conversion {
  pipe: string;
  file: string;
  testdata: string;
  entities: number;
}

export async function convert(ctx: CommandContext): Promise<number> {
  const root = ctx.cwd;
  const profile = ctx.options.profile;
  ctx.log.info('Starting converting conditional embedded sources');
  if (ctx.options.dump) {
    ctx.log.info('Dumping config for backup');
    const dumped = dumpLocalConfig(ctx);
    ctx.log.info(`Dumped local config to '${dumped.file}'`);
  }

  const changes = new Map<string, string>();
  const conversions: Conversion[] = [];
  const testdataOwner = new Map<string, string>();
  for (const file of listFiles(root, 'pipes', { recursive: true, match: (n) => n.endsWith('.conf.json') })) {
    const pipe = readJsonFile(join(root, file), file);
    const converted = convertPipe(pipe, profile);
    if (!converted) continue;
    const id = isJsonObject(pipe) ? pipe._id : undefined;
    if (typeof id !== 'string' || id === '') throw inputError(`${file}: the pipe has no string "_id"`, { file });
    if (/[\\/]/.test(id) || id === '.' || id === '..') {
      throw inputError(`${file}: pipe _id '${id}' cannot name a testdata file`, { file });
    }
    const testdata = `testdata/${id}.json`;
    const other = testdataOwner.get(testdata);
    if (other)
      throw inputError(`${file}: pipe _id '${id}' is also the _id in ${other}; both would write ${testdata}`, { file });
    testdataOwner.set(testdata, file);
    if (isFile(join(root, testdata))) ctx.log.warn(`Replacing ${testdata} with the entities embedded in ${file}`);
    changes.set(file, formatJson(pipe));
    changes.set(testdata, formatJson(converted.entities));
    conversions.push({
      pipe: id,
      file,
      testdata,
      entities: Array.isArray(converted.entities) ? converted.entities.length : 1,
    });
    ctx.log.debug(`Converted ${file}: ${testdata}`);
  }
  applyFileChanges(root, changes);

  if (ctx.options.json) {
    ctx.out.json({ ok: true, profile, converted: conversions });
  } else if (conversions.length === 0) {
    ctx.out.line(`No pipe has a conditional source with an embedded '${profile}' alternative: nothing to convert`);
  } else {
    ctx.log.info('Successfully converted pipes and created testdata folder');
    for (const c of conversions)
      ctx.out.line(`${c.file}: ${c.entities} entit${c.entities === 1 ? 'y' : 'ies'} -> ${c.testdata}`);
    ctx.out.line(`Converted ${conversions.length} pipe${conversions.length === 1 ? '' : 's'}`);
  }
  return 0;
}

/**
 * If the pipe's source is conditional with an embedded alternative for `profile`, replace that alternative by
 * {"type": "http_endpoint"} (in place) and return its entities.
 */
export function convertPipe(pipe: JsonValue, profile: string): { entities: JsonValue } | undefined {
  if (!isJsonObject(pipe) || !isJsonObject(pipe.source) || pipe.source.type !== 'conditional') return undefined;
  const alternatives = pipe.source.alternatives;
  if (!isJsonObject(alternatives) || !Object.hasOwn(alternatives, profile)) return undefined;
  const alternative = alternatives[profile];
  if (!isJsonObject(alternative) || alternative.type !== 'embedded') return undefined;
  const entities = alternative.entities ?? [];
  alternatives[profile] = { type: 'http_endpoint' };
  return { entities };
}
