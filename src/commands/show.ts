// `sesam show <ref>`: one snapshot (or any commit): its metadata and what it changed against its parent.
import { usageError } from '../errors.js';
import { parentVersion, versionAt } from '../snapshots/describe.js';
import { withStore } from '../snapshots/open.js';
import { diffProjects, diffToJson, renderDiff, summaryLine } from '../snapshots/project-diff.js';
import type { CommandContext } from './context.js';

export async function show(ctx: CommandContext): Promise<void> {
  const [rev, ...extra] = ctx.args;
  if (!rev) throw usageError('show needs a snapshot or revision: sesam show REF');
  if (extra.length) throw usageError(`show takes one revision; unexpected '${extra[0]}'`);
  await withStore(ctx.cwd, ctx.env, async (store) => {
    const version = await versionAt(store, rev, ctx.cwd, ctx.options.profile);
    const info = version.commit!;
    const parent = await parentVersion(store, info, ctx.cwd, ctx.options.profile);
    const diff = diffProjects(parent.files, version.files);
    const snapshot = info.trailers['Sesam-Snapshot'] !== undefined;
    if (ctx.options.json) {
      ctx.out.json({
        commit: info.commit,
        parents: info.parents,
        snapshot,
        date: info.committer.date.toISOString(),
        author: { name: info.author.name, email: info.author.email, date: info.author.date.toISOString() },
        command: info.trailers['Sesam-Command'] ?? null,
        node: info.trailers['Sesam-Node'] ?? null,
        subject: info.subject,
        message: info.message,
        trailers: info.trailers,
        files: version.files.size,
        changes: diffToJson(diff),
      });
      return;
    }
    const c = ctx.out.colors;
    ctx.out.line(c.yellow(`${snapshot ? 'snapshot' : 'commit'} ${info.commit}`));
    ctx.out.line(`Author: ${info.author.name} <${info.author.email}>`);
    ctx.out.line(`Date:   ${info.committer.date.toISOString()}`);
    ctx.out.line('');
    ctx.out.line(`    ${info.subject}`);
    ctx.out.line('');
    for (const [key, value] of Object.entries(info.trailers)) ctx.out.line(`    ${key}: ${value}`);
    if (Object.keys(info.trailers).length) ctx.out.line('');
    const against = info.parents[0] ? `parent ${info.parents[0].slice(0, 7)}` : 'nothing (first commit)';
    ctx.out.line(`Changes against ${against}: ${summaryLine(diff)}`);
    for (const line of renderDiff(diff, ctx.log.verbosity >= 1 ? Infinity : 10)) ctx.out.line(line);
  });
}
