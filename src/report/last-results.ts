// `.sesam/last-results.json`: the results of the last verify or test, written after every run so that
// `sesam ui`, `--html-report` and `watch` read one source. It is the `--json` document of that run plus when,
// which command and which node (its URL without credentials); it never holds the JWT.
import { join } from 'node:path';
import { verifyPassed, type VerifyResult } from '../verify/result.js';
import type { VerifyJson } from '../verify/json-document.js';
import { verifyJson } from '../verify/report.js';
import { writeFileAtomic } from '../workspace/files.js';

export const LAST_RESULTS_FILE = '.sesam/last-results.json';

/** A pipe the run reported as failed (test only). */
export interface PipeFailure {
  pipe: string;
  reason: string;
}

export interface ResultsDocument extends VerifyJson {
  schemaVersion: 1;
  ok: boolean;
  /** test: how many runs, and the seconds the whole test took. */
  runs?: number;
  seconds?: number;
  generatedAt: string;
  command: string;
  /** The node's URL without user, password, query or fragment; `local` for the embedded node. */
  node: string;
  pipeFailures?: PipeFailure[];
}

export interface ResultsMeta {
  command: string;
  nodeUrl: string;
  /** Fields the --json document of the command adds (test: runs, seconds). */
  extra?: { runs?: number; seconds?: number };
  pipeFailures?: PipeFailure[];
  now?: Date;
}

/** The --json document of a verify/test run, with the fields that say when and where it ran. */
export function resultsDocument(result: VerifyResult, meta: ResultsMeta): ResultsDocument {
  return {
    schemaVersion: 1,
    ok: verifyPassed(result) && !meta.pipeFailures?.length,
    ...meta.extra,
    ...verifyJson(result),
    generatedAt: (meta.now ?? new Date()).toISOString(),
    command: meta.command,
    node: publicNodeUrl(meta.nodeUrl),
    ...(meta.pipeFailures?.length ? { pipeFailures: meta.pipeFailures } : {}),
  };
}

/** The document as written to disk; `secrets` (the JWT) are replaced wherever a node echoed them into a value. */
export function serializeResults(doc: ResultsDocument, secrets: readonly (string | undefined)[] = []): string {
  return redactText(
    `${JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`,
    secrets,
  );
}

export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 8) out = out.split(secret).join('<redacted>');
  return out;
}

export function writeLastResults(projectDir: string, doc: ResultsDocument, secrets: readonly (string | undefined)[]) {
  writeFileAtomic(join(projectDir, LAST_RESULTS_FILE), serializeResults(doc, secrets));
}

export function publicNodeUrl(nodeUrl: string): string {
  try {
    const url = new URL(nodeUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return nodeUrl.replace(/^([a-z]+:\/\/)[^/@]*@/i, '$1');
  }
}
