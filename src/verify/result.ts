// The verify result model: what verifyProject returns, what the reporters render, what bisect and test consume.
import type { EntityDiff } from './compare.js';
import type { SpecStatus } from './json-document.js';

export type SpecDiff =
  /** json/excel endpoints: entity-level difference keyed by `_id`. */
  | ({ kind: 'entities' } & EntityDiff)
  /** Other endpoints (csv, xml, ...): a unified diff of the text (empty when the bytes are not text). */
  | { kind: 'text'; unified: string; note?: string }
  /** The spec could not be compared: unknown pipe, missing expected file, invalid pipe config. */
  | { kind: 'problem'; message: string };

export interface SpecResult {
  /** The spec's `_id`, else its file name (`foo.test.json`). */
  id: string;
  pipe: string;
  /** The spec file as named to a person: `expected/foo.test.json` (or `...@rev`). */
  specFile: string;
  /** The expected file as named to a person: `expected/foo.json` (or `...@rev`). */
  file: string;
  /** The expected file's path in the project (for annotations): `expected/foo.json`. */
  path: string;
  endpoint: string;
  status: SpecStatus;
  /** One line saying what differs, for failures. */
  summary?: string;
  diff?: SpecDiff;
}

export interface VerifyResult {
  specs: SpecResult[];
  /** Output/endpoint pipes that no spec tests (a failure, as in sesam-py). */
  missing: string[];
  /** Things worth a warning that do not fail the verify (e.g. an ignored spec whose expected file exists). */
  warnings: string[];
  passed: number;
  failed: number;
  ignored: number;
}

export function verifyPassed(result: VerifyResult): boolean {
  return result.failed === 0 && result.missing.length === 0;
}

export function tally(specs: SpecResult[], missing: string[], warnings: string[]): VerifyResult {
  return {
    specs,
    missing,
    warnings,
    passed: specs.filter((s) => s.status === 'passed').length,
    failed: specs.filter((s) => s.status === 'failed').length,
    ignored: specs.filter((s) => s.status === 'ignored').length,
  };
}
