// The command table: names, one-line summaries, the options each command takes and the functions that implement
// them. A command accepts the global options (options.ts: isGlobal) plus those in its `options`; any other option
// is a usage error (sesam-py's own single-dash spellings excepted: sesam-py accepts all of them everywhere).
import type { Command } from '../commands/context.js';
import { OPTIONS, type OptionGroup, type OptionName } from './options.js';

export interface CommandSpec {
  name: string;
  summary: string;
  usage?: string;
  group: 'sesam-py' | 'snapshots' | 'local' | 'tools' | 'connector';
  /** The options this command takes besides the global ones, in the order its --help lists them. */
  options: readonly OptionName[];
  /** How this command's --help describes an option, where the table's text does not fit it. */
  optionHelp?: Partial<Record<OptionName, string>>;
  load: () => Promise<Command>;
}

const inGroup = (group: OptionGroup): OptionName[] => OPTIONS.filter((o) => o.group === group).map((o) => o.name);
const RUN: OptionName[] = inGroup('run').filter((name) => name !== 'runs');
const UPLOAD: OptionName[] = inGroup('upload');
const VERIFY: OptionName[] = ['single', 'no-large-int-bugs', 'junit-xml', 'html-report', 'bisect-exit-codes'];
/** In a folder with manifest.json these commands work on the connector's expansion. */
const CONNECTOR: OptionName[] = ['connector-dir', 'expanded-dir', 'system-placeholder'];
const UPLOAD_ONLY_NOTE = 'accepted as sesam-py does, with a warning: it only has an effect on upload and test';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'upload',
    group: 'sesam-py',
    summary: 'upload the config, env and test data to the node',
    options: [...UPLOAD, ...CONNECTOR, 'skip-auth'],
    load: async () => (await import('../commands/upload.js')).upload,
  },
  {
    name: 'download',
    group: 'sesam-py',
    summary: "replace the local config with the node's (records a snapshot)",
    options: ['no-snapshot', ...CONNECTOR],
    load: async () => (await import('../commands/download.js')).download,
  },
  {
    name: 'status',
    group: 'sesam-py',
    summary: "compare the local config with the node's",
    options: ['diff', 'exit-code', ...CONNECTOR],
    optionHelp: { 'exit-code': 'exit 1 when the node is not in sync' },
    load: async () => (await import('../commands/status.js')).status,
  },
  {
    name: 'run',
    group: 'sesam-py',
    summary: 'run all pipes on the node until stable',
    options: [...RUN, 'enable-user-pipes', 'enable-eager-ms', 'disable-cpp-extensions'],
    optionHelp: {
      'enable-user-pipes': UPLOAD_ONLY_NOTE,
      'enable-eager-ms': UPLOAD_ONLY_NOTE,
      'disable-cpp-extensions': UPLOAD_ONLY_NOTE,
    },
    load: async () => (await import('../commands/run.js')).run,
  },
  {
    name: 'verify',
    group: 'sesam-py',
    summary: "compare the node's output with expected/",
    options: [...VERIFY, 'at'],
    load: async () => (await import('../commands/verify.js')).verify,
  },
  {
    name: 'update',
    group: 'sesam-py',
    summary: "write the node's output to expected/ (records a snapshot)",
    options: ['single', 'no-large-int-bugs', 'unicode-encoding', 'disable-json-html-escape', 'no-snapshot'],
    optionHelp: { single: 'update only the expected output of this pipe' },
    load: async () => (await import('../commands/update.js')).update,
  },
  {
    name: 'test',
    group: 'sesam-py',
    summary: 'upload, run and verify',
    options: [...UPLOAD, ...RUN, 'runs', ...VERIFY],
    load: async () => (await import('../commands/test.js')).test,
  },
  {
    name: 'wipe',
    group: 'sesam-py',
    summary: 'remove all pipes, systems and env vars from the node',
    options: [],
    load: async () => (await import('../commands/wipe.js')).wipe,
  },
  {
    name: 'restart',
    group: 'sesam-py',
    summary: 'restart the node and wait for it',
    options: ['restart-timeout'],
    load: async () => (await import('../commands/restart.js')).restart,
  },
  {
    name: 'reset',
    group: 'sesam-py',
    summary: 'reset the node (config, datasets, env) and wait for it',
    options: ['restart-timeout'],
    load: async () => (await import('../commands/restart.js')).reset,
  },
  {
    name: 'stop',
    group: 'sesam-py',
    summary: 'stop a running pipe runner',
    options: [],
    load: async () => (await import('../commands/stop.js')).stop,
  },
  {
    name: 'init',
    group: 'sesam-py',
    summary: 'first-run setup (node and JWT), or add conditional test sources to input pipes',
    options: ['add-test-entities', 'force-add'],
    load: async () => (await import('../commands/init.js')).init,
  },
  {
    name: 'login',
    group: 'sesam-py',
    summary: 'obtain a JWT with email and password and store it in .syncconfig',
    options: [],
    load: async () => (await import('../commands/init.js')).login,
  },
  {
    name: 'validate',
    group: 'sesam-py',
    summary: 'check the project offline: JSON, ids, references',
    options: [...CONNECTOR],
    load: async () => (await import('../commands/validate.js')).validate,
  },
  {
    name: 'dump',
    group: 'sesam-py',
    summary: 'write the local config to sesam-config.zip',
    options: [],
    load: async () => (await import('../commands/dump.js')).dump,
  },
  {
    name: 'convert',
    group: 'sesam-py',
    summary: 'turn embedded test entities into testdata/ files',
    options: [],
    load: async () => (await import('../commands/convert.js')).convert,
  },
  {
    name: 'format',
    group: 'sesam-py',
    summary: 'format config, testdata and expected files',
    usage: 'format [all|pipes|systems|testdata|expected|FILE]',
    options: ['unicode-encoding', 'disable-json-html-escape'],
    load: async () => (await import('../commands/format.js')).format,
  },
  {
    name: 'run-pytest',
    group: 'sesam-py',
    summary: 'run pytest on a folder of tests',
    usage: 'run-pytest DIR',
    options: [],
    load: async () => (await import('../commands/pytest.js')).runPytest,
  },
  {
    name: 'log',
    group: 'snapshots',
    summary: 'list snapshots, newest first',
    options: ['limit'],
    load: async () => (await import('../commands/log.js')).log,
  },
  {
    name: 'show',
    group: 'snapshots',
    summary: 'show one snapshot',
    usage: 'show REF',
    options: [],
    load: async () => (await import('../commands/show.js')).show,
  },
  {
    name: 'diff',
    group: 'snapshots',
    summary: 'compare two snapshots, revisions or the work tree',
    usage: 'diff A [B]',
    options: ['exit-code'],
    optionHelp: { 'exit-code': 'exit 1 when A and B differ' },
    load: async () => (await import('../commands/diff.js')).diff,
  },
  {
    name: 'restore',
    group: 'snapshots',
    summary: 'upload the configuration of an earlier revision',
    usage: 'restore REF',
    options: ['yes', 'dry-run', 'write', 'no-snapshot'],
    load: async () => (await import('../commands/restore.js')).restore,
  },
  {
    name: 'bisect',
    group: 'snapshots',
    summary: 'find the snapshot that broke an output',
    usage: 'bisect --good REV --bad REV | bisect reset',
    options: ['good', 'bad', 'expected-at', 'bisect-exit-codes'],
    optionHelp: { 'bisect-exit-codes': 'exit 125 when a step could not be tested (for git bisect run)' },
    load: async () => (await import('../commands/bisect.js')).bisect,
  },
  {
    name: 'serve',
    group: 'local',
    summary: 'run the embedded Sesam-compatible node',
    options: inGroup('serve'),
    load: async () => (await import('../commands/serve.js')).serve,
  },
  {
    name: 'new',
    group: 'local',
    summary: 'create a project from a template',
    usage: 'new DIR [--template example|skeleton]',
    options: ['template'],
    load: async () => (await import('../commands/new.js')).newProject,
  },
  {
    name: 'dtl',
    group: 'tools',
    summary: 'evaluate DTL expressions and transforms',
    usage: 'dtl eval|transform ...',
    options: inGroup('dtl'),
    load: async () => (await import('../commands/dtl.js')).dtl,
  },
  // reports and watch (issue 12)
  {
    name: 'watch',
    group: 'local',
    summary: 'upload, run and verify again on every change to the project',
    usage: 'watch [--node local]',
    options: [...UPLOAD, ...RUN, 'single', 'no-large-int-bugs', 'html-report'],
    load: async () => (await import('../commands/watch.js')).watch,
  },
  // ui and graph
  {
    name: 'ui',
    group: 'snapshots',
    summary: 'open the web app: snapshot history and diffs, test results, the pipe graph',
    usage: 'ui [--port N] [--open]',
    options: ['port', 'open'],
    load: async () => (await import('../commands/ui.js')).ui,
  },
  {
    name: 'graph',
    group: 'tools',
    summary: 'draw the pipe and dataset dependency graph',
    usage: 'graph [--format mermaid|dot|svg|json] [--at REV] [-o FILE]',
    options: ['format', 'at', 'output'],
    load: async () => (await import('../commands/graph.js')).graph,
  },
  // connectors
  {
    name: 'expand',
    group: 'connector',
    summary: 'render the connector templates into the expanded folder (offline)',
    usage: 'expand [-d DIR] [-e DIR] [--system-placeholder NAME]',
    options: ['connector-dir', 'expanded-dir', 'system-placeholder'],
    load: async () => (await import('../commands/expand.js')).expand,
  },
  // connectors: authentication, scaffolding and schemas
  {
    name: 'authenticate',
    group: 'connector',
    summary: "log in to the connector's service and store its secrets and env on the node",
    options: [
      'connector-dir',
      'system-placeholder',
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
    ],
    load: async () => (await import('../commands/authenticate.js')).authenticate,
  },
  {
    name: 'connector-init',
    group: 'connector',
    summary: 'start a connector: manifest.json, templates/system.json and a README',
    usage: 'connector-init [-d DIR] [--auth oauth2|api_key|jwt]',
    options: ['connector-dir', 'auth'],
    load: async () => (await import('../commands/connector-init.js')).connectorInit,
  },
  {
    name: 'add-datatype',
    group: 'connector',
    summary: "add datatypes to a connector: templates, manifest entries and the system's operations",
    usage: 'add-datatype NAME... [--share]',
    options: ['connector-dir', 'datatype', 'share', 'force'],
    optionHelp: { force: "generate an existing datatype's template again" },
    load: async () => (await import('../commands/connector-init.js')).addDatatype,
  },
  {
    name: 'update-schemas',
    group: 'connector',
    summary: "write schemas/ and schema.csv from the node's inferred entity types of the collect pipes",
    options: ['connector-dir', 'system-placeholder'],
    load: async () => (await import('../commands/update-schemas.js')).updateSchemas,
  },
];

/** sesam-py's help text spells `connector-init` as `connector_init`; both are accepted. */
const ALIASES: Record<string, string> = { connector_init: 'connector-init' };

export function findCommand(name: string): CommandSpec | undefined {
  const canonical = ALIASES[name] ?? name;
  return COMMANDS.find((c) => c.name === canonical);
}
