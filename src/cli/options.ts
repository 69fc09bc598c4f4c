// The one option table: names, sesam-py's single-dash spellings, value types, defaults and help text.
// The `Options` type, the parser (parse.ts), per-command scoping (registry.ts lists each command's options) and
// `--help` are all derived from it. To add an option, append an entry at the end of OPTIONS (in a block with a
// comment naming your area) and list its name in the `options` of the commands that take it (registry.ts).

export type OptionType = 'flag' | 'string' | 'int' | 'float' | 'count';

export type OptionGroup =
  | 'global'
  | 'run'
  | 'upload'
  | 'verify'
  | 'other'
  | 'snapshots'
  | 'serve'
  | 'dtl'
  | 'connector'
  | 'ignored';

export interface OptionSpec {
  /** Long GNU name without dashes, e.g. `whitelist-file` (`--whitelist-file`); camelCased in Options. */
  readonly name: string;
  readonly type: OptionType;
  /** Help text; a command may describe the option its own way (`optionHelp` in registry.ts). */
  readonly help: string;
  /** sesam-py spellings accepted as-is, e.g. `-whitelist-file` (unique prefixes too, as argparse does). */
  readonly legacy?: readonly string[];
  readonly short?: string;
  readonly metavar?: string;
  readonly default?: string | number | boolean;
  /** Help section. Options in 'global' (and 'ignored') are accepted with every command. */
  readonly group: OptionGroup;
  /** Accepted with every command although listed in another help section (sesam-py applies it after any command). */
  readonly global?: boolean;
  /** Accepted for sesam-py compatibility but meaningless here: ignored with a note at -v; not in Options. */
  readonly ignored?: string;
}

const ignoredScheduler = 'the microservice scheduler was removed from sesam-py 2.0; the node runs pipes itself';
const connectorOnly = 'sesam-py accepts it, but none of its connector flows reads it';

