// Connector mode: when the folder named by -d (default: the current one) holds manifest.json, `upload`,
// `download`, `status` and `validate` work on the connector's expanded configuration, as sesam-py does:
// upload = expand, check, upload the expanded folder, authenticate (unless --skip-auth); download = download
// into the expanded folder, then collapse it back into templates; status compares the expanded folder;
// validate = expand, then sesam-py's connector checks plus our project checks.
import { existsSync, mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { inputError } from '../errors.js';
import type { CommandContext } from '../commands/context.js';
import { withNode } from '../commands/connect.js';
import { downloadConfig, type DownloadResult } from '../commands/download.js';
import { recordSnapshotStep } from '../commands/snapshot-step.js';
import { uploadProjectDetailed, type UploadSummary } from '../commands/upload.js';
import { validateProject, type Problem } from '../workspace/validate.js';
import { checkExpandedConfig, checkTemplateSinks } from './checks.js';
import { collapseConnector } from './collapse.js';
import { expandConnector } from './expand.js';
import { connectorDirOf, isConnectorDir, readManifest, type ConnectorManifest } from './manifest.js';
import { runAuthenticationStep } from './upload-auth-step.js';

/** True when the command should run in connector mode (-d DIR, default '.', holds manifest.json). */
export function inConnector(ctx: CommandContext): boolean {
  return isConnectorDir(connectorDirOf(ctx.cwd, ctx.options.connectorDir));
}

function expandedDirOf(ctx: CommandContext, manifest: ConnectorManifest): string {
  return resolve(manifest.dir, ctx.options.expandedDir);
}

/** A context whose project folder is the expanded one (the node connection stays with the original context). */
function inExpanded(ctx: CommandContext, expandedDir: string): CommandContext {
  return { ...ctx, cwd: expandedDir };
}

function expand(ctx: CommandContext, manifest: ConnectorManifest): string {
  const { options } = ctx;
  return expandConnector({
    manifest,
    expandedDir: expandedDirOf(ctx, manifest),
    profile: options.profile,
    systemPlaceholder: options.systemPlaceholder,
    log: ctx.log,
  }).expandedDir;
}

export interface ConnectorVerdict {
  valid: boolean;
  /** sesam-py's connector checks, its messages. */
  connectorErrors: string[];
  /** Our project checks over the expanded folder. */
  errors: Problem[];
  warnings: Problem[];
}

/**
 * sesam-py's checks plus ours over an expanded connector. Problems in the generated per-datatype transform
 * pipes (which read a collect dataset the templates may not write) are warnings, so that the verdict on every
 * connector sesam-py accepts stays "valid".
 */
export function checkConnector(
  ctx: CommandContext,
  manifest: ConnectorManifest,
  expandedDir: string,
): ConnectorVerdict {
  const { log } = ctx;
  log.info('Validating config files');
  const connectorErrors = [...checkTemplateSinks(manifest), ...checkExpandedConfig(expandedDir)];
  for (const message of connectorErrors) log.error(message);

  const prefix = relative(manifest.dir, expandedDir) || '.';
  const report = validateProject(expandedDir, { profile: ctx.options.profile });
  const generated = new Set(
    manifest.datatypes.map((d) => `pipes/${ctx.options.systemPlaceholder}-${d.name}-transform.conf.json`),
  );
  const located = (p: Problem): Problem => ({ ...p, file: `${prefix}/${p.file}` });
  const errors = report.errors.filter((p) => !generated.has(p.file)).map(located);
  const warnings = [...report.warnings, ...report.errors.filter((p) => generated.has(p.file))].map(located);
  for (const p of warnings) log.warn(`${where(p)}: warning: ${p.message}`, p);
  for (const p of errors) log.error(`${where(p)}: ${p.message}`, p);

  const valid = connectorErrors.length === 0 && errors.length === 0;
  if (valid) log.warn('All config files are valid');
  else log.error('One or more config files are not valid. Check the log for more information');
  return { valid, connectorErrors, errors, warnings };
}

function where(p: Problem): string {
  return p.line === undefined ? p.file : `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
}

function invalid(verdict: ConnectorVerdict) {
  const count = verdict.connectorErrors.length + verdict.errors.length;
  return inputError(`The expanded connector configuration is not valid (${count} problem${count === 1 ? '' : 's'}).`, {
    reason:
      verdict.connectorErrors[0] ??
      (verdict.errors[0] ? `${where(verdict.errors[0])}: ${verdict.errors[0].message}` : undefined),
  });
}

/** `sesam validate` in a connector. Exit 2 when a check fails (sesam-py exits 1). */
export async function connectorValidate(ctx: CommandContext): Promise<number> {
  const manifest = readManifest(connectorDirOf(ctx.cwd, ctx.options.connectorDir));
  const expandedDir = expand(ctx, manifest);
  const verdict = checkConnector(ctx, manifest, expandedDir);
  if (ctx.options.json) {
    ctx.out.json({
      ok: verdict.valid,
      connector: manifest.dir,
      expandedDir,
      connectorErrors: verdict.connectorErrors,
      errors: verdict.errors,
      warnings: verdict.warnings,
    });
  }
  return verdict.valid ? 0 : 2;
}

/** `sesam upload` in a connector: expand, check, upload the expanded folder, then the authentication step. */
export async function connectorUpload(ctx: CommandContext): Promise<UploadSummary> {
  const connectorDir = connectorDirOf(ctx.cwd, ctx.options.connectorDir);
  const manifest = readManifest(connectorDir);
  const expandedDir = expand(ctx, manifest);
  const verdict = checkConnector(ctx, manifest, expandedDir);
  if (!verdict.valid) throw invalid(verdict);
  return withNode(ctx, { allowNonDeveloper: ctx.options.force }, async (api) => {
    const summary = await uploadProjectDetailed(inExpanded(ctx, expandedDir), api);
    if (!ctx.options.skipAuth) {
      await runAuthenticationStep(ctx, api, connectorDir, manifest);
    }
    return summary;
  });
}

export interface ConnectorDownloadResult extends DownloadResult {
  /** Connector files (templates, manifest) the collapse changed. */
  collapsed: string[];
}

/** `sesam download` in a connector: download into the expanded folder, then collapse it into the templates. */
export async function connectorDownload(ctx: CommandContext): Promise<ConnectorDownloadResult> {
  const connectorDir = connectorDirOf(ctx.cwd, ctx.options.connectorDir);
  const manifest = readManifest(connectorDir);
  const expandedDir = expandedDirOf(ctx, manifest);
  if (!existsSync(expandedDir)) {
    ctx.log.warn(`Expanded directory '${ctx.options.expandedDir}' does not exist. creating the directory.`);
    mkdirSync(expandedDir, { recursive: true });
  }
  const local = inExpanded(ctx, expandedDir);
  return withNode(ctx, { allowNonDeveloper: ctx.options.force }, async (api) => {
    const files = await downloadConfig(local, api);
    const { changed } = collapseConnector({
      connectorDir,
      expandedDir,
      systemPlaceholder: ctx.options.systemPlaceholder,
      log: ctx.log,
    });
    if (changed.length) ctx.log.info(`Collapsed the downloaded config into ${changed.join(', ')}`);
    else ctx.log.info('Collapsed the downloaded config: the templates and manifest are unchanged');
    const snapshot = await recordSnapshotStep(local, api, { command: 'download', done: 'Replaced local config' });
    return { ...files, snapshot, collapsed: changed };
  });
}

/** `sesam status` in a connector compares the expanded folder: the context to compare with. */
export function connectorStatusContext(ctx: CommandContext): CommandContext {
  const manifest = readManifest(connectorDirOf(ctx.cwd, ctx.options.connectorDir));
  const expandedDir = expandedDirOf(ctx, manifest);
  if (!existsSync(expandedDir)) {
    throw inputError('expanded directory not found. Please upload the configs first or check the input args.', {
      reason: `${expandedDir} does not exist`,
      hint: "'sesam expand' or 'sesam upload' creates it",
    });
  }
  return inExpanded(ctx, expandedDir);
}
