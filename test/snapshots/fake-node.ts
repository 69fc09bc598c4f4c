// An in-memory NodeApi for restore/bisect tests: config (as the uploaded zip) and env, with call counting and
// fault injection. Methods the snapshot commands never call fail loudly.
import { isJsonObject, parseJson, type JsonObject, type JsonValue } from '../../src/format/json.js';
import { nodeError } from '../../src/errors.js';
import type { ConfigUploadResult, NodeApi } from '../../src/node/types.js';
import { createZip, readZip } from '../../src/workspace/zip.js';

export class FakeNode implements NodeApi {
  readonly baseUrl: string;
  configZip: Uint8Array;
  env: JsonObject;
  calls: string[] = [];
  closed = 0;
  /** Throw a node error from putConfig when this returns a message. */
  rejectConfig?: (entries: Map<string, Uint8Array>) => string | undefined;

  constructor(
    readonly label: string,
    files: Record<string, string> = {},
    env: JsonObject = {},
  ) {
    this.baseUrl = `https://${label}.sesam.cloud/api`;
    this.configZip = createZip(Object.entries(files).map(([path, data]) => ({ path, data })));
    this.env = env;
  }

  /** The node's current config entries as parsed JSON. */
  config(): Map<string, JsonValue> {
    const out = new Map<string, JsonValue>();
    for (const [path, data] of readZip(this.configZip)) out.set(path, parseJson(Buffer.from(data).toString('utf8')));
    return out;
  }

  pipe(id: string): JsonObject | undefined {
    for (const value of this.config().values()) if (isJsonObject(value) && value._id === id) return value;
    return undefined;
  }

  async getConfigZip() {
    this.calls.push('getConfigZip');
    return this.configZip;
  }
  async getEnv() {
    this.calls.push('getEnv');
    return this.env;
  }
  async putConfig(body: { zip: Uint8Array } | { json: JsonValue[] }): Promise<ConfigUploadResult> {
    this.calls.push('putConfig');
    if (!('zip' in body)) throw new Error('FakeNode expects a zip');
    const message = this.rejectConfig?.(readZip(body.zip));
    if (message) throw nodeError('The node rejected the config', { reason: message });
    this.configZip = body.zip;
    return { validationErrors: [] };
  }
  async putEnv(env: JsonObject) {
    this.calls.push('putEnv');
    this.env = env;
  }
  async stopRunner() {
    this.calls.push('stopRunner');
  }
  async close() {
    this.closed++;
  }

  private unexpected(name: string): never {
    throw new Error(`FakeNode: ${name} is not expected in snapshot tests`);
  }
  getInfo = () => this.unexpected('getInfo');
  getStatus = () => this.unexpected('getStatus');
  admin = () => this.unexpected('admin');
  getConfigJson = () => this.unexpected('getConfigJson');
  getPipes = () => this.unexpected('getPipes');
  getPipe = () => this.unexpected('getPipe');
  getPump = () => this.unexpected('getPump');
  pumpOperation = () => this.unexpected('pumpOperation');
  getPipeEntities = () => this.unexpected('getPipeEntities');
  getPublished = () => this.unexpected('getPublished');
  postReceiverEntities = () => this.unexpected('postReceiverEntities');
  runAllPipes = () => this.unexpected('runAllPipes');
  getRunnerStatus = () => this.unexpected('getRunnerStatus');
  getRunnerLog = () => this.unexpected('getRunnerLog');
  getDataset = () => this.unexpected('getDataset');
  getDatasetEntities = () => this.unexpected('getDatasetEntities');
  deleteDataset = () => this.unexpected('deleteDataset');
  getSecrets = () => this.unexpected('getSecrets');
  putSecrets = () => this.unexpected('putSecrets');
  getSystems = () => this.unexpected('getSystems');
  putSystemSecrets = () => this.unexpected('putSystemSecrets');
  getMetadata = () => this.unexpected('getMetadata');
  putMetadata = () => this.unexpected('putMetadata');
  getPipeEntityTypes = () => this.unexpected('getPipeEntityTypes');
}