export const OPTIONS = [
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
  { name: 'exit-code', type: 'flag', group: 'other', help: 'exit 1 when there are differences' },
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
    help: 'number of runs before verifying',
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
    help: 'verify only this pipe',
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
    help: 'also write a JUnit XML report',
  },
  {
    name: 'bisect-exit-codes',
    type: 'flag',
    group: 'verify',
    help: 'exit 125 when the node could not be tested (for git bisect run)',
  },
  {
    name: 'at',
    type: 'string',
    metavar: 'REV',
    group: 'verify',
    help: 'compare with expected/ as stored at this git revision',
  },
  {
    name: 'run-pytest',
    type: 'string',
    metavar: 'DIR',
    legacy: ['-run-pytest'],
    group: 'verify',
    global: true,
    help: 'run pytest on DIR after the command',
  },
  {
    name: 'pytest-args',
    type: 'string',
    metavar: 'ARGS',
    default: '-rP -v',
    legacy: ['-pytest-args'],
    group: 'verify',
    global: true,
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
    help: 'how long to wait for the node',
  },
  {
    name: 'diff',
    type: 'flag',
    legacy: ['-diff'],
    group: 'other',
    help: 'show a unified diff of each differing file',
  },
  {
    name: 'add-test-entities',
    type: 'flag',
    legacy: ['-add-test-entities'],
    group: 'other',
    help: 'fill test sources with up to 10 entities from the node',
  },
  {
    name: 'force-add',
    type: 'flag',
    legacy: ['-force-add'],
    group: 'other',
    help: 'overwrite existing test entities',
  },
  {
    name: 'template',
    type: 'string',
    metavar: 'NAME',
    default: 'skeleton',
    group: 'other',
    help: 'the template: skeleton or example',
  },
  // snapshots
  { name: 'no-snapshot', type: 'flag', group: 'snapshots', help: 'record no snapshot' },
  {
    name: 'good',
    type: 'string',
    metavar: 'REV',
    group: 'snapshots',
    help: 'a snapshot whose output was right',
  },
  {
    name: 'bad',
    type: 'string',
    metavar: 'REV',
    group: 'snapshots',
    help: 'a snapshot whose output was wrong',
  },
  {
    name: 'expected-at',
    type: 'string',
    metavar: 'REV',
    group: 'snapshots',
    help: 'the revision whose expected/ is the truth (default: --good)',
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
    group: 'serve',
    help: 'the loopback port (serve: default 9042; ui: default a free one; 0 picks a free one)',
  },
  {
    name: 'host',
    type: 'string',
    metavar: 'ADDR',
    default: '127.0.0.1',
    group: 'serve',
    help: 'the address to listen on',
  },
  {
    name: 'data',
    type: 'string',
    metavar: 'DIR',
    group: 'serve',
    help: 'keep the node state in DIR (default .sesam/local-node)',
  },
  { name: 'memory', type: 'flag', group: 'serve', help: 'keep the node state in memory only' },
  // dtl
  { name: 'source', type: 'string', metavar: 'JSON', group: 'dtl', help: 'the source entity _S' },
  {
    name: 'batch',
    type: 'string',
    metavar: 'FILE',
    group: 'dtl',
    help: 'JSON lines from FILE (- for stdin)',
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
    name: 'client_id',
    type: 'string',
    metavar: 'ID',
    group: 'connector',
    help: 'OAuth2 client id (else from .authconfig)',
  },
  {
    name: 'client_secret',
    type: 'string',
    metavar: 'SECRET',
    group: 'connector',
    help: 'OAuth2 client secret (else from .authconfig)',
  },
  {
    name: 'account_id',
    type: 'string',
    metavar: 'ID',
    group: 'connector',
    help: "override the OAuth2 account_id put in the node's env",
  },
  {
    name: 'ignore-refresh-token',
    type: 'flag',
    group: 'connector',
    help: 'do not store an OAuth2 refresh token (for services that issue none)',
  },
  {
    name: 'api_key',
    type: 'string',
    metavar: 'KEY',
    group: 'connector',
    help: 'api_key secret (else from .authconfig)',
  },
  {
    name: 'service_url',
    type: 'string',
    metavar: 'URL',
    group: 'connector',
    help: "the service API URL stored for connectors that need it (default: the node's URL)",
  },
  {
    name: 'service_jwt',
    type: 'string',
    metavar: 'JWT',
    group: 'connector',
    help: 'the service API JWT stored for connectors that need it (default: the JWT in use)',
  },
  {
    name: 'consumer_token',
    type: 'string',
    metavar: 'TOKEN',
    group: 'connector',
    help: 'Tripletex consumer token (else from .authconfig)',
  },
  {
    name: 'employee_token',
    type: 'string',
    metavar: 'TOKEN',
    group: 'connector',
    help: 'Tripletex employee token (else from .authconfig)',
  },
  {
    name: 'base_url',
    type: 'string',
    metavar: 'URL',
    group: 'connector',
    help: "the service's base URL for the node's env (Tripletex: https://api.tripletex.io; OAuth2: the token URL's origin)",
  },
  { name: 'days', type: 'int', metavar: 'N', group: 'ignored', ignored: connectorOnly, help: 'connectors only' },
  {
    name: 'use-client-secret',
    type: 'flag',
    group: 'connector',
    help: 'also send the client_secret in the OAuth2 authorize URL',
  },
  {
    name: 'auth',
    type: 'string',
    metavar: 'SCHEME',
    group: 'connector',
    help: 'the auth scheme of the new connector: oauth2, api_key or jwt (default oauth2)',
  },
  {
    name: 'datatype',
    type: 'string',
    metavar: 'NAME',
    group: 'connector',
    help: 'the datatype to add (or give names as arguments)',
  },
  { name: 'share', type: 'flag', group: 'connector', help: 'also generate a -share pipe and its operations' },
  // reports, progress and watch (issue 12)
  {
    name: 'html-report',
    type: 'string',
    metavar: 'FILE',
    group: 'verify',
    help: 'verify/test: also write a self-contained HTML report of the results',
  },
  { name: 'no-progress', type: 'flag', group: 'global', help: 'no progress display on the terminal' },
  // ui and graph (see also --port, --at)
  { name: 'open', type: 'flag', group: 'other', help: 'ui: open the web app in the default browser' },
  {
    name: 'format',
    type: 'string',
    metavar: 'FMT',
    group: 'other',
    help: 'graph: mermaid, dot, svg or json [default: mermaid]',
  },
  { name: 'output', short: 'o', type: 'string', metavar: 'FILE', group: 'other', help: 'graph: write to FILE' },
  // connectors (expand, and upload/download/status/validate in a folder with manifest.json)
  {
    name: 'connector-dir',
    short: 'd',
    type: 'string',
    metavar: 'DIR',
    default: '.',
    group: 'connector',
    help: 'the connector folder (with manifest.json); upload, download, status and validate work on its expansion',
  },
  {
    name: 'expanded-dir',
    short: 'e',
    type: 'string',
    metavar: 'DIR',
    default: '.expanded',
    group: 'connector',
    help: 'connectors: the expanded folder, relative to the connector folder',
  },
  {
    name: 'system-placeholder',
    type: 'string',
    metavar: 'NAME',
    default: 'xxxxxx',
    group: 'connector',
    help: 'connectors: the system _id put in for {{@ system @}} (and taken out again by download)',
  },
  {
    name: 'skip-auth',
    type: 'flag',
    legacy: ['-skip-auth'],
    group: 'connector',
    help: 'upload in a connector: skip the authentication step',
  },
  // connectors: authenticate
  {
    name: 'callback-port',
    type: 'int',
    metavar: 'PORT',
    default: 5010,
    group: 'connector',
    help: 'the loopback port of the OAuth2 redirect (http://localhost:PORT/login_callback), as registered with the service',
  },
  // serve: trust (server-input)
  {
    name: 'token',
    type: 'string',
    metavar: 'TOKEN',
    group: 'serve',
    help: 'serve: require this bearer token from every client (default: env SESAM_SERVE_TOKEN); clients pass it as --jwt',
  },
  {
    name: 'max-body-mb',
    type: 'int',
    metavar: 'N',
    default: 64,
    group: 'serve',
    help: 'serve: answer 413 to request bodies above N MiB',
  },
] as const satisfies readonly OptionSpec[];

