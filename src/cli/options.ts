// The one option table: names, sesam-py's single-dash spellings, value types, defaults and help text.
// The parser, the legacy-flag rewrite and `--help` are all generated from it.

export type OptionType = 'flag' | 'string' | 'int' | 'float' | 'count';

export interface OptionSpec {
  /** Long GNU name without dashes, e.g. `whitelist-file` (`--whitelist-file`). */
  name: string;
  type: OptionType;
  help: string;
  /** sesam-py spellings accepted as-is, e.g. `-whitelist-file`. */
  legacy?: string[];
  short?: string;
  metavar?: string;
  default?: string | number | boolean;
  /** Help section. */
  group: 'global' | 'run' | 'upload' | 'verify' | 'other' | 'snapshots' | 'serve' | 'dtl' | 'ignored';
  /** Accepted for sesam-py compatibility but meaningless here: ignored with a note at -v. */
  ignored?: string;
}

const ignoredScheduler = 'the microservice scheduler was removed from sesam-py 2.0; the node runs pipes itself';
const connectorOnly = 'connector projects are not supported by this client';

export const OPTIONS: OptionSpec[] = [
  // global
  {
    name: 'verbose',
    short: 'v',
    type: 'count',
    group: 'global',
    help: 'more output: -v debug, -vv trace, -vvv HTTP traffic and stack traces',
  },
  { name: 'version', type: 'flag', legacy: ['-version'], group: 'global', help: 'print the version and exit' },
  {
    name: 'node',
    type: 'string',
    metavar: 'URL',
    legacy: ['-node'],
    group: 'global',
    help: "the node's URL, or `local` for the embedded node (default: env NODE, then .syncconfig)",
  },
  {
    name: 'jwt',
    type: 'string',
    metavar: 'TOKEN',
    legacy: ['-jwt'],
    group: 'global',
    help: 'the JWT (default: env JWT, then .syncconfig)',
  },
  {
    name: 'sync-config-file',
    type: 'string',
    metavar: 'FILE',
    default: '.syncconfig',
    legacy: ['-sync-config-file'],
    group: 'global',
    help: 'the sync config file, searched upwards from the current directory',
  },
  {
    name: 'whitelist-file',
    type: 'string',
    metavar: 'FILE',
    legacy: ['-whitelist-file'],
    group: 'global',
    help: 'only the files listed in FILE take part',
  },
  {
    name: 'profile',
    type: 'string',
    metavar: 'NAME',
    default: 'test',
    legacy: ['-profile'],
    group: 'global',
    help: 'the env profile: <NAME>-env.json',
  },
  {
    name: 'skip-tls-verification',
    type: 'flag',
    legacy: ['-skip-tls-verification'],
    group: 'global',
    help: "don't verify the node's TLS certificate",
  },
  {
    name: 'logformat',
    type: 'string',
    metavar: 'FORMAT',
    default: 'short',
    legacy: ['-logformat'],
    group: 'global',
    help: 'log format: short, log (timestamps) or azure (Azure DevOps annotations)',
  },
  {
    name: 'dump',
    type: 'flag',
    legacy: ['-dump'],
    group: 'global',
    help: 'also write the config zip to sesam-config.zip (upload, download, status, convert)',
  },
  { name: 'json', type: 'flag', group: 'global', help: 'print one JSON document on stdout' },
  {
    name: 'color',
    type: 'flag',
    group: 'global',
    help: 'force colour (also FORCE_COLOR); --no-color or NO_COLOR turns it off',
  },
  { name: 'no-color', type: 'flag', group: 'global', help: 'no colour' },
  {
    name: 'force',
    type: 'flag',
    legacy: ['-force'],
    group: 'global',
    help: 'upload/download to a non-developer node; upload config that has validation errors; download and restore --write: overwrite local edits that are in no commit and no snapshot',
  },
  { name: 'exit-code', type: 'flag', group: 'other', help: 'status: exit 1 when the node is not in sync' },
  // run
  {
    name: 'print-scheduler-log',
    type: 'flag',
    legacy: ['-print-scheduler-log'],
    group: 'run',
    help: 'print the pipe runner log while it runs',
  },
  {
    name: 'output-run-statistics',
    type: 'flag',
    legacy: ['-output-run-statistics'],
    group: 'run',
    help: 'print per-pipe run statistics after the run',
  },
  {
    name: 'scheduler-mode',
    type: 'string',
    metavar: 'MODE',
    legacy: ['-scheduler-mode'],
    group: 'run',
    help: "the runner mode: 'active' or 'poll'",
  },
  {
    name: 'scheduler-request-mode',
    type: 'string',
    metavar: 'MODE',
    default: 'sync',
    legacy: ['-scheduler-request-mode'],
    group: 'run',
    help: "'sync' waits for the run; 'async' polls for its status",
  },
  {
    name: 'scheduler-zero-runs',
    type: 'int',
    metavar: 'N',
    default: 2,
    legacy: ['-scheduler-zero-runs'],
    group: 'run',
    help: 'passes that must change nothing before the run is stable',
  },
  {
    name: 'scheduler-max-runs',
    type: 'int',
    metavar: 'N',
    default: 100,
    legacy: ['-scheduler-max-runs'],
    group: 'run',
    help: 'maximum number of passes',
  },
  {
    name: 'scheduler-max-run-time',
    type: 'int',
    metavar: 'SECONDS',
    default: 900,
    legacy: ['-scheduler-max-run-time'],
    group: 'run',
    help: 'maximum run time',
  },
  {
    name: 'scheduler-check-input-pipes',
    type: 'flag',
    legacy: ['-scheduler-check-input-pipes'],
    group: 'run',
    help: 'a failing input pipe fails the run',
  },
  {
    name: 'scheduler-dont-reset-pipes-or-delete-sink-datasets',
    type: 'flag',
    legacy: ['-scheduler-dont-reset-pipes-or-delete-sink-datasets'],
    group: 'run',
    help: 'keep pipe offsets and sink datasets',
  },
  {
    name: 'scheduler-poll-frequency',
    type: 'int',
    metavar: 'MS',
    default: 5000,
    legacy: ['-scheduler-poll-frequency'],
    group: 'run',
    help: 'milliseconds between status polls in async mode',
  },
  {
    name: 'runs',
    type: 'int',
    metavar: 'N',
    default: 1,
    legacy: ['-runs'],
    group: 'run',
    help: 'test: number of runs before verifying',
  },
  // upload
  {
    name: 'enable-user-pipes',
    type: 'flag',
    legacy: ['-enable-user-pipes'],
    group: 'upload',
    help: 'let the node schedule user pipes',
  },
  {
    name: 'enable-eager-ms',
    type: 'flag',
    legacy: ['-enable-eager-ms'],
    group: 'upload',
    help: 'run all microservices even when unused',
  },
  {
    name: 'disable-cpp-extensions',
    type: 'flag',
    legacy: ['-disable-cpp-extensions'],
    group: 'upload',
    help: 'turn off DTL C++ extensions on the node',
  },
  {
    name: 'upload-delete-sink-datasets',
    type: 'flag',
    legacy: ['-upload-delete-sink-datasets'],
    group: 'upload',
    help: 'delete all sink datasets before uploading',
  },
  {
    name: 'single-thread-upload',
    type: 'flag',
    legacy: ['-single-thread-upload'],
    group: 'upload',
    help: 'upload test data one file at a time',
  },
  {
    name: 'upload-workers',
    type: 'int',
    metavar: 'N',
    default: 8,
    group: 'upload',
    help: 'concurrent test data uploads',
  },
  {
    name: 'upload-rate',
    type: 'float',
    metavar: 'PER_SECOND',
    default: 0,
    group: 'upload',
    help: 'maximum test data requests per second (0 = unlimited)',
  },
  {
    name: 'do-float-as-decimal',
    type: 'flag',
    group: 'upload',
    help: 'send test data floats with their full written precision',
  },
  // verify / update / format
  {
    name: 'single',
    type: 'string',
    metavar: 'PIPE',
    legacy: ['-single'],
    group: 'verify',
    help: 'verify or update only this pipe',
  },
  {
    name: 'no-large-int-bugs',
    type: 'flag',
    legacy: ['-no-large-int-bugs'],
    group: 'verify',
    help: "don't round integers over 16 digits through a double (sesam-py's default)",
  },
  {
    name: 'unicode-encoding',
    type: 'flag',
    legacy: ['-unicode-encoding'],
    group: 'verify',
    help: 'write expected files with \\uXXXX escapes',
  },
  {
    name: 'disable-json-html-escape',
    type: 'flag',
    legacy: ['-disable-json-html-escape'],
    group: 'verify',
    help: "don't escape <, > and & in expected files",
  },
  {
    name: 'junit-xml',
    type: 'string',
    metavar: 'FILE',
    group: 'verify',
    help: 'verify/test: also write a JUnit XML report',
  },
  {
    name: 'bisect-exit-codes',
    type: 'flag',
    group: 'verify',
    help: 'verify/test: exit 125 when the node could not be tested (for git bisect run)',
  },
  {
    name: 'at',
    type: 'string',
    metavar: 'REV',
    group: 'verify',
    help: 'verify: compare with expected/ as stored at this git revision',
  },
  {
    name: 'run-pytest',
    type: 'string',
    metavar: 'DIR',
    legacy: ['-run-pytest'],
    group: 'verify',
    help: 'run pytest on DIR after the command',
  },
  {
    name: 'pytest-args',
    type: 'string',
    metavar: 'ARGS',
    default: '-rP -v',
    legacy: ['-pytest-args'],
    group: 'verify',
    help: 'arguments for pytest',
  },
  // other sesam-py commands
  {
    name: 'restart-timeout',
    type: 'int',
    metavar: 'SECONDS',
    default: 900,
    legacy: ['-restart-timeout'],
    group: 'other',
    help: 'restart/reset: how long to wait for the node',
  },
  {
    name: 'diff',
    type: 'flag',
    legacy: ['-diff'],
    group: 'other',
    help: 'status: show a unified diff of each differing file',
  },
  {
    name: 'add-test-entities',
    type: 'flag',
    legacy: ['-add-test-entities'],
    group: 'other',
    help: 'init: fill test sources with up to 10 entities from the node',
  },
  {
    name: 'force-add',
    type: 'flag',
    legacy: ['-force-add'],
    group: 'other',
    help: 'init: overwrite existing test entities',
  },
  {
    name: 'template',
    type: 'string',
    metavar: 'NAME',
    default: 'skeleton',
    group: 'other',
    help: 'new: the template: skeleton or example',
  },
  // snapshots
  { name: 'no-snapshot', type: 'flag', group: 'snapshots', help: 'download/update/restore: record no snapshot' },
  {
    name: 'good',
    type: 'string',
    metavar: 'REV',
    group: 'snapshots',
    help: 'bisect: a snapshot whose output was right',
  },
  {
    name: 'bad',
    type: 'string',
    metavar: 'REV',
    group: 'snapshots',
    help: 'bisect: a snapshot whose output was wrong',
  },
  {
    name: 'expected-at',
    type: 'string',
    metavar: 'REV',
    group: 'snapshots',
    help: 'bisect: the revision whose expected/ is the truth (default: --good)',
  },
  { name: 'yes', short: 'y', type: 'flag', group: 'snapshots', help: "restore: don't ask" },
  { name: 'dry-run', type: 'flag', group: 'snapshots', help: 'restore: only show what would change' },
  {
    name: 'write',
    type: 'flag',
    group: 'snapshots',
    help: 'restore: also write the restored files to the work tree (refuses to overwrite unsaved edits without --force)',
  },
  { name: 'limit', type: 'int', metavar: 'N', group: 'snapshots', help: 'log: show at most N snapshots' },
  // serve
  {
    name: 'port',
    type: 'int',
    metavar: 'N',
    default: 9042,
    group: 'serve',
    help: 'serve: the loopback port (0 picks a free one)',
  },
  {
    name: 'host',
    type: 'string',
    metavar: 'ADDR',
    default: '127.0.0.1',
    group: 'serve',
    help: 'serve: the address to listen on',
  },
  {
    name: 'data',
    type: 'string',
    metavar: 'DIR',
    group: 'serve',
    help: 'serve: keep the node state in DIR (default .sesam/local-node)',
  },
  { name: 'memory', type: 'flag', group: 'serve', help: 'serve: keep the node state in memory only' },
  // dtl
  { name: 'source', type: 'string', metavar: 'JSON', group: 'dtl', help: 'dtl eval: the source entity _S' },
  {
    name: 'batch',
    type: 'string',
    metavar: 'FILE',
    group: 'dtl',
    help: 'dtl eval/transform: JSON lines from FILE (- for stdin)',
  },
  // accepted for compatibility, meaningless here
  {
    name: 'dont-remove-scheduler',
    type: 'flag',
    legacy: ['-dont-remove-scheduler'],
    group: 'ignored',
    ignored: ignoredScheduler,
    help: 'deprecated',
  },
  {
    name: 'use-internal-scheduler',
    type: 'flag',
    legacy: ['-use-internal-scheduler'],
    group: 'ignored',
    ignored: ignoredScheduler,
    help: 'deprecated',
  },
  {
    name: 'custom-scheduler',
    type: 'flag',
    legacy: ['-custom-scheduler'],
    group: 'ignored',
    ignored: ignoredScheduler,
    help: 'deprecated',
  },
  {
    name: 'scheduler-image-tag',
    type: 'string',
    metavar: 'TAG',
    legacy: ['-scheduler-image-tag'],
    group: 'ignored',
    ignored: ignoredScheduler,
    help: 'deprecated',
  },
  {
    name: 'scheduler-node',
    type: 'string',
    metavar: 'URL',
    legacy: ['-scheduler-node'],
    group: 'ignored',
    ignored: ignoredScheduler,
    help: 'deprecated',
  },
  {
    name: 'scheduler-id',
    type: 'string',
    metavar: 'ID',
    legacy: ['-scheduler-id'],
    group: 'ignored',
    ignored: ignoredScheduler,
    help: 'deprecated',
  },
  {
    name: 'disable-user-pipes',
    type: 'flag',
    legacy: ['-disable-user-pipes'],
    group: 'ignored',
    ignored: 'user pipes are always disabled on upload unless -enable-user-pipes',
    help: 'deprecated',
  },
  {
    name: 'compact-execution-datasets',
    type: 'flag',
    legacy: ['-compact-execution-datasets'],
    group: 'ignored',
    ignored: 'the node compacts execution datasets itself',
    help: 'deprecated',
  },
  {
    name: 'sesamconfig-file',
    type: 'string',
    metavar: 'FILE',
    legacy: ['-sesamconfig-file'],
    group: 'ignored',
    ignored: 'formatting always follows the portal style, as in sesam-py 2.11',
    help: 'deprecated',
  },
  {
    name: 'skip-auth',
    type: 'flag',
    legacy: ['-skip-auth'],
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'connector-dir',
    short: 'd',
    type: 'string',
    metavar: 'DIR',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'expanded-dir',
    short: 'e',
    type: 'string',
    metavar: 'DIR',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'system-placeholder',
    type: 'string',
    metavar: 'ID',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'client_id',
    type: 'string',
    metavar: 'ID',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'client_secret',
    type: 'string',
    metavar: 'SECRET',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'account_id',
    type: 'string',
    metavar: 'ID',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  { name: 'ignore-refresh-token', type: 'flag', group: 'ignored', ignored: connectorOnly, help: 'connectors only' },
  {
    name: 'api_key',
    type: 'string',
    metavar: 'KEY',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'service_url',
    type: 'string',
    metavar: 'URL',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'service_jwt',
    type: 'string',
    metavar: 'JWT',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'consumer_token',
    type: 'string',
    metavar: 'TOKEN',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'employee_token',
    type: 'string',
    metavar: 'TOKEN',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'base_url',
    type: 'string',
    metavar: 'URL',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  { name: 'days', type: 'int', metavar: 'N', group: 'ignored', ignored: connectorOnly, help: 'connectors only' },
  { name: 'use-client-secret', type: 'flag', group: 'ignored', ignored: connectorOnly, help: 'connectors only' },
  {
    name: 'auth',
    type: 'string',
    metavar: 'SCHEME',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  {
    name: 'datatype',
    type: 'string',
    metavar: 'NAME',
    group: 'ignored',
    ignored: connectorOnly,
    help: 'connectors only',
  },
  { name: 'share', type: 'flag', group: 'ignored', ignored: connectorOnly, help: 'connectors only' },
];

/** Parsed options, camelCased from the table (`whitelist-file` -> `whitelistFile`). */
export interface Options {
  verbose: number;
  version: boolean;
  node?: string;
  jwt?: string;
  syncConfigFile: string;
  whitelistFile?: string;
  profile: string;
  skipTlsVerification: boolean;
  logformat: string;
  dump: boolean;
  json: boolean;
  color: boolean;
  noColor: boolean;
  force: boolean;
  exitCode: boolean;
  printSchedulerLog: boolean;
  outputRunStatistics: boolean;
  schedulerMode?: string;
  schedulerRequestMode: string;
  schedulerZeroRuns: number;
  schedulerMaxRuns: number;
  schedulerMaxRunTime: number;
  schedulerCheckInputPipes: boolean;
  schedulerDontResetPipesOrDeleteSinkDatasets: boolean;
  schedulerPollFrequency: number;
  runs: number;
  enableUserPipes: boolean;
  enableEagerMs: boolean;
  disableCppExtensions: boolean;
  uploadDeleteSinkDatasets: boolean;
  singleThreadUpload: boolean;
  uploadWorkers: number;
  uploadRate: number;
  doFloatAsDecimal: boolean;
  single?: string;
  noLargeIntBugs: boolean;
  unicodeEncoding: boolean;
  disableJsonHtmlEscape: boolean;
  junitXml?: string;
  bisectExitCodes: boolean;
  at?: string;
  runPytest?: string;
  pytestArgs: string;
  restartTimeout: number;
  diff: boolean;
  addTestEntities: boolean;
  forceAdd: boolean;
  template: string;
  noSnapshot: boolean;
  good?: string;
  bad?: string;
  expectedAt?: string;
  yes: boolean;
  dryRun: boolean;
  write: boolean;
  limit?: number;
  port: number;
  host: string;
  data?: string;
  memory: boolean;
  source?: string;
  batch?: string;
  /** Ignored compatibility options that were given, by name, for the -v note. */
  ignoredGiven: string[];
}

export function camelCase(name: string): string {
  return name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Options with every default filled in, for commands called directly (tests) rather than through main. */
export function defaultOptions(overrides: Partial<Options> = {}): Options {
  const out: Record<string, unknown> = { ignoredGiven: [] };
  for (const spec of OPTIONS) {
    if (spec.ignored) continue;
    const key = camelCase(spec.name);
    if (spec.default !== undefined) out[key] = spec.default;
    else if (spec.type === 'flag') out[key] = false;
    else if (spec.type === 'count') out[key] = 0;
  }
  return { ...(out as unknown as Options), ...overrides };
}
