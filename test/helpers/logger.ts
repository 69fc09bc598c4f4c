// A Logger that records what it prints, for unit tests of core modules.
import { createLogger, Redactor, type Logger } from '../../src/log.js';

export function captureLogger(verbosity = 0): { log: Logger; text: () => string } {
  let out = '';
  const log = createLogger({
    stream: {
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    verbosity,
    color: false,
    redactor: new Redactor(),
  });
  return { log, text: () => out };
}
