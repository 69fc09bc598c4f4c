// The snapshot step shared by download, update and restore: record the project files as a snapshot commit unless
// --no-snapshot, and say what happened. A failure names what was already done, so nobody repeats the command.
import { describeError, gitError, isSesamError, SesamError } from '../errors.js';
import type { NodeApi } from '../node/types.js';
import type { CommandContext } from './context.js';

export interface SnapshotStepResult {
  commit?: string;
  reason?: string;
}

export async function recordSnapshotStep(
  ctx: CommandContext,
  api: Pick<NodeApi, 'label' | 'baseUrl'>,
  step: {
    command: 'download' | 'update' | 'restore';
    done: string;
    restoredFrom?: string;
    files?: Map<string, Uint8Array>;
  },
): Promise<SnapshotStepResult | undefined> {
  if (ctx.options.noSnapshot) return undefined;
  const { recordSnapshot } = await import('../snapshots/record.js');
  let result: SnapshotStepResult & { branch?: string };
  try {
    result = await recordSnapshot({
      projectDir: ctx.cwd,
      command: step.command,
      nodeLabel: api.label,
      nodeUrl: api.baseUrl,
      profile: ctx.options.profile,
      log: ctx.log,
      env: ctx.env,
      restoredFrom: step.restoredFrom,
      files: step.files,
    });
  } catch (err) {
    const message = `${step.done}, but recording the snapshot failed: ${describeError(err)}`;
    const hint = 'use --no-snapshot to skip snapshots';
    throw isSesamError(err)
      ? new SesamError(err.kind, message, { reason: err.reason, hint: err.hint ?? hint, cause: err })
      : gitError(message, { hint, cause: err });
  }
  if (result.commit) ctx.log.info(`Recorded snapshot ${result.commit.slice(0, 12)} on ${result.branch}`);
  else if (result.reason) ctx.log.debug(`No snapshot recorded: ${result.reason}`);
  return result;
}
