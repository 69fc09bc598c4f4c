// Sources that need an external system (sql, rest, ...): valid config, read as empty with a note.
import type { SourceType } from './types.js';

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
