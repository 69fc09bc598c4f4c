// Sources that read no dataset: embedded entities from the config, the empty source, the http_endpoint receiver
// (what was pushed to the pipe's receiver dataset), and the types that need an external system (sql, rest, ...),
// which read as empty with a note.
import { isJsonObject, type JsonObject } from '../../format/json.js';
import type { SourceType } from './types.js';

export const RECEIVER_DATASET_PREFIX = 'system:receiver:';

export const embeddedSource: SourceType = {
  role: 'input',
  addNamespaces: true,
  testAlternative: false,
  validate(source, at, errors) {
    if (source.entities !== undefined && !Array.isArray(source.entities)) {
      errors.push({ level: 'error', msg: "'entities' must be a list", elements: `${at}['entities']` });
    }
  },
  read({ def }) {
    const raw = Array.isArray(def.source.entities) ? def.source.entities : [];
    return { entities: raw.filter(isJsonObject) as JsonObject[], full: true, position: null };
  },
};

export const emptySource: SourceType = {
  role: 'input',
  addNamespaces: false,
  testAlternative: true,
  read: () => ({ entities: [], full: true, position: null }),
};

export const httpEndpointSource: SourceType = {
  role: 'receiver',
  addNamespaces: true,
  testAlternative: true,
  datasets: (_source, pipeId) => [RECEIVER_DATASET_PREFIX + pipeId],
  read({ store, def }) {
    const entities = store.read(RECEIVER_DATASET_PREFIX + def.id, { history: false, deleted: true });
    return { entities, full: true, position: null };
  },
};

/** An external source: valid config, read as empty (and populated, so pipes downstream run) with a note. */
export function externalSource(addNamespaces: boolean): SourceType {
  return {
    role: 'input',
    external: true,
    addNamespaces,
    testAlternative: true,
    read({ def, note }, since) {
      note(
        `pipe '${def.id}': source type '${String(def.source.type)}' needs an external system; ` +
          'the embedded node reads it as empty',
      );
      return { entities: [], full: false, position: since, populated: true };
    },
  };
}
