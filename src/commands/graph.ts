// `sesam graph [--format mermaid|dot|svg|json] [--at REV] [-o FILE]`: the pipe/dataset dependency graph of the
// config (of the work tree, or of any git revision) as text for READMEs and CI; the web app draws the same model.
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { withStore } from '../snapshots/open.js';
import { projectFilesAt, readProjectFiles, resolveRevision } from '../snapshots/project-files.js';
import { buildGraph } from '../ui/graph/model.js';
import { GRAPH_FORMATS, toDot, toJson, toMermaid, toSvg, type GraphFormat } from '../ui/graph/render.js';
import { writeFileAtomic } from '../workspace/files.js';
import type { CommandContext } from './context.js';

export async function graph(ctx: CommandContext): Promise<void> {
  if (ctx.args.length) throw usageError(`'sesam graph' takes no arguments, but got '${ctx.args.join(' ')}'`);
  const format = (ctx.options.format ?? (ctx.options.json ? 'json' : 'mermaid')).toLowerCase();
  if (!(GRAPH_FORMATS as readonly string[]).includes(format)) {
    throw usageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}, not '${ctx.options.format}'`);
  }
  const { profile, at } = ctx.options;
  const files = at
    ? await withStore(ctx.cwd, ctx.env, async (store) =>
        projectFilesAt(store, await resolveRevision(store, at), ctx.cwd, profile),
      )
    : readProjectFiles(ctx.cwd, profile);
  const model = buildGraph(files, profile);
  if (!model.nodes.length) ctx.log.warn(`No pipes or systems${at ? ` at ${at}` : ''}: the graph is empty.`);

  if (!ctx.options.output && format === 'json') {
    ctx.out.json(toJson(model));
    return;
  }
  const text = render(format as GraphFormat, model);
  if (ctx.options.output) {
    const path = resolve(ctx.cwd, ctx.options.output);
    writeFileAtomic(path, text);
    ctx.log.info(
      `Wrote the graph (${model.nodes.length} nodes, ${model.edges.length} edges) to ${ctx.options.output}.`,
    );
  } else ctx.out.write(text);
}

function render(format: GraphFormat, model: ReturnType<typeof buildGraph>): string {
  if (format === 'dot') return toDot(model);
  if (format === 'svg') return toSvg(model);
  if (format === 'json') return `${JSON.stringify({ schemaVersion: 1, ...toJson(model) }, null, 2)}\n`;
  return toMermaid(model);
}
