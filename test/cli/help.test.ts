// Each command's --help lists the options it takes (described for that command) and the global ones, nothing else.
import { describe, expect, it } from 'vitest';
import { renderHelp } from '../../src/cli/help.js';
import { isGlobal, OPTION_SPECS } from '../../src/cli/options.js';
import { COMMANDS } from '../../src/cli/registry.js';
import { runMain } from '../helpers/run-main.js';

const optionLines = (text: string) => text.split('\n').filter((l) => /^ {2}(-\w, )?--[\w-]+/.test(l));
const nameOf = (line: string) => /--([\w-]+)/.exec(line)![1]!;

describe('per-command help', () => {
  it('describes --exit-code for diff as diff does, and for status as status does', async () => {
    const diff = await runMain(['diff', '--help']);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/--exit-code +exit 1 when A and B differ/);
    expect(diff.stdout).not.toContain('not in sync');
    const status = await runMain(['help', 'status']);
    expect(status.stdout).toMatch(/--exit-code +exit 1 when the node is not in sync/);
  });

  it('lists exactly the options each command takes plus the global ones', () => {
    const global = OPTION_SPECS.filter((o) => isGlobal(o) && !o.ignored).map((o) => o.name);
    for (const command of COMMANDS) {
      const listed = optionLines(renderHelp(command.name)).map(nameOf);
      expect(listed.sort(), command.name).toEqual([...command.options, ...global].sort());
    }
  });

  it('names in the full help which commands take each option', () => {
    const text = renderHelp();
    expect(text).toMatch(/--good REV .*\{bisect\}/);
    expect(text).toMatch(/--junit-xml FILE .*\{verify, test\}/);
    expect(text).toMatch(/--exit-code .*\{status, diff\}/);
  });
});
