// One config problem as the node reports it (level, message, JSONPath-ish `elements`).
export interface ConfigError {
  level: 'error' | 'warning';
  msg: string;
  elements: string;
}
