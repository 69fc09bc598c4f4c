// sesam-py's flags are single-dash long options (`-node URL`, `-vv`, `-whitelist-file w.txt`), parsed by argparse
// with prefix abbreviation. Rewrite them to GNU form before parsing, so existing CI scripts run unchanged, and
// remember which options were given that way: sesam-py accepts every one of its flags with every command.
import { OPTION_SPECS, type OptionSpec, takesValue } from './options.js';

const byLegacy = new Map<string, OptionSpec>();
const byLong = new Map<string, OptionSpec>();
const shortValue = new Set<string>();
for (const spec of OPTION_SPECS) {
  byLong.set(spec.name, spec);
  for (const l of spec.legacy ?? []) byLegacy.set(l, spec);
  if (spec.short && takesValue(spec)) shortValue.add(`-${spec.short}`);
}

export class UnknownLegacyFlag extends Error {}

/** Resolve `-word` to its option, exactly or as argparse's unique prefix; undefined when ambiguous/unknown. */
function resolveSingleDash(word: string): { spec: OptionSpec; legacy: boolean } | undefined {
  const legacy = byLegacy.get(word);
  if (legacy) return { spec: legacy, legacy: true };
  const long = byLong.get(word.slice(1));
  if (long) return { spec: long, legacy: false };
  const candidates = new Set<OptionSpec>();
  for (const [spelling, spec] of byLegacy) if (spelling.startsWith(word)) candidates.add(spec);
  const [only] = candidates;
  return candidates.size === 1 && only ? { spec: only, legacy: true } : undefined;
}

export interface Rewritten {
  /** The arguments in GNU form. */
  args: string[];
  /** Long names of the options given in sesam-py's own spelling (`-single`, `-print-sched`, `-vv`). */
  legacyGiven: Set<string>;
}

export function rewriteLegacy(argv: readonly string[]): Rewritten {
  const args: string[] = [];
  const legacyGiven = new Set<string>();
  let expectValue = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (expectValue) {
      args.push(arg);
      expectValue = false;
      continue;
    }
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (/^-v+$/.test(arg)) {
      for (let n = 1; n < arg.length; n++) args.push('--verbose');
      continue;
    }
    if (arg.startsWith('--')) {
      const spec = byLong.get(arg.slice(2).split('=')[0]!);
      expectValue = spec !== undefined && takesValue(spec) && !arg.includes('=');
      args.push(arg);
      continue;
    }
    if (/^-[A-Za-z][\w-]+(=.*)?$/.test(arg)) {
      const eq = arg.indexOf('=');
      const word = eq === -1 ? arg : arg.slice(0, eq);
      const found = resolveSingleDash(word);
      if (!found) throw new UnknownLegacyFlag(word);
      if (found.legacy) legacyGiven.add(found.spec.name);
      if (eq === -1) {
        args.push(`--${found.spec.name}`);
        expectValue = takesValue(found.spec);
      } else {
        args.push(`--${found.spec.name}=${arg.slice(eq + 1)}`);
      }
      continue;
    }
    expectValue = shortValue.has(arg);
    args.push(arg);
  }
  return { args, legacyGiven };
}

export function rewriteLegacyArgs(argv: readonly string[]): string[] {
  return rewriteLegacy(argv).args;
}
