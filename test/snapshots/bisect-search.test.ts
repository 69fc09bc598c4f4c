import { describe, expect, it } from 'vitest';
import { nextStep, type VerdictRecord } from '../../src/snapshots/bisect.js';

/** Run the search against a truth table; returns the answer and the number of tests. */
function simulate(n: number, firstBad: number, skip: Set<number> = new Set()) {
  const candidates = Array.from({ length: n }, (_, i) => `c${i}`);
  const verdicts: Record<string, VerdictRecord> = {};
  let tests = 0;
  for (;;) {
    const step = nextStep(candidates, verdicts);
    if (!('test' in step)) return { step, tests };
    tests++;
    const i = step.test;
    verdicts[candidates[i]!] = { verdict: skip.has(i) ? 'skip' : i >= firstBad ? 'bad' : 'good' };
  }
}

describe('nextStep', () => {
  it('finds the first bad snapshot of 16 in at most 5 tests, wherever it is', () => {
    for (let bad = 0; bad < 16; bad++) {
      const { step, tests } = simulate(16, bad);
      expect(step).toEqual({ firstBad: bad });
      expect(tests).toBeLessThanOrEqual(5);
    }
  });

  it('needs no test when only the bad snapshot is a candidate', () => {
    expect(simulate(1, 0)).toEqual({ step: { firstBad: 0 }, tests: 0 });
  });

  it('routes around skipped snapshots and narrows to a range when it must', () => {
    expect(simulate(16, 9, new Set([7])).step).toEqual({ firstBad: 9 });
    // 8 is the first bad one but cannot be tested: the answer is 8 or 9.
    expect(simulate(16, 8, new Set([8])).step).toEqual({ between: [8, 9] });
  });

  it('resumes from verdicts already known', () => {
    const candidates = ['a', 'b', 'c', 'd'];
    expect(nextStep(candidates, { b: { verdict: 'good' }, c: { verdict: 'bad' } })).toEqual({ firstBad: 2 });
    expect(nextStep(candidates, { b: { verdict: 'good' } })).toEqual({ test: 2 });
  });
});
