// The engine's errors carry the HTTP status to answer with. Kept apart from engine.ts so the HTTP layer (and its
// fake-engine tests) can recognise them without loading the store and the DTL engine.
import type { JsonObject } from '../format/json.js';

export class EngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: JsonObject,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
