// The command table: names, one-line summaries and the functions that implement them.
import type { Command } from '../commands/context.js';

export interface CommandSpec {
  name: string;
  summary: string;
  usage?: string;
  group: 'sesam-py' | 'snapshots' | 'local' | 'tools';
  load: () => Promise<Command>;
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'upload',
    group: 'sesam-py',
    summary: 'upload the config, env and test data to the node',
    load: async () => (await import('../commands/upload.js')).upload,
  },
  {
    name: 'download',
    group: 'sesam-py',
    summary: "replace the local config with the node's (records a snapshot)",
    load: async () => (await import('../commands/download.js')).download,
  },
  {
    name: 'status',
    group: 'sesam-py',
    summary: "compare the local config with the node's",
    load: async () => (await import('../commands/status.js')).status,
  },
  {
    name: 'run',
    group: 'sesam-py',
    summary: 'run all pipes on the node until stable',
    load: async () => (await import('../commands/run.js')).run,
  },
  {
    name: 'verify',
    group: 'sesam-py',
    summary: "compare the node's output with expected/",
    load: async () => (await import('../commands/verify.js')).verify,
  },
  {
    name: 'update',
    group: 'sesam-py',
    summary: "write the node's output to expected/ (records a snapshot)",
    load: async () => (await import('../commands/update.js')).update,
  },
  {
    name: 'test',
    group: 'sesam-py',
    summary: 'upload, run and verify',
    load: async () => (await import('../commands/test.js')).test,
  },
  {
    name: 'wipe',
    group: 'sesam-py',
    summary: 'remove all pipes, systems and env vars from the node',
    load: async () => (await import('../commands/wipe.js')).wipe,
  },
  {
    name: 'restart',
    group: 'sesam-py',
    summary: 'restart the node and wait for it',
    load: async () => (await import('../commands/restart.js')).restart,
  },
  {
    name: 'reset',
    group: 'sesam-py',
    summary: 'reset the node (config, datasets, env) and wait for it',
    load: async () => (await import('../commands/restart.js')).reset,
  },
  {
    name: 'stop',
    group: 'sesam-py',
    summary: 'stop a running pipe runner',
    load: async () => (await import('../commands/stop.js')).stop,
  },
  {
    name: 'init',
    group: 'sesam-py',
    summary: 'first-run setup (node and JWT), or add conditional test sources to input pipes',
    load: async () => (await import('../commands/init.js')).init,
  },
  {
    name: 'login',
    group: 'sesam-py',
    summary: 'obtain a JWT with email and password and store it in .syncconfig',
    load: async () => (await import('../commands/init.js')).login,
  },
  {
    name: 'validate',
    group: 'sesam-py',
    summary: 'check the project offline: JSON, ids, references',
    load: async () => (await import('../commands/validate.js')).validate,
  },
  {
    name: 'dump',
    group: 'sesam-py',
    summary: 'write the local config to sesam-config.zip',
    load: async () => (await import('../commands/dump.js')).dump,
  },
  {
    name: 'convert',
    group: 'sesam-py',
    summary: 'turn embedded test entities into testdata/ files',
    load: async () => (await import('../commands/convert.js')).convert,
  },
  {
    name: 'format',
    group: 'sesam-py',
    summary: 'format config, testdata and expected files',
    usage: 'format [all|pipes|systems|testdata|expected|FILE]',
    load: async () => (await import('../commands/format.js')).format,
  },
  {
    name: 'run-pytest',
    group: 'sesam-py',
    summary: 'run pytest on a folder of tests',
    usage: 'run-pytest DIR',
    load: async () => (await import('../commands/pytest.js')).runPytest,
  },
  {
    name: 'log',
    group: 'snapshots',
    summary: 'list snapshots, newest first',
    load: async () => (await import('../commands/log.js')).log,
  },
  {
    name: 'show',
    group: 'snapshots',
    summary: 'show one snapshot',
    usage: 'show REF',
    load: async () => (await import('../commands/show.js')).show,
  },
  {
    name: 'diff',
    group: 'snapshots',
    summary: 'compare two snapshots, revisions or the work tree',
    usage: 'diff A [B]',
    load: async () => (await import('../commands/diff.js')).diff,
  },
  {
    name: 'restore',
    group: 'snapshots',
    summary: 'upload the configuration of an earlier revision',
    usage: 'restore REF',
    load: async () => (await import('../commands/restore.js')).restore,
  },
  {
    name: 'bisect',
    group: 'snapshots',
    summary: 'find the snapshot that broke an output',
    usage: 'bisect --good REV --bad REV | bisect reset',
    load: async () => (await import('../commands/bisect.js')).bisect,
  },
  {
    name: 'serve',
    group: 'local',
    summary: 'run the embedded Sesam-compatible node',
    load: async () => (await import('../commands/serve.js')).serve,
  },
  {
    name: 'new',
    group: 'local',
    summary: 'create a project from a template',
    usage: 'new DIR [--template example|skeleton]',
    load: async () => (await import('../commands/new.js')).newProject,
  },
  {
    name: 'dtl',
    group: 'tools',
    summary: 'evaluate DTL expressions and transforms',
    usage: 'dtl eval|transform ...',
    load: async () => (await import('../commands/dtl.js')).dtl,
  },
];

/** sesam-py commands for connector projects, which this client does not support. */
export const CONNECTOR_COMMANDS = ['expand', 'connector-init', 'authenticate', 'add-datatype', 'update-schemas'];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
