// The empty source: no entities, always a full (so deletion-tracking) read.
import type { SourceType } from './types.js';

export const emptySource: SourceType = {
  role: 'input',
  addNamespaces: false,
  testAlternative: true,
  read: () => ({ entities: [], full: true, position: null }),
};
