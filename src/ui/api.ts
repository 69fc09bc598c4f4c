// What the web app shows, as plain JSON: the snapshot timeline, the diff of two versions, the last verify/test
// results with bisect verdicts, and the graph. Each reads through the same modules the CLI commands use.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject, parseJson, stringifyJson, type JsonValue } from '../format/json.js';
import { versionAt, versionJson, workTreeVersion, type ProjectVersion } from '../snapshots/describe.js';
import { listSnapshots } from '../snapshots/history.js';
import { diffProjects, diffToJson } from '../snapshots/project-diff.js';
import { BISECT_NOTES_REF, labelOfRef, SNAPSHOT_REF_PREFIX } from '../snapshots/refs.js';
import type { SnapshotStore } from '../snapshots/store.js';
import { toPlain } from '../format/json-diff.js';
import { LAST_RESULTS_FILE } from '../report/last-results.js';
import { layoutGraph } from './graph/layout.js';
import { buildGraph } from './graph/model.js';

/** The revision word the web app uses for the work tree. */
export const WORK_TREE = 'worktree';

export interface Project {
  dir: string;
  profile: string;
}

const decoder = new TextDecoder('utf-8');

/** Pipe ids whose `pipes/<id>.conf.json` differs between two trees (by blob id). */
function changedPipes(before: Map<string, string>, after: Map<string, string>): string[] {
  const ids = new Set<string>();
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const match = /^pipes\/(.+)\.conf\.json$/.exec(path);
    if (match && before.get(path) !== after.get(path)) ids.add(match[1]!);
  }
  return [...ids].sort();
}

export async function snapshotTimeline(store: SnapshotStore): Promise<Record<string, unknown>> {
  const entries = await listSnapshots(store);
  // Each tree is read once, though it is the "after" of one snapshot and the "before" of the next.
  const trees = new Map<string, Map<string, string>>();
  const tree = async (commit: string) => {
    const cached = trees.get(commit);
    if (cached) return cached;
    const found = await store.listTree(commit);
    trees.set(commit, found);
    return found;
  };
  const snapshots = [];
  for (const e of entries) {
    const info = await store.readCommit(e.commit);
    const after = await tree(e.commit);
    const before = e.parent ? await tree(e.parent) : new Map<string, string>();
    snapshots.push({
      commit: e.commit,
      parent: e.parent ?? null,
      branch: e.branch,
      date: e.date.toISOString(),
      command: e.trailers['Sesam-Command'] ?? null,
      node: e.trailers['Sesam-Node'] ?? e.branch,
      author: info.author.name,
      subject: e.subject,
      restoredFrom: e.trailers['Sesam-Restored-From'] ?? null,
      pipes: e.pipes,
      systems: e.systems,
      changedPipes: changedPipes(before, after),
    });
  }
  const branches = (await store.listRefs(SNAPSHOT_REF_PREFIX)).map((r) => labelOfRef(r.ref)!);
  return { branches, snapshots };
}

async function version(store: SnapshotStore, project: Project, rev: string): Promise<ProjectVersion> {
  return rev === WORK_TREE
    ? workTreeVersion(project.dir, project.profile)
    : versionAt(store, rev, project.dir, project.profile);
}

/** Larger files are listed in the diff but not shown side by side. */
const SIDE_BY_SIDE_LIMIT = 512 * 1024;

export async function versionDiff(
  store: SnapshotStore,
  project: Project,
  from: string,
  to: string,
): Promise<Record<string, unknown>> {
  const before = await version(store, project, from);
  const after = await version(store, project, to);
  const diff = diffProjects(before.files, after.files);
  const changedFiles = new Set<string>();
  for (const item of [...diff.pipes, ...diff.systems, ...diff.files, ...diff.expected, ...diff.testdata])
    changedFiles.add(item.file);
  // A renamed component's `file` names only one side; show what each side holds at that path.
  const texts: Record<string, { before: string | null; after: string | null; omitted?: string }> = {};
  for (const file of changedFiles) {
    const a = before.files.get(file);
    const b = after.files.get(file);
    if ((a?.byteLength ?? 0) + (b?.byteLength ?? 0) > SIDE_BY_SIDE_LIMIT) {
      texts[file] = { before: null, after: null, omitted: 'too large to show side by side' };
    } else texts[file] = { before: a ? decoder.decode(a) : null, after: b ? decoder.decode(b) : null };
  }
  return { from: versionJson(before), to: versionJson(after), ...diffToJson(diff), texts };
}

/** `.sesam/last-results.json` as written, or null when there is none (or it is not a JSON object). */
export function lastResults(project: Project): Record<string, unknown> | null {
  const path = join(project.dir, LAST_RESULTS_FILE);
  if (!existsSync(path)) return null;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Every bisect verdict recorded in git notes, with the subject of the snapshot it is about. */
export async function bisectVerdicts(store: SnapshotStore): Promise<Record<string, unknown>[]> {
  const head = await store.readRef(BISECT_NOTES_REF);
  if (!head) return [];
  const tree = await store.listTree(head);
  const blobs = await store.readBlobs(new Set(tree.values()));
  const out: Record<string, unknown>[] = [];
  for (const [path, oid] of tree) {
    const commit = path.replace(/\//g, '');
    let note: JsonValue;
    try {
      note = parseJson(decoder.decode(blobs.get(oid)));
    } catch {
      continue;
    }
    if (!isJsonObject(note)) continue;
    let subject: string | null = null;
    try {
      subject = (await store.readCommit(commit)).subject;
    } catch {
      // the snapshot is gone (e.g. a deleted branch); the verdict still shows
    }
    out.push({ commit, subject, ...(toPlain(note) as Record<string, unknown>) });
  }
  return out;
}

/** The graph with its layout, each component's config, and what the last results say about each pipe. */
export async function graphView(
  store: SnapshotStore | undefined,
  project: Project,
  at: string,
): Promise<Record<string, unknown>> {
  const files =
    at === WORK_TREE || !store
      ? workTreeVersion(project.dir, project.profile).files
      : (await versionAt(store, at, project.dir, project.profile)).files;
  const model = buildGraph(files, project.profile);
  const configs: Record<string, string> = {};
  for (const node of model.nodes) {
    if (!node.file) continue;
    const text = decoder.decode(files.get(node.file));
    let value: JsonValue;
    try {
      value = parseJson(text);
    } catch {
      continue; // buildGraph left it out as well
    }
    // A file of one component is shown as written; one of a list is cut out of it.
    if (!Array.isArray(value)) configs[node.id] = text;
    else {
      const config = value.find((item) => isJsonObject(item) && item._id === node.label);
      if (config !== undefined) configs[node.id] = stringifyJson(config, { indent: 2 });
    }
  }
  return { at, layout: layoutGraph(model), configs };
}
