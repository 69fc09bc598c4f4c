// `sesam verify`: compare what the node's output and endpoint pipes produce with expected/ (sesam-py §6), and
// report it by entity and path. verifyProject does the work without printing or failing, for test and bisect.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { differencesFound, isSesamError, SesamError, usageError } from '../errors.js';
import type { JsonValue } from '../format/json.js';
import type { NodeApi, PipeInfo } from '../node/types.js';
import { checkBytes, checkParsedEntities, checkXml, parseExpectedEntities, type Verdict } from '../verify/check.js';
import { invalidConfigReason, testablePipes } from '../verify/pipes.js';
import { formatVerifyText, summaryLine, verifyJson, verifyJunitXml } from '../verify/report.js';
import { tally, verifyPassed, type SpecResult, type VerifyResult } from '../verify/result.js';
import {
  expectedFilesOnDisk,
  loadTestSpecs,
  specDisplayId,
  type ExpectedFiles,
  type TestSpec,
} from '../verify/specs.js';
import type { Settings } from '../config/settings.js';
import { progressOf } from '../progress.js';
import { renderHtmlReport } from '../report/html.js';
import {
  LAST_RESULTS_FILE,
  redactText,
  resultsDocument,
  writeLastResults,
  type PipeFailure,
} from '../report/last-results.js';
import { readWhitelist } from '../workspace/whitelist.js';
import { writeFileAtomic } from '../workspace/files.js';
import type { CommandContext } from './context.js';

export async function verify(ctx: CommandContext): Promise<void> {
  let files: ExpectedFiles = expectedFilesOnDisk(ctx.cwd);
  if (ctx.options.at) {
    const { expectedFilesAt } = await import('../snapshots/expected-at.js');
    files = await expectedFilesAt(ctx.cwd, ctx.options.at, { env: ctx.env });
  }
  const { connectNode } = await import('./connect.js');
  const api = await fromNode(ctx, 'connecting to the node', () => connectNode(ctx));
  ctx.log.info('Verifying that expected output matches current output...');
  let result: VerifyResult;
  try {
    result = await verifyProject(ctx, api, files);
  } finally {
    await api.close();
  }
  reportVerifyResult(ctx, api, result);
  if (!verifyPassed(result)) throw differencesFound(summaryLine(result));
}

export interface ResultExtras {
  /** What the command's --json document adds (test: runs, seconds). */
  extra?: { runs?: number; seconds?: number };
  pipeFailures?: PipeFailure[];
}

/** Record a verify/test result for later readers (.sesam/last-results.json, --html-report FILE), then print it. */
export function reportVerifyResult(
  ctx: CommandContext,
  node: { settings: Settings },
  result: VerifyResult,
  report: ResultExtras = {},
): void {
  recordVerifyResult(ctx, node, result, report);
  printVerifyResult(ctx, result, report.extra);
}

