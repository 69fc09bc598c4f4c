// Every function name documented in the reference table (dtl.md) is implemented: registered, a special form, or a
// transform function.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPECIAL_FORM_NAMES } from '../../src/dtl/compiler.js';
import { registeredFunctionNames } from '../../src/dtl/functions/index.js';
import { TRANSFORM_NAMES } from '../../src/dtl/transforms.js';

const reference = join(process.cwd(), '..', 'shared', 'reference', 'dtl.md');

describe('function coverage', () => {
  it.skipIf(!existsSync(reference))('implements every documented name (needs ../shared/reference/dtl.md)', () => {
    const names = new Set<string>();
    for (const line of readFileSync(reference, 'utf8').split('\n')) {
      const m = /^\| `([^`]+)` \| [a-z-]+ \| /.exec(line);
      if (m && !m[1]!.startsWith('~')) names.add(m[1]!);
    }
    expect(names.size).toBe(165);
    const known = new Set([...registeredFunctionNames(), ...SPECIAL_FORM_NAMES, ...TRANSFORM_NAMES]);
    expect([...names].filter((n) => !known.has(n))).toEqual([]);
  });
});
