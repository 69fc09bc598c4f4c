// `sesam validate` (offline): check the whole project — JSON syntax, config shape, unique ids and references —
// and print one line per problem. Exit 2 when there is an error; warnings alone exit 0.
import { inConnectorMode } from '../connectors/manifest.js';
import { validateProject, type Problem } from '../workspace/validate.js';
import type { CommandContext } from './context.js';

export async function validate(ctx: CommandContext): Promise<number> {
  // In a connector folder: expand, then the connector checks (src/connectors/mode.ts).
  if (inConnectorMode(ctx.cwd, ctx.options)) return (await import('../connectors/mode.js')).connectorValidate(ctx);
  if (ctx.args.length > 0) ctx.log.warn(`validate takes no arguments; ignoring: ${ctx.args.join(' ')}`);
  const report = validateProject(ctx.cwd, { profile: ctx.options.profile });
  if (ctx.options.json) {
    ctx.out.json({
      ok: report.errors.length === 0,
      errors: report.errors,
      warnings: report.warnings,
      filesChecked: report.filesChecked,
    });
    return report.errors.length > 0 ? 2 : 0;
  }
  const annotate = ctx.env.GITHUB_ACTIONS === 'true' || ctx.options.logformat === 'azure';
  const problems = [
    ...report.errors.map((p) => ({ ...p, severity: 'error' as const })),
    ...report.warnings.map((p) => ({ ...p, severity: 'warning' as const })),
  ].sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
  for (const problem of problems) {
    const text = `${where(problem)}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
    ctx.out.line(problem.severity === 'error' ? ctx.out.colors.red(text) : ctx.out.colors.yellow(text));
    // In CI the logger turns these into file annotations (GitHub ::error, Azure ##vso); elsewhere stdout suffices.
    if (annotate) {
      const location = { file: problem.file, line: problem.line, column: problem.column };
      if (problem.severity === 'error') ctx.log.error(problem.message, location);
      else ctx.log.warn(problem.message, location);
    }
  }
  const files = `${report.filesChecked} file${report.filesChecked === 1 ? '' : 's'}`;
  if (report.errors.length > 0) {
    ctx.log.error(
      `Validation failed: ${count(report.errors.length, 'error')}, ${count(report.warnings.length, 'warning')} in ${files}.`,
    );
    return 2;
  }
  ctx.out.line(
    report.warnings.length > 0
      ? `Validated ${files}: no errors, ${count(report.warnings.length, 'warning')}`
      : `Validated ${files}: no problems found`,
  );
  return 0;
}

function where(problem: Problem): string {
  if (problem.line === undefined) return problem.file;
  return `${problem.file}:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
