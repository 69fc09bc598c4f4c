// What every source gives the pump: the entities of one read, whether the read was complete (so the sink may
// deletion-track), and the new continuation token (`last-seen`).
import type { JsonObject } from '../../format/json.js';
import type { PipeDefinition } from '../pipes.js';
import type { NodeStore, PipeState } from '../store.js';

export interface SourceBatch {
  entities: JsonObject[];
  /** True when this read saw everything the source has (full run → deletion tracking downstream). */
  full: boolean;
  /** New last-seen (continuation token), or null when the source has none. */
  position: string | null;
}

export interface SourceContext {
  store: NodeStore;
  def: PipeDefinition;
  /** Mutable pipe state; sources may keep memory in state.extra (saved with the run). */
  state: PipeState;
  /** A note for the run log (e.g. an external source read as empty). */
  note(message: string): void;
}

/** Continuation token of multi-dataset sources: each dataset's next offset. */
export function datasetsPosition(store: NodeStore, datasets: readonly string[]): string {
  const pos: Record<string, number> = {};
  for (const d of datasets) pos[d] = store.dataset(d)?.nextOffset ?? 0;
  return JSON.stringify(pos);
}
