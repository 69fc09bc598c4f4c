// `sesam dtl eval [--source JSON] EXPR`, `sesam dtl eval --batch FILE|-` and `sesam dtl transform --batch FILE|-`:
// direct access to the DTL engine. Batch mode reads JSON lines and writes one JSON line per input line, in order;
// a failing line gives {"error": "..."} and does not stop the batch.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  compileDtl,
  DtlConfigError,
  DtlRuntimeError,
  evaluateExpression,
  pipeSettingsFromConfig,
  type DatasetProvider,
} from '../dtl/index.js';
import { inputError, usageError } from '../errors.js';
import {
  isJsonObject,
  JsonSyntaxError,
  parseJson,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '../format/json.js';
import type { CommandContext } from './context.js';

export async function dtl(ctx: CommandContext): Promise<number> {
  const [mode, ...rest] = ctx.args;
  if (mode === 'eval') return ctx.options.batch !== undefined ? batch(ctx, evalLine) : evalOne(ctx, rest);
  if (mode === 'transform') {
    if (ctx.options.batch === undefined) throw usageError("'sesam dtl transform' needs --batch FILE (or - for stdin).");
    return batch(ctx, transformLine);
  }
  throw usageError(mode ? `Unknown dtl mode '${mode}'.` : 'Missing dtl mode.', {
    hint: "Use 'sesam dtl eval EXPR' or 'sesam dtl eval|transform --batch FILE|-'.",
  });
}

async function evalOne(ctx: CommandContext, rest: string[]): Promise<number> {
  if (rest.length !== 1) throw usageError("'sesam dtl eval' takes exactly one expression (quote it), or --batch FILE.");
  const text = rest[0]!;
  // A bare path or word that is not JSON is taken as a string expression ("_S.name").
  let expression: JsonValue;
  try {
    expression = parseJson(text);
  } catch {
    expression = text;
  }
  let source: JsonObject | null = null;
  if (ctx.options.source !== undefined) {
    const parsed = parseOrThrow(ctx.options.source, '--source');
    if (!isJsonObject(parsed)) throw inputError('--source must be a JSON object (the source entity).');
    source = parsed;
  }
  try {
    ctx.out.line(stringifyJson(evaluateExpression(expression, source)));
  } catch (err) {
    if (err instanceof DtlConfigError || err instanceof DtlRuntimeError)
      throw inputError(`DTL expression failed: ${err.message}`);
    throw err;
  }
  return 0;
}

function parseOrThrow(text: string, what: string): JsonValue {
  try {
    return parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw inputError(`${what} is not valid JSON.`, { reason: err.message });
    throw err;
  }
}

type LineHandler = (input: JsonObject) => JsonObject;

async function batch(ctx: CommandContext, handle: LineHandler): Promise<number> {
  const file = ctx.options.batch!;
  let text: string;
  if (file === '-') {
    if (!ctx.stdin) throw usageError('--batch -: no standard input is available.');
    text = await readStream(ctx.stdin);
  } else {
    try {
      text = await readFile(resolve(ctx.cwd, file), 'utf8');
    } catch (err) {
      throw inputError(`Cannot read the batch file '${file}'.`, { reason: (err as Error).message });
    }
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (ctx.signal.aborted) return 130;
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let result: JsonObject;
    try {
      const input = parseJson(line);
      if (!isJsonObject(input)) throw new Error('each line must be a JSON object');
      result = handle(input);
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      result = { error: err.message };
    }
    ctx.out.line(stringifyJson(result));
  }
  return 0;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function optionalObject(input: JsonObject, key: string): JsonObject | null {
  const v = input[key];
  if (v === undefined || v === null) return null;
  if (!isJsonObject(v)) throw new Error(`"${key}" must be an object or null`);
  return v;
}

/** Optional "datasets": {id: [entities]} on a batch line, for hops and lookup-entity. */
function lineDatasets(input: JsonObject): DatasetProvider {
  const raw = optionalObject(input, 'datasets') ?? {};
  const data = new Map<string, JsonObject[]>();
  for (const [id, list] of Object.entries(raw)) {
    if (!Array.isArray(list) || !list.every(isJsonObject))
      throw new Error(`"datasets.${id}" must be a list of entities`);
    data.set(id, list as JsonObject[]);
  }
  return { entities: (id) => data.get(id), version: () => 0 };
}

const evalLine: LineHandler = (input) => {
  if (!Object.hasOwn(input, 'expression')) throw new Error('missing "expression"');
  const pipe = pipeSettingsFromConfig(optionalObject(input, 'pipe'));
  return { value: evaluateExpression(input.expression!, optionalObject(input, 'source'), pipe, lineDatasets(input)) };
};

const transformLine: LineHandler = (input) => {
  const rules = input.rules;
  if (!isJsonObject(rules)) throw new Error('"rules" must be an object of named rules');
  const source = optionalObject(input, 'source');
  if (!source) throw new Error('"source" must be an entity object');
  const idRequired = input.id_required;
  if (idRequired !== undefined && typeof idRequired !== 'boolean')
    throw new Error('"id_required" must be true or false');
  const pipe = pipeSettingsFromConfig(optionalObject(input, 'pipe'));
  const compiled = compileDtl({ type: 'dtl', rules, id_required: idRequired ?? true }, pipe);
  return {
    entities: compiled.transform(source, { datasets: lineDatasets(input), target: optionalObject(input, 'target') }),
  };
};
