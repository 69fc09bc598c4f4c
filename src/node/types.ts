// The Sesam node API as the commands use it. src/node/client.ts implements it over HTTP (the only module that
// speaks HTTP); the embedded node (src/local-node) serves the same API, in-process or on a loopback port.
import type { JsonObject, JsonValue } from '../format/json.js';

/** A pipe as GET /api/pipes returns it. */
export interface PipeInfo {
  _id: string;
  config: { original: JsonObject; effective: JsonObject };
  runtime: JsonObject;
}

export interface ConfigUploadResult {
  validationErrors: JsonValue[];
}

export type PipeStage = 'source' | 'before-transforms' | 'after-transforms' | 'sink';

/** Query parameters of POST /api/pipes/run-all-pipes, as sesam-py sends them. */
export interface RunAllPipesParams {
  extraZeroRuns: number;
  maxRunTime: number;
  maxRuns: number;
  /** Only sent when set: false when testdata/ was pushed to receivers. */
  deleteInputDatasets?: boolean;
  checkInputPipes?: boolean;
  resetPipesAndDeleteSinkDatasets?: boolean;
  outputRunStatistics?: boolean;
  schedulerMode?: string;
  requestMode: 'sync' | 'async';
}

export interface RunnerLogLine {
  timestamp: string;
  loglevel: string;
  logdata: JsonValue;
}

export interface NodeApi {
  /** e.g. `https://datahub-1a2b3c.sesam.cloud/api`, or `local`. */
  readonly baseUrl: string;
  /** Short node name for snapshot branches: the host's first label, or `local`. */
  readonly label: string;

  getInfo(): Promise<JsonObject>; // GET /
  getStatus(): Promise<JsonObject>; // GET /status
  admin(operation: 'restart' | 'reset'): Promise<JsonObject>; // POST /admin

  getEnv(): Promise<JsonObject>;
  putEnv(env: JsonObject): Promise<void>;

  getConfigZip(): Promise<Uint8Array>; // GET /config, Accept: application/zip
  getConfigJson(): Promise<JsonValue[]>;
  /** PUT /config; throws a SesamError (kind node, with the node's validation errors) on 400. */
  putConfig(
    body: { zip: Uint8Array } | { json: JsonValue[] },
    options: { force: boolean },
  ): Promise<ConfigUploadResult>;

  getPipes(): Promise<PipeInfo[]>;
  /** null when the node answers 404. */
  getPipe(id: string): Promise<PipeInfo | null>;
  getPump(id: string): Promise<JsonObject>;
  pumpOperation(id: string, operation: string, params?: Record<string, string>): Promise<JsonObject>;
  /** Entities (lossless JSON) produced by the pipe at a stage (default sink). */
  getPipeEntities(id: string, options?: { stage?: PipeStage }): Promise<JsonValue[]>;
  /** Raw bytes of a publisher endpoint: entities, csv, xml, ... with the test spec's parameters. */
  getPublished(id: string, endpoint: string, params?: Record<string, string>): Promise<Uint8Array>;
  /** POST /receivers/{id}/entities with a JSON text body. */
  postReceiverEntities(id: string, body: string): Promise<void>;

  runAllPipes(params: RunAllPipesParams): Promise<JsonObject>;
  getRunnerStatus(token: string): Promise<JsonObject>;
  getRunnerLog(options?: { since?: string; token?: string }): Promise<RunnerLogLine[]>;
  stopRunner(): Promise<void>;

  getDataset(id: string): Promise<JsonObject | null>;
  getDatasetEntities(id: string, params?: Record<string, string>): Promise<JsonValue[]>;
  deleteDataset(id: string): Promise<void>;

  getSecrets(): Promise<string[]>;
  putSecrets(secrets: Record<string, string>): Promise<void>;

  // Connector tooling (authenticate, update-schemas).
  /** GET /systems: the node's systems (each with its `_id`). */
  getSystems(): Promise<JsonObject[]>;
  /** PUT /systems/{id}/secrets?encrypt=true: the system's secrets (names to values). */
  putSystemSecrets(systemId: string, secrets: Record<string, string>): Promise<void>;
  /** GET /metadata: `{"_id": "node", "config": {"original", "effective"}}`. */
  getMetadata(): Promise<JsonObject>;
  /** PUT /metadata with the metadata entity. */
  putMetadata(metadata: JsonObject): Promise<void>;
  /** GET /pipes/{id}/entity-types/{stage}: the JSON schema the node inferred for the pipe's entities. */
  getPipeEntityTypes(id: string, stage?: 'sink' | 'source'): Promise<JsonObject>;
}
