// Reading a V8 `.cpuprofile` (node --cpu-prof) into the few numbers RESULTS.md reports: self time per function,
// self time per source module, and inclusive time of chosen functions (each sample counted once per function, so
// recursion is not double-counted).

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Sampled time in ms, idle and GC included. */
  totalMs: number;
  idleMs: number;
  gcMs: number;
  /** Top functions by self time: "name (module:line)" → ms. */
  topFunctions: [string, number][];
  /** Self time per module (path under src/, or node:internal, or the program's other parts) → ms. */
  modules: [string, number][];
  /** Inclusive time of each function asked for (by name), ms. */
  inclusive: Record<string, number>;
}

/** The module a frame belongs to: its path from `src/` on (dist/ files map back to their sources), else a group. */
function moduleOf(url: string): string {
  if (url === '') return '(native/V8)';
  const m = url.match(/\/(?:dist|src)\/(.+?)\.(?:js|ts)$/);
  if (m) return `src/${m[1]}`;
  if (url.startsWith('node:')) return 'node: internals';
  if (url.includes('/node_modules/')) return `node_modules/${url.split('/node_modules/')[1]!.split('/')[0]}`;
  return url;
}

export function summariseProfile(profile: CpuProfile, inclusiveOf: string[], top = 15): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  let totalMs = 0;
  let idleMs = 0;
  let gcMs = 0;
  const fnMs = new Map<string, number>();
  const moduleMs = new Map<string, number>();
  const wanted = new Set(inclusiveOf);
  const inclusive: Record<string, number> = Object.fromEntries(inclusiveOf.map((n) => [n, 0]));
  for (const [id, ms] of selfMs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    totalMs += ms;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    if (functionName === '(garbage collector)') gcMs += ms;
    const mod = moduleOf(url);
    const name = `${functionName || '(anonymous)'} (${mod}${url ? `:${lineNumber + 1}` : ''})`;
    fnMs.set(name, (fnMs.get(name) ?? 0) + ms);
    moduleMs.set(mod, (moduleMs.get(mod) ?? 0) + ms);
    // Inclusive: every wanted function on this sample's stack, once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const fn = byId.get(cur)!.callFrame.functionName;
      if (wanted.has(fn) && !seen.has(fn)) {
        seen.add(fn);
        inclusive[fn]! += ms;
      }
    }
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs,
    idleMs,
    gcMs,
    topFunctions: sorted(fnMs).slice(0, top),
    modules: sorted(moduleMs).slice(0, top),
    inclusive,
  };
}
