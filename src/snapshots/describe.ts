// Resolving what a command argument names — a snapshot, any git revision, or the work tree — to project files.
import { readProjectFiles, projectFilesAt, resolveRevision } from './project-files.js';
import { shortOid } from './refs.js';
import type { SnapshotStore } from './store.js';
import type { CommitInfo } from './git-objects.js';

export interface ProjectVersion {
  /** What the user typed, or `work tree`. */
  label: string;
  commit?: CommitInfo;
  files: Map<string, Uint8Array>;
}

export async function versionAt(
  store: SnapshotStore,
  rev: string,
  projectDir: string,
  profile: string,
): Promise<ProjectVersion> {
  const commit = await resolveRevision(store, rev);
  return {
    label: rev,
    commit: await store.readCommit(commit),
    files: await projectFilesAt(store, commit, projectDir, profile),
  };
}

export function workTreeVersion(projectDir: string, profile: string): ProjectVersion {
  return { label: 'work tree', files: readProjectFiles(projectDir, profile) };
}

/** The version before a commit (its first parent), or an empty project for a root commit. */
export async function parentVersion(
  store: SnapshotStore,
  commit: CommitInfo,
  projectDir: string,
  profile: string,
): Promise<ProjectVersion> {
  const parent = commit.parents[0];
  if (!parent) return { label: '(nothing)', files: new Map() };
  return versionAt(store, parent, projectDir, profile);
}

export function versionJson(v: ProjectVersion): Record<string, unknown> {
  return { rev: v.label, commit: v.commit?.commit ?? null, subject: v.commit?.subject ?? null };
}

export function versionName(v: ProjectVersion): string {
  if (!v.commit) return v.label;
  return v.commit.commit.startsWith(v.label) ? shortOid(v.commit.commit) : `${v.label} (${shortOid(v.commit.commit)})`;
}