/** Write .sesam/last-results.json and, with --html-report FILE, the HTML report. Never writes the JWT. */
export function recordVerifyResult(
  ctx: CommandContext,
  node: { settings: Settings },
  result: VerifyResult,
  report: ResultExtras = {},
): void {
  const doc = resultsDocument(result, {
    command: ctx.command,
    nodeUrl: node.settings.nodeUrl,
    extra: report.extra,
    pipeFailures: report.pipeFailures,
  });
  const secrets = [node.settings.jwt, ctx.options.jwt, ctx.env.JWT];
  try {
    writeLastResults(node.settings.projectDir, doc, secrets);
  } catch (err) {
    ctx.log.warn(`Could not write ${LAST_RESULTS_FILE}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (ctx.options.htmlReport) {
    const html = redactText(renderHtmlReport(doc), secrets);
    writeFileAtomic(resolve(ctx.cwd, ctx.options.htmlReport), html);
  }
}

/** Print a result: the report on stdout (or the --json document), annotations on stderr, --junit-xml. */
export function printVerifyResult(
  ctx: CommandContext,
  result: VerifyResult,
  extra: Record<string, unknown> = {},
): void {
  const gitRoot = findGitRoot(ctx.cwd);
  for (const spec of result.specs) {
    if (spec.status !== 'failed') continue;
    // Azure/GitHub annotations want a path from the repository root.
    const file = gitRoot ? relative(gitRoot, join(ctx.cwd, spec.path)).split('\\').join('/') : spec.path;
    ctx.log.error(`Pipe verify failed: ${spec.pipe} (${spec.specFile}): ${spec.summary ?? ''}`, { file });
  }
  for (const pipe of result.missing) ctx.log.error(`No tests references pipe '${pipe}'`);
  if (ctx.options.junitXml) writeFileAtomic(resolve(ctx.cwd, ctx.options.junitXml), verifyJunitXml(result));
  if (ctx.options.json) ctx.out.json({ ok: verifyPassed(result), ...extra, ...verifyJson(result) });
  else ctx.out.write(formatVerifyText(result, { verbose: ctx.log.verbosity >= 1, colors: ctx.out.colors }));
}

function findGitRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The pipe filter of -whitelist-file and -single, shared with update. */
export function pipeSelection(ctx: CommandContext): (pipeId: string) => boolean {
  const whitelist = ctx.options.whitelistFile ? readWhitelist(resolve(ctx.cwd, ctx.options.whitelistFile)) : undefined;
  const single = ctx.options.single;
  return (id) => (!whitelist || whitelist.allowsPipe(id)) && (single === undefined || id === single);
}

/** With --bisect-exit-codes, a node failure while collecting outputs means "could not test" (exit 125). */
export async function fromNode<T>(ctx: CommandContext, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (ctx.options.bisectExitCodes && isSesamError(err) && err.kind === 'node') {
      throw new SesamError('untestable', `Could not test: ${what} failed`, { reason: err.message, cause: err });
    }
    throw err;
  }
}

/**
 * Fetches each pipe output once, however many specs read it, and forgets it after the last of them (outputs can
 * be large); enables a disabled pump before reading its publisher.
 */
export class OutputCache {
  private entities = new Map<string, Promise<JsonValue[]>>();
  private published = new Map<string, Promise<Uint8Array>>();
  private pumps = new Map<string, Promise<void>>();
  private uses = new Map<string, number>();
  constructor(
    private readonly ctx: CommandContext,
    private readonly api: NodeApi,
    specs: readonly TestSpec[] = [],
  ) {
    for (const spec of specs) {
      const key = this.entitiesKey(spec);
      this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
    }
  }

  private entitiesKey(spec: TestSpec): string {
    return `${spec.pipe}\u0000${spec.stage ?? ''}`;
  }

  pipeEntities(spec: TestSpec): Promise<JsonValue[]> {
    const key = this.entitiesKey(spec);
    const left = (this.uses.get(key) ?? 0) - 1;
    this.uses.set(key, left);
    let p = this.entities.get(key);
    if (left <= 0) this.entities.delete(key);
    if (!p) {
      const stage = spec.stage ? ` (stage ${spec.stage})` : '';
      p = fromNode(this.ctx, `reading the entities of pipe '${spec.pipe}'${stage}`, () =>
        this.api.getPipeEntities(spec.pipe, spec.stage ? { stage: spec.stage } : undefined),
      );
      if (left > 0) this.entities.set(key, p);
    }
    return p;
  }

  publishedData(spec: TestSpec): Promise<Uint8Array> {
    const endpoint = spec.endpoint === 'xml' ? 'xml' : spec.endpoint;
    const key = `${spec.pipe}\u0000${endpoint}\u0000${JSON.stringify(spec.parameters ?? {})}`;
    let p = this.published.get(key);
    if (!p) {
      p = this.enablePump(spec.pipe).then(() =>
        fromNode(this.ctx, `reading the ${endpoint} publisher of pipe '${spec.pipe}'`, () =>
          this.api.getPublished(spec.pipe, endpoint, spec.parameters),
        ),
      );
      this.published.set(key, p);
    }
    return p;
  }

  private enablePump(pipe: string): Promise<void> {
    let p = this.pumps.get(pipe);
    if (!p) {
      p = fromNode(this.ctx, `enabling the pump of pipe '${pipe}'`, async () => {
        const pump = await this.api.getPump(pipe);
        const runtime = pump.runtime as Record<string, unknown> | undefined;
        if (pump.is_disabled === true || runtime?.['is-disabled'] === true) {
          this.ctx.log.debug(`Enabling the pump of pipe '${pipe}' so its publisher answers.`);
          await this.api.pumpOperation(pipe, 'enable');
        }
      });
      this.pumps.set(pipe, p);
    }
    return p;
  }
}

export async function verifyProject(ctx: CommandContext, api: NodeApi, files: ExpectedFiles): Promise<VerifyResult> {
  const selected = pipeSelection(ctx);
  const pipes = await fromNode(ctx, 'listing the pipes', () => api.getPipes());
  const testable = new Map<string, PipeInfo>(testablePipes(pipes).map((p) => [p._id, p]));
  const specs = loadTestSpecs(files).filter((spec) => {
    if (selected(spec.pipe)) return true;
    ctx.log.debug(`Skipping test spec ${spec.specFile}: pipe '${spec.pipe}' is not selected (whitelist/-single).`);
    return false;
  });
  const single = ctx.options.single;
  if (single !== undefined && !testable.has(single) && specs.length === 0) {
    throw usageError(`--single ${single}: no output or endpoint pipe and no test spec has that id.`);
  }
  // sesam-py: no (selected) specs is a warning and a success, and then no pipe counts as missing a test. A pipe
  // named with -single that has no spec is reported as missing, though.
  if (specs.length === 0 && single === undefined) return tally([], [], ['Found no tests (*.test.json) to run']);

  const outputs = new OutputCache(
    ctx,
    api,
    specs.filter((s) => !s.ignore && (s.endpoint === 'json' || s.endpoint === 'excel')),
  );
  const warnings: string[] = [];
  const results: SpecResult[] = [];
  const progress = progressOf(ctx).start('Verifying', specs.length);
  try {
    for (const spec of specs) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      progress.update(results.length, spec.pipe);
      const base: Omit<SpecResult, 'status'> = {
        id: specDisplayId(spec),
        pipe: spec.pipe,
        specFile: spec.specFile,
        file: spec.file,
        path: `expected/${spec.fileName}`,
        endpoint: spec.endpoint,
      };
      if (spec.ignore) {
        if (files.read(spec.fileName) !== undefined) {
          warnings.push(`pipe '${spec.pipe}' is ignored, but output file '${spec.file}' still exists`);
        }
        results.push({ ...base, status: 'ignored' });
        continue;
      }
      const verdict = await judge(ctx, spec, files, testable, pipes, outputs);
      results.push({ ...base, ...verdict });
      ctx.log.debug(`${verdict.status === 'passed' ? 'Passed' : 'Failed'}: ${spec.specFile}`);
    }
  } finally {
    progress.stop();
  }

  for (const pipe of testable.values()) {
    const invalid = invalidConfigReason(pipe);
    if (invalid !== undefined && selected(pipe._id))
      warnings.push(`The pipe '${pipe._id}' has invalid config, cannot verify pipe: ${invalid}`);
  }
  const tested = new Set(specs.map((s) => s.pipe));
  const missing = [...testable.keys()].filter(
    (id) => selected(id) && !tested.has(id) && invalidConfigReason(testable.get(id)!) === undefined,
  );
  return tally(results, missing, warnings);
}

async function judge(
  ctx: CommandContext,
  spec: TestSpec,
  files: ExpectedFiles,
  testable: Map<string, PipeInfo>,
  pipes: PipeInfo[],
  outputs: OutputCache,
): Promise<Verdict> {
  const problem = (message: string): Verdict => ({
    status: 'failed',
    summary: message,
    diff: { kind: 'problem', message },
  });
  const pipe = testable.get(spec.pipe);
  if (!pipe) {
    const other = pipes.find((p) => p._id === spec.pipe);
    return problem(
      other
        ? `Test spec references pipe '${spec.pipe}', which is not an output or endpoint pipe`
        : `Test spec references a non-existing output pipe '${spec.pipe}'`,
    );
  }
  const invalid = invalidConfigReason(pipe);
  if (invalid !== undefined)
    return problem(`The pipe '${spec.pipe}' has invalid config, cannot verify pipe: ${invalid}`);
  let expected = files.read(spec.fileName);
  if (expected === undefined) return problem(`Test spec references non-existing 'expected' output file '${spec.file}'`);

  if (spec.endpoint === 'json' || spec.endpoint === 'excel') {
    const actual = await outputs.pipeEntities(spec);
    const expectedEntities = parseExpectedEntities(spec, expected);
    expected = undefined; // entity files can be large: the bytes need not outlive the parse
    return checkParsedEntities(spec, expectedEntities, actual, { noLargeIntBugs: ctx.options.noLargeIntBugs });
  }
  const actual = await outputs.publishedData(spec);
  return spec.endpoint === 'xml' ? checkXml(spec, expected, actual) : checkBytes(spec, expected, actual);
}
