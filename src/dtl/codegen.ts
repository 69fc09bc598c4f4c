// Small generated functions for hot call sites. A closure literal shared by every compiled call site also shares
// V8's type feedback, so with 20 different functions in a rule every such site goes megamorphic and nothing is
// inlined. Generating each site from source (with a unique comment, so V8's source-keyed cache does not merge them)
// gives every site its own feedback. Only identifiers and JSON string literals are ever spliced into the source.
let site = 0;

export function generate<T>(params: readonly string[], body: string, args: readonly unknown[]): T {
  site++;
  const factory = new Function(...params, `// dtl site ${site}\n${body}`) as (...a: unknown[]) => T;
  return factory(...args);
}
