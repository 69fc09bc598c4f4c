// The embedded source: the entities listed in the config; always a full read.
import { isJsonObject, type JsonObject } from '../../format/json.js';
import type { SourceType } from './types.js';

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