/** The table as plain specs, for code that walks it (parser, help). */
export const OPTION_SPECS: readonly OptionSpec[] = OPTIONS;

type Spec = (typeof OPTIONS)[number];

/** Every option's long name; registry.ts lists them per command, so a typo there is a type error. */
export type OptionName = Spec['name'];

/** `whitelist-file` -> `whitelistFile` (as a type; camelCase() below does it at run time). */
type CamelCase<S extends string> = S extends `${infer H}-${infer T}`
  ? `${H}${Capitalize<CamelCase<T>>}`
  : S extends `${infer H}_${infer T}`
    ? `${H}${Capitalize<CamelCase<T>>}`
    : S;

type ValueOf<T extends OptionType> = T extends 'flag' ? boolean : T extends 'string' ? string : number;
type Active = Exclude<Spec, { ignored: string }>;
/** Flags, counts and options with a default always have a value; the others are undefined when not given. */
type AlwaysSet = Extract<Active, { type: 'flag' | 'count' } | { default: string | number | boolean }>;
type SometimesSet = Exclude<Active, AlwaysSet>;

/** Parsed options, camelCased from the table (`whitelist-file` -> `whitelistFile`). */
export type Options = { [S in AlwaysSet as CamelCase<S['name']>]: ValueOf<S['type']> } & {
  [S in SometimesSet as CamelCase<S['name']>]?: ValueOf<S['type']>;
} & {
  /** Ignored compatibility options that were given, by name, for the -v note. */
  ignoredGiven: string[];
};

export function camelCase(name: string): string {
  return name.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Accepted with every command: sesam-py's global flags, the compatibility flags it ignores, and `global: true`. */
export function isGlobal(spec: OptionSpec): boolean {
  return spec.group === 'global' || spec.group === 'ignored' || spec.global === true;
}

export function takesValue(spec: OptionSpec): boolean {
  return spec.type !== 'flag' && spec.type !== 'count';
}

/** The value an option has when it is not given. */
export function defaultValue(spec: OptionSpec): string | number | boolean | undefined {
  if (spec.default !== undefined) return spec.default;
  if (spec.type === 'flag') return false;
  if (spec.type === 'count') return 0;
  return undefined;
}

/** Options from given values (by long name) plus every default, for main and for commands called in tests. */
export function buildOptions(given: ReadonlyMap<string, string | number | boolean> = new Map()): Options {
  const out: Record<string, unknown> = { ignoredGiven: [] };
  for (const spec of OPTION_SPECS) {
    if (spec.ignored) continue;
    out[camelCase(spec.name)] = given.get(spec.name) ?? defaultValue(spec);
  }
  // The one place the table's values meet the derived type: every key above comes from the same OPTIONS.
  return out as Options;
}

/** Options with every default filled in, for commands called directly (tests) rather than through main. */
export function defaultOptions(overrides: Partial<Options> = {}): Options {
  return { ...buildOptions(), ...overrides };
}
