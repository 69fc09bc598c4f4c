// Small generated functions for hot call sites. A closure literal shared by every compiled call site also shares
// V8's type feedback, so with 20 different functions in a rule every such site goes megamorphic and nothing is
// inlined. Generating each site from source (with a unique comment, so V8's source-keyed cache does not merge them)
// gives every site its own feedback. Only identifiers and JSON string literals are ever spliced into the source.
// Sites are numbered per compiled DTL (startSites): within one DTL every site still has its own source, while the
// same site of DTLs that generate the same code shares V8's compiled function, so a project of many similar pipes
// compiles each such site once instead of once per pipe (on a generated 300-pipe project ~70 ms of ~800).
let site = 0;

/** Number the sites of the next compiled DTL from 1 again (see above). */
export function startSites(): void {
  site = 0;
}

export function generate<T>(params: readonly string[], body: string, args: readonly unknown[]): T {
  site++;
  const factory = new Function(...params, `// dtl site ${site}\n${body}`) as (...a: unknown[]) => T;
  return factory(...args);
}
