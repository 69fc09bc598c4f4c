// Command contexts and node clients for tests of run/verify/update/test against the fake node (msw-node.ts),
// calling the command modules' exported functions directly.
import { defaultOptions, type Options } from '../../src/cli/options.js';
import type { CommandContext } from '../../src/commands/context.js';
import type { JsonObject } from '../../src/format/json.js';
import { createLogger, createOutput, Redactor } from '../../src/log.js';
import { createNodeApi } from '../../src/node/client.js';
import type { NodeApi } from '../../src/node/types.js';
import type { FakeNode } from './msw-node.js';
import { tempProject } from './tmp.js';

export interface TestContext {
  ctx: CommandContext;
  stdout: () => string;
  stderr: () => string;
  abort: () => void;
}

export function makeContext(
  cwd: string,
  options: Partial<Options> = {},
  env: Record<string, string> = {},
): TestContext {
  let out = '';
  let err = '';
  const redactor = new Redactor();
  const controller = new AbortController();
  const o = defaultOptions(options);
  const ctx: CommandContext = {
    command: 'verify',
    args: [],
    options: o,
    cwd,
    env,
    out: createOutput(
      {
        write: (s: string) => {
          out += s;
          return true;
        },
      },
      redactor,
      false,
    ),
    log: createLogger({
      stream: {
        write: (s: string) => {
          err += s;
          return true;
        },
      },
      verbosity: o.verbose,
      color: false,
      redactor,
    }),
    signal: controller.signal,
    prompt: {
      interactive: false,
      ask: async () => '',
      confirm: async () => false,
    },
  };
  return { ctx, stdout: () => out, stderr: () => err, abort: () => controller.abort(new Error('interrupted')) };
}

export function fakeApi(node: FakeNode, ctx: CommandContext): NodeApi {
  return createNodeApi({
    baseUrl: node.baseUrl,
    jwt: node.jwt,
    log: ctx.log,
    label: 'fake0001',
    retries: 0,
    sleep: async () => {},
  });
}

/** Pipe configs for the fake node: output (dataset sink-less), endpoint and input pipes. */
export const outputPipe = (id: string, extra: JsonObject = {}): JsonObject => ({
  _id: id,
  type: 'pipe',
  source: { type: 'dataset', dataset: 'in' },
  sink: { type: 'null' },
  ...extra,
});
export const endpointPipe = (id: string, sinkType = 'csv_endpoint'): JsonObject => ({
  _id: id,
  type: 'pipe',
  source: { type: 'dataset', dataset: 'in' },
  sink: { type: sinkType },
});
export const inputPipe = (id: string): JsonObject => ({
  _id: id,
  type: 'pipe',
  source: { type: 'embedded', entities: [] },
});

/** A project with one output pipe `out` and its spec: `expected` is the JSON text of expected/out.json. */
export function outputPipeProject(expected: string): string {
  return tempProject({
    'pipes/out.conf.json': `${JSON.stringify(outputPipe('out'), null, 2)}\n`,
    'node-metadata.conf.json': '{"_id": "node", "type": "metadata"}\n',
    'test-env.json': '{"node-env": "test"}\n',
    'expected/out.test.json': '{}',
    'expected/out.json': expected,
  });
}
