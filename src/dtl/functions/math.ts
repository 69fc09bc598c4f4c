// Math functions (dtl-functions-math.rst). Symbol operators (+ - * / % ^) use the first value of each side and
// give null when either is null or not a number; word operators (plus, minus, …) are map-style with the operand
// first. Ints are unbounded (number promoted to bigint on overflow), floats IEEE doubles, decimals exact; an int
// with a float gives a float, anything with a decimal gives a decimal.
import { JsonFloat } from '../../format/json.js';
import { Decimal, isNumber, normInt, toExactDecimal, type DtlNumber, type DtlValue } from '../values.js';
import { DtlRuntimeError } from '../errors.js';
import { DROP, first, intArg, mapValues } from './helpers.js';
import { defineFunctions, valueArg, type DtlFunction } from './registry.js';

type Kind = 'int' | 'float' | 'decimal';

/** Largest |DIGITS| for ceil/floor/round (beyond it no double or sane decimal changes). */
const MAX_DIGITS = 10_000;

function kindOf(v: DtlNumber): Kind {
  return typeof v === 'number' || typeof v === 'bigint' ? 'int' : v instanceof JsonFloat ? 'float' : 'decimal';
}

function resultKind(a: DtlNumber, b: DtlNumber): Kind {
  const x = kindOf(a);
  const y = kindOf(b);
  if (x === 'decimal' || y === 'decimal') return 'decimal';
  if (x === 'float' || y === 'float') return 'float';
  return 'int';
}

function toFloat(v: DtlNumber): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof JsonFloat) return v.value;
  return v.toNumber();
}

function toDecimal(v: DtlNumber): Decimal | undefined {
  if (v instanceof Decimal) return v;
  if (v instanceof JsonFloat) return Decimal.fromFloat(v.value);
  return Decimal.fromInt(v);
}

const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

export function addNumbers(a: DtlNumber, b: DtlNumber): DtlNumber | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return Number.isSafeInteger(r) ? r : normInt(BigInt(a) + BigInt(b));
  }
  return arith(
    a,
    b,
    (x, y) => x + y,
    (x, y) => x + y,
    (x, y) => x.add(y),
  );
}

function arith(
  a: DtlNumber,
  b: DtlNumber,
  ints: (x: bigint, y: bigint) => bigint,
  floats: (x: number, y: number) => number,
  decimals: (x: Decimal, y: Decimal) => Decimal | undefined,
): DtlNumber | null {
  switch (resultKind(a, b)) {
    case 'int':
      return normInt(ints(big(a as number | bigint), big(b as number | bigint)));
    case 'float':
      return new JsonFloat(floats(toFloat(a), toFloat(b)));
    default: {
      const x = toDecimal(a);
      const y = toDecimal(b);
      return x && y ? (decimals(x, y) ?? null) : null;
    }
  }
}

export function subNumbers(a: DtlNumber, b: DtlNumber): DtlNumber | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return arith(
    a,
    b,
    (x, y) => x - y,
    (x, y) => x - y,
    (x, y) => x.sub(y),
  );
}

export function mulNumbers(a: DtlNumber, b: DtlNumber): DtlNumber | null {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return arith(
    a,
    b,
    (x, y) => x * y,
    (x, y) => x * y,
    (x, y) => x.mul(y),
  );
}

/** True division; exact int quotients stay ints (["divide", 2, 4] → 2), others are floats; /0 → null. */
export function divNumbers(a: DtlNumber, b: DtlNumber): DtlNumber | null {
  const kind = resultKind(a, b);
  if (kind === 'int') {
    const x = big(a as number | bigint);
    const y = big(b as number | bigint);
    if (y === 0n) return null;
    if (x % y === 0n) return normInt(x / y);
    return new JsonFloat(Number(x) / Number(y));
  }
  if (kind === 'float') {
    const y = toFloat(b);
    if (y === 0) return null;
    return new JsonFloat(toFloat(a) / y);
  }
  const x = toDecimal(a);
  const y = toDecimal(b);
  return x && y ? (x.div(y) ?? null) : null;
}

/** Python modulo: the result has the divisor's sign; x % 0 → null. */
export function modNumbers(a: DtlNumber, b: DtlNumber): DtlNumber | null {
  const kind = resultKind(a, b);
  if (kind === 'int') {
    const x = big(a as number | bigint);
    const y = big(b as number | bigint);
    if (y === 0n) return null;
    let r = x % y;
    if (r !== 0n && r < 0n !== y < 0n) r += y;
    return normInt(r);
  }
  if (kind === 'float') {
    const x = toFloat(a);
    const y = toFloat(b);
    if (y === 0) return null;
    let r = x % y;
    if (r !== 0 && r < 0 !== y < 0) r += y;
    return new JsonFloat(r);
  }
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (!x || !y || y.isZero()) return null;
  // Python's Decimal % truncates toward zero (sign of the dividend).
  const q = x.div(y);
  if (!q) return null;
  return x.sub(y.mul(new Decimal(q.trunc(), 0)));
}

export function powNumbers(a: DtlNumber, b: DtlNumber): DtlNumber | null {
  const kind = resultKind(a, b);
  if (kind === 'int') {
    const x = big(a as number | bigint);
    const y = big(b as number | bigint);
    if (y >= 0n) {
      if (y > 100000n && x !== 0n && x !== 1n && x !== -1n) return null; // would not fit in memory
      return normInt(x ** y);
    }
    if (x === 0n) return null;
    return new JsonFloat(Number(x) ** Number(y));
  }
  if (kind === 'decimal' && (typeof b === 'number' || typeof b === 'bigint') && big(b) >= 0n && big(b) <= 10000n) {
    const x = toDecimal(a);
    if (!x) return null;
    let r = new Decimal(1n, 0);
    for (let i = 0n; i < big(b); i++) r = r.mul(x);
    return r;
  }
  const r = toFloat(a) ** toFloat(b);
  if (Number.isNaN(r)) return null;
  return kind === 'decimal' ? (Decimal.fromFloat(r) ?? null) : new JsonFloat(r);
}

