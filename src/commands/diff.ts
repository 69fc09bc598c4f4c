// `sesam diff <a> [<b>]`: per pipe/system the changed JSON paths, per expected/testdata file the entities added,
// removed and changed by `_id`. <a>/<b> are snapshots or any git revision; without <b> the work tree.
import { differencesFound, usageError } from '../errors.js';
import { versionAt, versionJson, versionName, workTreeVersion } from '../snapshots/describe.js';
import { withStore } from '../snapshots/open.js';
import { diffProjects, diffToJson, isEmptyDiff, renderDiff, summaryLine } from '../snapshots/project-diff.js';
import type { CommandContext } from './context.js';

export async function diff(ctx: CommandContext): Promise<void> {
  const [a, b, ...extra] = ctx.args;
  if (!a) throw usageError('diff needs a revision: sesam diff A [B] (without B: against the work tree)');
  if (extra.length) throw usageError(`diff takes at most two revisions; unexpected '${extra[0]}'`);
  const profile = ctx.options.profile;
  const result = await withStore(ctx.cwd, ctx.env, async (store) => {
    const before = await versionAt(store, a, ctx.cwd, profile);
    const after = b ? await versionAt(store, b, ctx.cwd, profile) : workTreeVersion(ctx.cwd, profile);
    return { before, after, diff: diffProjects(before.files, after.files) };
  });
  if (ctx.options.json) {
    ctx.out.json({ from: versionJson(result.before), to: versionJson(result.after), ...diffToJson(result.diff) });
  } else {
    ctx.out.line(`${versionName(result.before)} → ${versionName(result.after)}: ${summaryLine(result.diff)}`);
    for (const line of renderDiff(result.diff, ctx.log.verbosity >= 1 ? Infinity : 10)) ctx.out.line(line);
    if (result.diff.formattingOnly.length) {
      ctx.log.debug(`Formatting differs only: ${result.diff.formattingOnly.join(', ')}`);
    }
  }
  // Like `git diff --exit-code` and `status --exit-code`: opt-in exit 1 when anything differs.
  if (ctx.options.exitCode && !isEmptyDiff(result.diff)) throw differencesFound(`${summaryLine(result.diff)}`);
}
