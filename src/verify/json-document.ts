// The shapes of the verify/test --json document. Types only and no imports, so that the web app of `sesam ui`
// (src/ui/web, bundled for the browser) reads the same shapes the CLI writes.

export type SpecStatus = 'passed' | 'failed' | 'ignored';

/** A changed value in the --json document: the exact JSON text of each side (absent when the side lacks it). */
export interface ValueChangeJson {
  path: string;
  expected?: string;
  actual?: string;
}

export type SpecDiffJson =
  | {
      kind: 'entities';
      expectedCount: number;
      actualCount: number;
      missing: unknown[];
      unexpected: unknown[];
      changed: { id: unknown; changes: ValueChangeJson[] }[];
    }
  | { kind: 'text'; unified: string; note?: string }
  | { kind: 'problem'; message: string };

export interface SpecJson {
  id: string;
  pipe: string;
  file: string;
  specFile: string;
  endpoint: string;
  status: SpecStatus;
  summary?: string;
  diff?: SpecDiffJson;
}

export interface VerifyJson {
  passed: number;
  failed: number;
  ignored: number;
  missing: string[];
  warnings: string[];
  specs: SpecJson[];
}