type BinOp = (a: DtlNumber, b: DtlNumber) => DtlNumber | null;

/** Symbol operator: first value of each side, null unless both are numbers. */
function symbol(name: string, op: BinOp): DtlFunction {
  return {
    name,
    category: 'math',
    min: 2,
    max: 2,
    call: (args) => {
      const a = first(valueArg(args, 0));
      const b = first(valueArg(args, 1));
      if (!isNumber(a) || !isNumber(b)) return null;
      return op(a, b);
    },
  };
}

/** Word operator: map over VALUES with the operand first (["minus", 1, [1, 2]] → [0, 1]). */
function word(name: string, op: BinOp): DtlFunction {
  return {
    name,
    category: 'math',
    min: 2,
    max: 2,
    call: (args) => {
      const operand = first(valueArg(args, 0));
      if (!isNumber(operand)) return null;
      return mapValues(valueArg(args, 1), (v) => {
        if (!isNumber(v)) return DROP;
        return op(v, operand) ?? DROP;
      });
    },
  };
}

function unaryFloat(name: string, f: (x: number) => number | null): DtlFunction {
  return {
    name,
    category: 'math',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) => {
        if (!isNumber(v)) return DROP;
        const r = f(toFloat(v));
        return r === null || Number.isNaN(r) ? null : new JsonFloat(r);
      }),
  };
}

/** Round a number at `digits` decimals with `mode`; digits 0/absent gives an int. */
export function roundNumber(v: DtlNumber, digits: number | undefined, mode: 'ceil' | 'floor' | 'even'): DtlValue {
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (digits === undefined || digits >= 0) return v;
  }
  if (v instanceof JsonFloat && !Number.isFinite(v.value)) return digits ? v : null;
  if (v instanceof JsonFloat && !digits && Math.abs(v.value) < 2 ** 52) {
    // Doubles below 2^52 have an exact fractional part, so ties are detected exactly.
    const x = v.value;
    const f = Math.floor(x);
    const diff = x - f;
    const r =
      mode === 'floor' ? f : mode === 'ceil' ? Math.ceil(x) : diff > 0.5 || (diff === 0.5 && f % 2 !== 0) ? f + 1 : f;
    return r === 0 ? 0 : r;
  }
  // Floats round by their shortest repr (2.2 ceils to 2.2 at one digit, as the docs show).
  const d = v instanceof JsonFloat ? Decimal.fromFloat(v.value)! : toExactDecimal(v as number | bigint | Decimal);
  const scale = digits ?? 0;
  let r: Decimal;
  if (mode === 'even') r = d.roundHalfEven(scale);
  else {
    // Multiply by 10^scale, take ceil/floor, divide back.
    const shiftedScale = d.scale - scale;
    const shifted =
      shiftedScale >= 0
        ? new Decimal(d.unscaled, shiftedScale)
        : new Decimal(d.unscaled * 10n ** BigInt(-shiftedScale), 0);
    const whole = mode === 'ceil' ? shifted.ceil() : shifted.floor();
    r = scale >= 0 ? new Decimal(whole, scale) : new Decimal(whole * 10n ** BigInt(-scale), 0);
  }
  if (!digits) return normInt(r.scale === 0 ? r.unscaled : r.trunc());
  if (v instanceof Decimal) return r;
  if (typeof v === 'number' || typeof v === 'bigint') return normInt(r.trunc());
  return new JsonFloat(r.toNumber());
}

function rounding(name: string, mode: 'ceil' | 'floor' | 'even'): DtlFunction {
  return {
    name,
    category: 'math',
    min: 1,
    max: 2,
    call: (args) => {
      const digits = args.length === 2 ? intArg(valueArg(args, 0)) : undefined;
      if (args.length === 2 && digits === undefined) return null;
      if (digits !== undefined && Math.abs(digits) > MAX_DIGITS)
        throw new DtlRuntimeError(`${name}: DIGITS ${digits} is out of range`);
      return mapValues(valueArg(args, args.length - 1), (v) => (isNumber(v) ? roundNumber(v, digits, mode) : DROP));
    },
  };
}

defineFunctions([
  symbol('+', addNumbers),
  symbol('-', subNumbers),
  symbol('*', mulNumbers),
  symbol('/', divNumbers),
  symbol('%', modNumbers),
  symbol('^', powNumbers),
  word('plus', addNumbers),
  word('minus', subNumbers),
  word('multiply', mulNumbers),
  word('divide', divNumbers),
  word('mod', modNumbers),
  word('pow', powNumbers),
  {
    name: 'abs',
    category: 'math',
    min: 1,
    max: 1,
    call: (args) =>
      mapValues(valueArg(args, 0), (v) => {
        if (typeof v === 'number') return Math.abs(v);
        if (typeof v === 'bigint') return normInt(v < 0n ? -v : v);
        if (v instanceof JsonFloat) return new JsonFloat(Math.abs(v.value));
        if (v instanceof Decimal) return v.abs();
        return DROP;
      }),
  },
  rounding('ceil', 'ceil'),
  rounding('floor', 'floor'),
  rounding('round', 'even'),
  unaryFloat('sin', Math.sin),
  unaryFloat('cos', Math.cos),
  unaryFloat('tan', (x) => {
    const r = Math.tan(x);
    return Math.abs(r) > 1e15 ? null : r;
  }),
  unaryFloat('sqrt', (x) => (x < 0 ? null : Math.sqrt(x))),
]);
