// Where sesam-py's golden files live (outside the repo: a user's clone has none, so conformance tests skip).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(repoRoot, '..', 'shared', 'fixtures');
export const SESAM_PY = join(FIXTURES, 'sesam-py');
export const HAVE_FIXTURES = existsSync(SESAM_PY);
export const SKIP_REASON = `sesam-py fixtures not found at ${SESAM_PY} (only present in the team workspace)`;
