// Small shared readers for the online commands.
import { join } from 'node:path';
import { inputError } from '../errors.js';
import { isJsonObject, type JsonObject } from '../format/json.js';
import { readJsonFile } from '../workspace/files.js';
import { isFile, NODE_METADATA_FILE } from '../workspace/project.js';
import { readWhitelist, type Whitelist } from '../workspace/whitelist.js';
import type { CommandContext } from './context.js';

/** The local node-metadata.conf.json, or undefined when there is none. Invalid content is an input error. */
export function readLocalMetadata(projectDir: string): JsonObject | undefined {
  const path = join(projectDir, NODE_METADATA_FILE);
  if (!isFile(path)) return undefined;
  const value = readJsonFile(path, NODE_METADATA_FILE);
  if (!isJsonObject(value))
    throw inputError(`${NODE_METADATA_FILE} must hold a JSON object.`, { file: NODE_METADATA_FILE });
  return value;
}

/** The -whitelist-file, resolved against the project directory, or undefined without the flag. */
export function whitelistOf(ctx: CommandContext): Whitelist | undefined {
  const file = ctx.options.whitelistFile;
  return file ? readWhitelist(join(ctx.cwd, file)) : undefined;
}
