// A unified line diff (Myers' O(ND) algorithm), laid out like Python's difflib.unified_diff as sesam-py prints it:
// `--- a` / `+++ b` headers without timestamps and `@@ -start,len +start,len @@` hunks. Unlike difflib, a last
// line without a newline is followed by git's `\ No newline at end of file` instead of being glued to the next.

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

/** The edit script from a to b, as a list of kept/removed/added lines. */
function diffLines(a: string[], b: string[]): Op[] {
  // Common prefix and suffix cost nothing; trimming them keeps the search small for typical edits.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  ops.push(...myers(a.slice(start, endA), b.slice(start, endB)));
  ops.push(...a.slice(endA).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((line) => ({ kind: '+', line }));
  if (m === 0) return a.map((line) => ({ kind: '-', line }));
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk the trace backwards to recover the path.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[--y]! });
      else ops.push({ kind: '-', line: a[--x]! });
    }
  }
  return ops.reverse();
}

function range(start: number, length: number): string {
  // difflib: 1-based start; a length of 1 is implied; an empty range starts at the line before.
  if (length === 1) return String(start + 1);
  return `${length === 0 ? start : start + 1},${length}`;
}

function emit(kind: string, line: string): string {
  return line.endsWith('\n') ? kind + line : `${kind}${line}\n\\ No newline at end of file\n`;
}

/** Unified diff of two texts; '' when they are equal. */
export function unifiedDiff(a: string, b: string, aName: string, bName: string, context = 3): string {
  if (a === b) return '';
  const ops = diffLines(splitLines(a), splitLines(b));
  const changed = ops.map((op, i) => (op.kind !== ' ' ? i : -1)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch into hunks.
  const hunks: [number, number][] = [];
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(ops.length, i + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else hunks.push([from, to]);
  }
  let out = `--- ${aName}\n+++ ${bName}\n`;
  // Line numbers at each op index.
  let lineA = 0;
  let lineB = 0;
  let cursor = 0;
  for (const [from, to] of hunks) {
    for (; cursor < from; cursor++) {
      if (ops[cursor]!.kind !== '+') lineA++;
      if (ops[cursor]!.kind !== '-') lineB++;
    }
    const slice = ops.slice(from, to);
    const lenA = slice.filter((o) => o.kind !== '+').length;
    const lenB = slice.filter((o) => o.kind !== '-').length;
    out += `@@ -${range(lineA, lenA)} +${range(lineB, lenB)} @@\n`;
    for (const op of slice) out += emit(op.kind, op.line);
  }
  return out;
}
