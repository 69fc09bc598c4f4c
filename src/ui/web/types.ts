// The shapes of the JSON the server sends (src/ui/api.ts, src/verify/json-document.ts, project-diff diffToJson).
import type { GraphLayout } from '../graph/types.js';
import type { VerifyJson } from '../../verify/json-document.js';

export type { SpecDiffJson, SpecJson } from '../../verify/json-document.js';

export interface Counts {
  added: number;
  removed: number;
  changed: number;
}

export interface Snapshot {
  commit: string;
  parent: string | null;
  branch: string;
  date: string;
  command: string | null;
  node: string;
  author: string;
  subject: string;
  restoredFrom: string | null;
  pipes: Counts;
  systems: Counts;
  changedPipes: string[];
}

export interface Timeline {
  branches: string[];
  snapshots: Snapshot[];
}

export interface PathChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

export interface ItemDiff {
  id?: string;
  file: string;
  status: 'added' | 'removed' | 'changed';
  changes?: PathChange[];
  note?: string;
  added?: string[];
  removed?: string[];
  changed?: { id: string; changes: PathChange[] }[];
}

export interface VersionInfo {
  rev: string;
  commit: string | null;
  subject: string | null;
}

export interface VersionDiff {
  from: VersionInfo;
  to: VersionInfo;
  pipes: ItemDiff[];
  systems: ItemDiff[];
  files: ItemDiff[];
  expected: ItemDiff[];
  testdata: ItemDiff[];
  formattingOnly: string[];
  texts: Record<string, { before: string | null; after: string | null; omitted?: string }>;
}

/** `.sesam/last-results.json` as the server passes it on (src/report/last-results.ts). */
export interface Results extends VerifyJson {
  schemaVersion: number;
  ok?: boolean;
  generatedAt?: string;
  command?: string;
  pipeFailures?: { pipe: string; reason: string }[];
}

export interface BisectVerdict {
  commit: string;
  subject: string | null;
  verdict: string;
  failed?: unknown;
  reason?: string | null;
  expectedAt?: string;
  node?: string;
}

export interface ResultsPage {
  results: Results | null;
  bisect: BisectVerdict[];
}

export interface GraphPage {
  at: string;
  layout: GraphLayout;
  configs: Record<string, string>;
}
