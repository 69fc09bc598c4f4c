// `sesam --help` and `sesam help <command>` / `sesam <command> --help`, generated from the option and command tables.
import { VERSION } from '../version.js';
import { isGlobal, OPTION_SPECS, type OptionGroup, type OptionSpec } from './options.js';
import { COMMANDS, type CommandSpec, findCommand } from './registry.js';

const GROUP_TITLES: Record<CommandSpec['group'], string> = {
  'sesam-py': 'Commands (as in sesam-py)',
  snapshots: 'Snapshots (git history of the node config)',
  local: 'Embedded node',
  tools: 'Tools',
  connector: 'Connector development',
};

const OPTION_TITLES: Record<Exclude<OptionGroup, 'ignored'>, string> = {
  global: 'Global options (any command)',
  run: 'Run options',
  upload: 'Upload options',
  verify: 'Verify, update and format options',
  other: 'Other options',
  snapshots: 'Snapshot options',
  serve: 'Serve options',
  dtl: 'DTL options',
  connector: 'Connector options',
};

function optionLine(spec: OptionSpec, help = spec.help, commands = ''): string {
  const names = [spec.short ? `-${spec.short}` : '', `--${spec.name}`].filter(Boolean).join(', ');
  const value = spec.type === 'flag' || spec.type === 'count' ? '' : ` ${spec.metavar ?? 'VALUE'}`;
  const legacy = spec.legacy?.length ? ` (also ${spec.legacy.join(', ')})` : '';
  const def = spec.default !== undefined && spec.type !== 'flag' ? ` [default: ${spec.default}]` : '';
  return `  ${(names + value).padEnd(44)} ${help}${def}${legacy}${commands}`;
}

/** The commands that take a non-global option, for the full help. */
function takenBy(spec: OptionSpec): string {
  if (isGlobal(spec)) return '';
  const names = COMMANDS.filter((c) => c.options.some((name) => name === spec.name)).map((c) => c.name);
  return names.length ? ` {${names.join(', ')}}` : '';
}

function commandHelp(command: CommandSpec): string {
  const lines = [`Usage: sesam ${command.usage ?? command.name} [options]`, '', command.summary, ''];
  const own = command.options.map((name) => {
    const spec = OPTION_SPECS.find((o) => o.name === name)!;
    return optionLine(spec, command.optionHelp?.[name] ?? spec.help);
  });
  if (own.length) lines.push('Options:', ...own, '');
  lines.push('Global options:', ...OPTION_SPECS.filter((o) => isGlobal(o) && !o.ignored).map((o) => optionLine(o)), '');
  lines.push(`Options can go before or after the command; 'sesam ${command.name}' takes no others.`);
  return `${lines.join('\n')}\n`;
}

/** Command names line up with the longest one. */
const NAME_WIDTH = Math.max(...COMMANDS.map((c) => c.name.length));

export function renderHelp(topic?: string): string {
  const command = topic ? findCommand(topic) : undefined;
  if (command) return commandHelp(command);
  const lines: string[] = [];
  lines.push(`sesam ${VERSION}: a client for Sesam nodes with git-native config history and an embedded node.`, '');
  lines.push('Usage: sesam [options] <command> [args]', '');
  for (const group of Object.keys(GROUP_TITLES) as CommandSpec['group'][]) {
    lines.push(`${GROUP_TITLES[group]}:`);
    for (const c of COMMANDS.filter((c) => c.group === group))
      lines.push(`  ${c.name.padEnd(NAME_WIDTH)} ${c.summary}`);
    lines.push('');
  }
  for (const group of Object.keys(OPTION_TITLES) as (keyof typeof OPTION_TITLES)[]) {
    lines.push(`${OPTION_TITLES[group]}:`);
    for (const spec of OPTION_SPECS.filter((o) => o.group === group))
      lines.push(optionLine(spec, spec.help, takenBy(spec)));
    lines.push('');
  }
  const ignored = OPTION_SPECS.filter((o) => o.group === 'ignored').map((o) => o.legacy?.[0] ?? `--${o.name}`);
  lines.push(`Accepted for sesam-py compatibility and ignored: ${ignored.join(' ')}`, '');
  lines.push("'sesam <command> --help' lists the options of one command; {…} names the commands that take an option.");
  lines.push(
    'Exit codes: 0 ok, 1 differences found, 2 usage or local input error, 3 node error, 4 git error, 130 interrupted.',
  );
  return `${lines.join('\n')}\n`;
}
