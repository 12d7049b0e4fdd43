// Every feasible point the audit has found, kept so that a later audit with a different published set can
// reuse it as a proof when it still satisfies every published equation. One point proves many quantities
// at once (every quantity that is 0 there can be 0; every one at k or more can reach k). Pure: no I/O.
import type { AuditorInput } from './audit-model';
import type { Row } from './system';

/** Absolute slack for "could be 0" and "could reach k": HiGHS's feasibility tolerance is 1e-7, counts are whole. */
export const TOL = 1e-4;

export interface Point {
  readonly values: Float64Array;
  /** Which toggles' equations the point satisfies. */
  readonly fits: Uint8Array;
}

const rowValue = (row: Row, x: ArrayLike<number>): number => {
  let sum = 0;
  for (let j = 0; j < row.vars.length; j++) sum += row.coefs[j]! * x[row.vars[j]!]!;
  return sum;
};

/** Whether a point satisfies a row, to within the audit's slack. */
export function fitsRow(row: Row, x: ArrayLike<number>): boolean {
  const v = rowValue(row, x);
  return v >= row.lower - TOL && v <= row.upper + TOL;
}

export interface PointPool {
  readonly points: readonly Point[];
  /** Keeps a point an LP returned (it satisfies the fixed rows by construction); returns its index. */
  add(values: ArrayLike<number>): number;
  /** Keeps a point found elsewhere only after checking it against every fixed row; returns whether it did. */
  verifyAndAdd(values: Float64Array): boolean;
  /** Whether a point satisfies every equation published now. */
  valid(point: Point, published: Uint8Array): boolean;
  /** A quantity's value at a point. */
  valueOf(values: ArrayLike<number>, quantity: number): number;
}

export function createPointPool(input: AuditorInput): PointPool {
  const points: Point[] = [];
  const fitsOf = (values: ArrayLike<number>): Uint8Array =>
    Uint8Array.from(input.toggles, (t) => (fitsRow(t.row, values) ? 1 : 0));
  const add = (values: ArrayLike<number>): number => {
    const own = Float64Array.from({ length: input.numVars }, (_, i) => values[i]!);
    points.push({ values: own, fits: fitsOf(own) });
    return points.length - 1;
  };
  return {
    points,
    add,
    verifyAndAdd(values) {
      if (values.length !== input.numVars) return false;
      if (!values.every((x) => x >= -TOL)) return false;
      if (!input.fixed.every((row) => fitsRow(row, values))) return false;
      add(values);
      return true;
    },
    valid(point, published) {
      for (let i = 0; i < published.length; i++) if (published[i] && !point.fits[i]) return false;
      return true;
    },
    valueOf(values, quantity) {
      let sum = 0;
      for (const v of input.quantities[quantity]!.vars) sum += values[v]!;
      return sum;
    },
  };
}
