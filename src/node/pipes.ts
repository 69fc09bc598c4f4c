// Which pipes are the user's: sesam-py ignores system pipes and the transient `:singlenode` copies some nodes list.
import { isJsonObject } from '../format/json.js';
import type { PipeInfo } from './types.js';

const SYSTEM_ORIGINS = new Set(['system', 'search', 'replica', 'aggregator-storage-node']);

export function pipeOrigin(pipe: PipeInfo): string {
  const metadata = pipe.config.original.metadata;
  const origin = isJsonObject(metadata) ? metadata.origin : undefined;
  return typeof origin === 'string' ? origin : 'user';
}

export function isUserPipe(pipe: PipeInfo): boolean {
  return !SYSTEM_ORIGINS.has(pipeOrigin(pipe)) && !pipe._id.includes(':singlenode');
}

export function isDeploying(pipe: PipeInfo): boolean {
  return pipe.runtime.state === 'Deploying';
}
