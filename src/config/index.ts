// Configuration resolution: .syncconfig, env and flags into one Settings.
export { resolveSettings, nodeLabel, normalizeNodeUrl, normalizeJwt, isLocalNode, type Settings } from './settings.js';
export { findSyncConfig, parseSyncConfig, type SyncConfig, type SyncConfigSearch } from './syncconfig.js';
export { findProjectRoot } from './project-root.js';
