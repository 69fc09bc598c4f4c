// DTL errors. Config errors are found when compiling (unknown function, wrong arity, bad hops spec, missing
// `default` rule) and name the pipe, rule and function; runtime errors happen while transforming an entity
// (`fail!`, id_required, errors the docs call errors).

export class DtlConfigError extends Error {
  readonly pipe?: string;
  readonly rule: string;
  readonly fn?: string;

  constructor(message: string, where: { pipe?: string; rule: string; fn?: string }) {
    const parts = [
      where.pipe !== undefined ? `pipe '${where.pipe}'` : undefined,
      `rule '${where.rule}'`,
      where.fn !== undefined ? `function '${where.fn}'` : undefined,
    ];
    super(`DTL error in ${parts.filter(Boolean).join(', ')}: ${message}`);
    this.name = 'DtlConfigError';
    this.pipe = where.pipe;
    this.rule = where.rule;
    this.fn = where.fn;
  }
}

export class DtlRuntimeError extends Error {
  /** `trip!` also trips the sink's circuit breaker. */
  readonly trip: boolean;
  constructor(message: string, options: { trip?: boolean } = {}) {
    super(message);
    this.name = 'DtlRuntimeError';
    this.trip = options.trip ?? false;
  }
}
