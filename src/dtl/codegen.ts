// Small generated functions for hot call sites. A closure literal shared by every compiled call site also shares
// V8's type feedback, so with 20 different functions in a rule every such site goes megamorphic and nothing is
// inlined. Generating each site from source (with a unique comment, so V8's source-keyed cache does not merge them)
// gives every site its own feedback. Only identifiers and JSON string literals are ever spliced into the source.
// Within one compiled DTL (startSites) a site whose code another site of it already has gets the next number, so
// each site still has its own source; across DTLs the n-th site of the same code shares V8's compiled function, and
// a project of many similar pipes compiles such a site once instead of once per pipe.
const sitesOfCode = new Map<string, number>();

/** Number the sites of the next compiled DTL from 1 again (see above). */
export function startSites(): void {
  sitesOfCode.clear();
}

export function generate<T>(params: readonly string[], body: string, args: readonly unknown[]): T {
  const code = `${params.join(',')}\n${body}`;
  const site = (sitesOfCode.get(code) ?? 0) + 1;
  sitesOfCode.set(code, site);
  const factory = new Function(...params, `// dtl site ${site}\n${body}`) as (...a: unknown[]) => T;
  return factory(...args);
}
