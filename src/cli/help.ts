// `sesam --help` and `sesam help <command>`, generated from the command and option tables.
import { VERSION } from '../version.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { COMMANDS, findCommand } from './registry.js';

const GROUP_TITLES: Record<string, string> = {
  'sesam-py': 'Commands (as in sesam-py)',
  snapshots: 'Snapshots (git history of the node config)',
  local: 'Embedded node',
  tools: 'Tools',
  connector: 'Connector development',
};

const OPTION_TITLES: Record<OptionSpec['group'], string> = {
  global: 'Global options',
  run: 'Run options',
  upload: 'Upload options',
  verify: 'Verify, update and format options',
  other: 'Other options',
  snapshots: 'Snapshot options',
  serve: 'Serve options',
  dtl: 'DTL options',
  connector: 'Connector options',
  ignored: '',
};

function optionLine(spec: OptionSpec): string {
  const names = [spec.short ? `-${spec.short}` : '', `--${spec.name}`].filter(Boolean).join(', ');
  const value = spec.type === 'flag' || spec.type === 'count' ? '' : ` ${spec.metavar ?? 'VALUE'}`;
  const legacy = spec.legacy?.length ? ` (also ${spec.legacy.join(', ')})` : '';
  const def = spec.default !== undefined && spec.type !== 'flag' ? ` [default: ${spec.default}]` : '';
  return `  ${(names + value).padEnd(44)} ${spec.help}${def}${legacy}`;
}

const inGroup = (group: OptionSpec['group']) => OPTIONS.filter((o) => o.group === group).map((o) => o.name);
const RUN = inGroup('run').filter((name) => name !== 'runs');
const UPLOAD = [...inGroup('upload'), 'force', 'dump'];
const CONNECTOR_AUTH = [
  'connector-dir',
  'system-placeholder',
  'profile',
  'client_id',
  'client_secret',
  'account_id',
  'ignore-refresh-token',
  'use-client-secret',
  'api_key',
  'consumer_token',
  'employee_token',
  'base_url',
  'service_url',
  'service_jwt',
  'callback-port',
];
const VERIFY = ['single', 'no-large-int-bugs', 'junit-xml', 'bisect-exit-codes', 'run-pytest', 'pytest-args'];

/** The options that matter to each command, besides the global ones, for `sesam help <command>`. */
const COMMAND_OPTIONS: Record<string, string[]> = {
  upload: UPLOAD,
  download: ['force', 'dump', 'no-snapshot'],
  status: ['diff', 'exit-code', 'dump'],
  run: RUN,
  verify: [...VERIFY, 'at'],
  update: ['single', 'no-large-int-bugs', 'unicode-encoding', 'disable-json-html-escape', 'no-snapshot'],
  test: [...UPLOAD, ...RUN, 'runs', ...VERIFY],
  restart: ['restart-timeout'],
  reset: ['restart-timeout'],
  init: ['add-test-entities', 'force-add'],
  format: ['unicode-encoding', 'disable-json-html-escape'],
  convert: ['dump'],
  'run-pytest': ['pytest-args'],
  log: ['limit'],
  diff: ['exit-code'],
  restore: ['yes', 'dry-run', 'write', 'force', 'no-snapshot'],
  bisect: ['good', 'bad', 'expected-at', 'bisect-exit-codes'],
  serve: inGroup('serve'),
  new: ['template'],
  dtl: inGroup('dtl'),
  // connectors (authenticate, scaffolding, schemas)
  authenticate: CONNECTOR_AUTH,
  'connector-init': ['connector-dir', 'auth'],
  connector_init: ['connector-dir', 'auth'],
  'add-datatype': ['connector-dir', 'datatype', 'share'],
  'update-schemas': ['connector-dir', 'system-placeholder'],
};

export function renderHelp(topic?: string): string {
  const lines: string[] = [];
  const command = topic ? findCommand(topic) : undefined;
  if (command) {
    lines.push(`Usage: sesam ${command.usage ?? command.name} [options]`, '', command.summary, '');
    const own = (COMMAND_OPTIONS[command.name] ?? []).map((name) => OPTIONS.find((o) => o.name === name)!);
    if (own.length) lines.push('Options:', ...own.map(optionLine), '');
    lines.push('Global options:', ...OPTIONS.filter((o) => o.group === 'global').map(optionLine), '');
    lines.push("Every option can go before or after the command. 'sesam --help' lists them all.");
    return `${lines.join('\n')}\n`;
  }
  lines.push(`sesam ${VERSION}: a client for Sesam nodes with git-native config history and an embedded node.`, '');
  lines.push('Usage: sesam [options] <command> [args]', '');
  for (const group of Object.keys(GROUP_TITLES)) {
    lines.push(`${GROUP_TITLES[group]}:`);
    for (const c of COMMANDS.filter((c) => c.group === group)) lines.push(`  ${c.name.padEnd(12)} ${c.summary}`);
    lines.push('');
  }
  for (const group of Object.keys(OPTION_TITLES) as OptionSpec['group'][]) {
    if (group === 'ignored') continue;
    lines.push(`${OPTION_TITLES[group]}:`);
    for (const spec of OPTIONS.filter((o) => o.group === group)) lines.push(optionLine(spec));
    lines.push('');
  }
  const ignored = OPTIONS.filter((o) => o.group === 'ignored').map((o) => o.legacy?.[0] ?? `--${o.name}`);
  lines.push(`Accepted for sesam-py compatibility and ignored: ${ignored.join(' ')}`, '');
  lines.push(
    'Exit codes: 0 ok, 1 differences found, 2 usage or local input error, 3 node error, 4 git error, 130 interrupted.',
  );
  return `${lines.join('\n')}\n`;
}
