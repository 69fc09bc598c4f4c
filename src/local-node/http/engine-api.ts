// The engine as the HTTP layer sees it: the public members of NodeEngine. Routing code depends on this shape
// only, so tests can drive it with a small in-memory engine as well as the real one.
import type { NodeEngine } from '../engine.js';

export type EngineApi = Pick<NodeEngine, keyof NodeEngine>;
