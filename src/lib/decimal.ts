import { Decimal } from 'decimal.js';

/** Exact decimal arithmetic for money and quantities: never binary floating point. */
export { Decimal };

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

/** Parses a decimal given as a string or number (both outside systems send either). */
export function toDecimal(value: unknown): Decimal {
  if (value instanceof Decimal) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Decimal(value);
  if (typeof value === 'string' && DECIMAL_RE.test(value.trim())) return new Decimal(value.trim());
  if (value === null || value === undefined || value === '') return new Decimal(0);
  throw new TypeError(`not a decimal: ${JSON.stringify(value)}`);
}

export const isDecimalText = (value: string): boolean => DECIMAL_RE.test(value);

/** Canonical text: plain notation, no trailing fractional zeros, "0" for zero. */
export function canonical(value: Decimal.Value): string {
  const d = new Decimal(value);
  if (d.isZero()) return '0';
  return d.toFixed();
}

/** Rounds half away from zero (half-up on magnitudes) to `places` decimals. */
export function round(value: Decimal.Value, places: number): Decimal {
  return new Decimal(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
}

/** Fixed-point text with exactly `places` decimals, e.g. "12.50". */
export function fixed(value: Decimal.Value, places: number): string {
  return round(value, places).toFixed(places);
}

/**
 * Splits `total` over `weights` in proportion, to the cent, the remainder going to the last share,
 * so the parts always add up to the total exactly.
 */
export function splitProportionally(total: Decimal.Value, weights: Decimal.Value[], places = 2): Decimal[] {
  const sum = weights.reduce<Decimal>((acc, w) => acc.plus(w), new Decimal(0));
  const totalD = new Decimal(total);
  if (weights.length === 0) return [];
  const parts: Decimal[] = [];
  let given = new Decimal(0);
  weights.forEach((w, i) => {
    if (i === weights.length - 1) {
      parts.push(totalD.minus(given));
      return;
    }
    const share = sum.isZero() ? new Decimal(0) : round(totalD.times(w).dividedBy(sum), places);
    parts.push(share);
    given = given.plus(share);
  });
  return parts;
}
