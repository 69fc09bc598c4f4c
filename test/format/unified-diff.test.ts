import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/format/unified-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => expect(unifiedDiff('a\n', 'a\n', 'x', 'y')).toBe(''));

  it('lays hunks out like difflib', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nx\nc\n', 'pipes/p.conf.json', 'pipes/p.conf.json')).toBe(
      '--- pipes/p.conf.json\n+++ pipes/p.conf.json\n@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n',
    );
    expect(unifiedDiff('', 'a\n', 'x', 'y')).toBe('--- x\n+++ y\n@@ -0,0 +1 @@\n+a\n');
  });

  it('splits distant changes into hunks with 3 lines of context', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join('');
    const b = a.replace('l1\n', 'L1\n').replace('l18\n', 'L18\n');
    expect(unifiedDiff(a, b, 'x', 'y')).toBe(
      '--- x\n+++ y\n@@ -1,5 +1,5 @@\n l0\n-l1\n+L1\n l2\n l3\n l4\n@@ -16,5 +16,5 @@\n l15\n l16\n l17\n-l18\n+L18\n l19\n',
    );
  });

  it('marks a missing final newline', () => {
    expect(unifiedDiff('a\n', 'a', 'x', 'y')).toBe('--- x\n+++ y\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n');
  });

  it('finds a minimal diff for larger inputs', () => {
    const a = Array.from({ length: 2000 }, (_, i) => `line ${i}\n`).join('');
    const b = a.replace('line 1000\n', 'line 1000\nnew\n');
    const d = unifiedDiff(a, b, 'x', 'y');
    expect(d.split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'))).toEqual(['+new']);
  });
});
