// What every sink type declares (registered in sinks/index.ts).
import type { JsonObject } from '../../format/json.js';
import type { ConfigError } from '../config-errors.js';

export interface SinkType {
  external?: boolean;
  /** Namespaces are removed by default when namespaced identifiers are on. */
  removeNamespaces: boolean;
  /** The publisher endpoint (`/publishers/<pipe>/<endpoint>`) serving the pipe's output. */
  endpoint?: 'entities' | 'csv' | 'xml';
  /** Documented defaults a node fills in (effective config). */
  defaults?(sink: JsonObject, pipeId: string): JsonObject;
  validate?(sink: JsonObject, at: string, errors: ConfigError[]): void;
  /** The dataset written. */
  dataset?(sink: JsonObject): string | undefined;
}
