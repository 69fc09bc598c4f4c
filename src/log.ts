// Output channels: results go to stdout (Output), logs to stderr (Logger; progress: src/progress.ts). Both redact secrets,
// so a JWT never reaches a terminal or a CI log whatever a message contains.
import { createColors } from 'picocolors';

export type Colors = ReturnType<typeof createColors>;

export interface TextStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class Redactor {
  private secrets: string[] = [];
  add(secret: string | undefined): void {
    if (secret && secret.length >= 8 && !this.secrets.includes(secret)) this.secrets.push(secret);
  }
  apply(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('<redacted>');
    return out;
  }
}

/** Colour on or off for one stream: --no-color/NO_COLOR beat --color/FORCE_COLOR, which beat the TTY check. */
export function useColor(
  stream: TextStream,
  env: Readonly<Record<string, string | undefined>>,
  flag?: boolean,
): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (flag === true) return true;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export interface Output {
  readonly colors: Colors;
  readonly isTTY: boolean;
  write(text: string): void;
  line(text?: string): void;
  /** The one JSON document of a --json run; schemaVersion is added. */
  json(doc: Record<string, unknown>): void;
  readonly wroteJson: boolean;
}

export function createOutput(stream: TextStream, redactor: Redactor, color: boolean): Output {
  let wroteJson = false;
  return {
    colors: createColors(color),
    isTTY: Boolean(stream.isTTY),
    write: (text) => void stream.write(redactor.apply(text)),
    line: (text = '') => void stream.write(`${redactor.apply(text)}\n`),
    json(doc) {
      wroteJson = true;
      stream.write(`${redactor.apply(JSON.stringify({ schemaVersion: 1, ...doc }, jsonReplacer, 2))}\n`);
    },
    get wroteJson() {
      return wroteJson;
    },
  };
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export interface Location {
  file?: string;
  line?: number;
  column?: number;
}

export type LogFormat = 'short' | 'log' | 'azure';

export interface Logger {
  readonly verbosity: number;
  readonly colors: Colors;
  info(message: string): void;
  success(message: string): void;
  warn(message: string, where?: Location): void;
  error(message: string, where?: Location): void;
  /** -v */
  debug(message: string): void;
  /** -vv */
  trace(message: string): void;
  /** -vvv: HTTP traffic */
  wire(message: string): void;
  /** Never print this value (a JWT, a password). */
  redact(secret: string | undefined): void;
}

export interface LoggerOptions {
  stream: TextStream;
  verbosity: number;
  color: boolean;
  format?: LogFormat;
  /** Emit GitHub Actions `::error` annotations for errors with a location. */
  github?: boolean;
  redactor?: Redactor;
  now?: () => Date;
}

export function createLogger(options: LoggerOptions): Logger {
  const { stream, verbosity } = options;
  const redactor = options.redactor ?? new Redactor();
  const colors = createColors(options.color);
  const format = options.format ?? 'short';
  const now = options.now ?? (() => new Date());

  const emit = (level: string, text: string) => {
    let line = redactor.apply(text);
    if (format === 'log') line = `${now().toISOString()} - sesam - ${level} - ${line}`;
    stream.write(`${line}\n`);
  };

  const annotate = (type: 'error' | 'warning', message: string, where?: Location) => {
    if (format === 'azure') {
      const loc = where?.file
        ? `sourcepath=${where.file};${where.line ? `linenumber=${where.line};` : ''}${where.column ? `columnnumber=${where.column};` : ''}`
        : '';
      emit(type.toUpperCase(), `##vso[task.logissue type=${type};${loc}]${message}`);
      return true;
    }
    if (options.github) {
      const props = where?.file
        ? ` file=${where.file}${where.line ? `,line=${where.line}` : ''}${where.column ? `,col=${where.column}` : ''}`
        : '';
      emit(type.toUpperCase(), `::${type}${props}::${message}`);
      return true;
    }
    return false;
  };

  const logger: Logger = {
    verbosity,
    colors,
    info: (m) => emit('INFO', m),
    success: (m) => emit('INFO', colors.green(m)),
    warn(m, where) {
      if (!annotate('warning', m, where)) emit('WARNING', colors.yellow(m));
    },
    error(m, where) {
      if (!annotate('error', m, where)) emit('ERROR', colors.red(m));
    },
    debug(m) {
      if (verbosity >= 1) emit('DEBUG', format === 'azure' ? `##[debug]${m}` : colors.dim(m));
    },
    trace(m) {
      if (verbosity >= 2) emit('TRACE', colors.dim(m));
    },
    wire(m) {
      if (verbosity >= 3) emit('TRACE', colors.dim(m));
    },
    redact: (s) => redactor.add(s),
  };
  return logger;
}
