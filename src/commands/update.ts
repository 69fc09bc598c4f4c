// `sesam update`: write what the node produces into expected/, in sesam-py's formats (§6.8), as one
// all-or-nothing change; then record a snapshot of the project.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputError, nodeError } from '../errors.js';
import { formatExpected } from '../format/expected.js';
import type { NodeApi, PipeInfo } from '../node/types.js';
import { prepareForUpdate } from '../verify/compare.js';
import { testablePipes } from '../verify/pipes.js';
import {
  expectedFilesOnDisk,
  loadTestSpecs,
  parseTestSpec,
  type ExpectedFiles,
  type TestSpec,
} from '../verify/specs.js';
import { prettyXmlBytes, XmlSyntaxError } from '../verify/xml.js';
import { applyFileChanges } from '../workspace/files.js';
import type { CommandContext } from './context.js';
import { recordSnapshotStep } from './snapshot-step.js';
import { OutputCache, pipeSelection } from './verify.js';

export interface UpdatePlan {
  /** Project-relative POSIX paths → new content, or null to delete; only real changes. */
  changes: Map<string, Uint8Array | null>;
  /** Specs whose expected file was (re)written, changed or not: sesam-py's "<n> tests updated". */
  updated: number;
  created: string[];
  changed: string[];
  removed: string[];
}

const NEW_SPEC = '{\n}'; // sesam-py writes exactly this, without a final newline
const PLACEHOLDER = '[]\n';

export async function update(ctx: CommandContext): Promise<void> {
  const { connectNode } = await import('./connect.js');
  const api = await connectNode(ctx);
  try {
    ctx.log.info('Updating expected output from current output...');
    const plan = await planUpdate(ctx, api);
    applyFileChanges(ctx.cwd, plan.changes);
    const snapshot = await recordSnapshotStep(ctx, api, { command: 'update', done: 'Updated the expected files' });
    if (ctx.options.json) {
      ctx.out.json({
        ok: true,
        updated: plan.updated,
        created: plan.created,
        changed: plan.changed,
        removed: plan.removed,
        snapshot: snapshot?.commit ?? null,
      });
      return;
    }
    for (const path of plan.created) ctx.out.line(`created ${path}`);
    for (const path of plan.changed) ctx.out.line(`updated ${path}`);
    for (const path of plan.removed) ctx.out.line(`removed ${path}`);
    const untouched = plan.created.length + plan.changed.length + plan.removed.length === 0 ? ' (no file changed)' : '';
    ctx.out.line(`${plan.updated} tests updated${untouched}`);
  } finally {
    await api.close();
  }
}

/** Everything update would write, computed without touching the disk. */
export async function planUpdate(ctx: CommandContext, api: NodeApi): Promise<UpdatePlan> {
  const files = expectedFilesOnDisk(ctx.cwd);
  const selected = pipeSelection(ctx);
  const testable = new Map<string, PipeInfo>(testablePipes(await api.getPipes()).map((p) => [p._id, p]));
  const writes = new Map<string, Uint8Array | null>();
  const text = (s: string) => new TextEncoder().encode(s);

  const specs: TestSpec[] = [];
  for (const spec of loadTestSpecs(files)) {
    if (!selected(spec.pipe)) {
      ctx.log.debug(`Skipping test spec ${spec.specFile}: pipe '${spec.pipe}' is not selected (whitelist/-single).`);
      continue;
    }
    if (!testable.has(spec.pipe)) {
      if (spec.ignore) {
        ctx.log.warn(
          `Test spec '${spec.specFile}' references a non-existing output pipe '${spec.pipe}' but is marked as 'ignore' - consider removing '${spec.specFile}'`,
        );
      } else {
        ctx.log.warn(
          `Test spec '${spec.specFile}' references a non-existing output pipe '${spec.pipe}' - removing '${spec.specFile}'`,
        );
        writes.set(`expected/${spec.specName}`, null);
      }
      continue;
    }
    if (!spec.ignore && files.read(spec.fileName) === undefined) {
      ctx.log.info(`Creating empty 'expected' output file '${spec.file}'...`);
      writes.set(`expected/${spec.fileName}`, text(PLACEHOLDER));
    }
    specs.push(spec);
  }

  // Every selected output/endpoint pipe without a spec gets `expected/<pipe>.test.json` = `{\n}`.
  const covered = new Set(specs.map((s) => s.pipe));
  for (const id of testable.keys()) {
    if (!selected(id) || covered.has(id)) continue;
    ctx.log.warn(`Found no spec for pipe ${id} - creating empty spec file`);
    const specName = `${id}.test.json`;
    writes.set(`expected/${specName}`, text(NEW_SPEC));
    specs.push(parseTestSpec(specName, withFile(files, specName, text(NEW_SPEC))));
  }
  if (specs.length === 0) {
    throw inputError('Found no tests (*.test.json) to update', {
      reason: 'the node has no output or endpoint pipes that are selected',
    });
  }

  const outputs = new OutputCache(
    ctx,
    api,
    specs.filter((s) => !s.ignore && (s.endpoint === 'json' || s.endpoint === 'excel')),
  );
  let updated = 0;
  for (const spec of specs) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const path = `expected/${spec.fileName}`;
    if (spec.ignore) {
      if (files.read(spec.fileName) !== undefined) writes.set(path, null);
      continue;
    }
    writes.set(path, await expectedContent(ctx, spec, outputs));
    updated++;
  }
  return { ...onlyRealChanges(ctx.cwd, writes), updated };
}

async function expectedContent(ctx: CommandContext, spec: TestSpec, outputs: OutputCache): Promise<Uint8Array> {
  if (spec.endpoint === 'json' || spec.endpoint === 'excel') {
    const entities = prepareForUpdate(await outputs.pipeEntities(spec), {
      blacklist: spec.blacklist,
      ignoreDeletes: spec.ignoreDeletes,
      noLargeIntBugs: ctx.options.noLargeIntBugs,
      fieldsToSortBy: spec.fieldsToSortBy,
      unicodeEncoding: ctx.options.unicodeEncoding,
    });
    const body = formatExpected(entities, {
      unicodeEncoding: ctx.options.unicodeEncoding,
      disableJsonHtmlEscape: ctx.options.disableJsonHtmlEscape,
    });
    return new TextEncoder().encode(body);
  }
  const data = await outputs.publishedData(spec);
  if (spec.endpoint !== 'xml') return data;
  try {
    return prettyXmlBytes(data);
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    throw nodeError(`The xml output of pipe '${spec.pipe}' is not well-formed XML, so ${spec.file} was not updated`, {
      reason: err.message,
    });
  }
}

/** An ExpectedFiles that also sees one file not yet on disk (a spec update is about to create). */
function withFile(files: ExpectedFiles, name: string, data: Uint8Array): ExpectedFiles {
  return {
    list: () => [...files.list(), name],
    read: (n) => (n === name ? data : files.read(n)),
    describe: files.describe,
  };
}

function onlyRealChanges(root: string, writes: Map<string, Uint8Array | null>): Omit<UpdatePlan, 'updated'> {
  const changes = new Map<string, Uint8Array | null>();
  const created: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, data] of writes) {
    const full = join(root, path);
    const exists = existsSync(full);
    if (data === null) {
      if (!exists) continue;
      removed.push(path);
    } else if (!exists) created.push(path);
    else if (Buffer.compare(readFileSync(full), Buffer.from(data)) === 0) continue;
    else changed.push(path);
    changes.set(path, data);
  }
  return { changes, created: created.sort(), changed: changed.sort(), removed: removed.sort() };
}
