// sesam-py's flags are single-dash long options (`-node URL`, `-vv`, `-whitelist-file w.txt`), parsed by argparse
// with prefix abbreviation. Rewrite them to GNU form before commander sees them, so existing CI scripts run unchanged.
import { OPTIONS, type OptionSpec } from './options.js';

const byLegacy = new Map<string, OptionSpec>();
const byLong = new Map<string, OptionSpec>();
const shortValue = new Set<string>();
for (const spec of OPTIONS) {
  byLong.set(spec.name, spec);
  for (const l of spec.legacy ?? []) byLegacy.set(l, spec);
  if (spec.short && spec.type !== 'flag' && spec.type !== 'count') shortValue.add(`-${spec.short}`);
}

export class UnknownLegacyFlag extends Error {}

function takesValue(spec: OptionSpec | undefined): boolean {
  return spec !== undefined && spec.type !== 'flag' && spec.type !== 'count';
}

/** Resolve `-word` to its option, exactly or as argparse's unique prefix; undefined when ambiguous/unknown. */
function resolveSingleDash(word: string): OptionSpec | undefined {
  const exact = byLegacy.get(word) ?? byLong.get(word.slice(1));
  if (exact) return exact;
  const candidates = new Set<OptionSpec>();
  for (const [legacy, spec] of byLegacy) if (legacy.startsWith(word)) candidates.add(spec);
  return candidates.size === 1 ? [...candidates][0] : undefined;
}

export function rewriteLegacyArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  let expectValue = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (expectValue) {
      out.push(arg);
      expectValue = false;
      continue;
    }
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (/^-v+$/.test(arg)) {
      for (let n = 1; n < arg.length; n++) out.push('--verbose');
      continue;
    }
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      const spec = byLong.get(name);
      expectValue = takesValue(spec) && !arg.includes('=');
      out.push(arg);
      continue;
    }
    if (/^-[A-Za-z][\w-]+(=.*)?$/.test(arg)) {
      const eq = arg.indexOf('=');
      const word = eq === -1 ? arg : arg.slice(0, eq);
      const spec = resolveSingleDash(word);
      if (!spec) throw new UnknownLegacyFlag(word);
      if (eq === -1) {
        out.push(`--${spec.name}`);
        expectValue = takesValue(spec);
      } else {
        out.push(`--${spec.name}=${arg.slice(eq + 1)}`);
      }
      continue;
    }
    expectValue = shortValue.has(arg);
    out.push(arg);
  }
  return out;
}
