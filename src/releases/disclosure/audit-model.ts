// The one LP behind a series of audits of the same releases: its columns (the unknowns, one lift per
// protected quantity, two deviations per publishable equation), its rows, and the objectives the audit
// and the repair set on it. Pure: no I/O.
import type { Highs } from 'highs';
import { createLp, type Lp, type LpRow } from './lp';
import type { Quantity } from './rules';
import type { Row } from './system';

/** A published equation of the release being built, which the suppression model may drop. */
export interface Toggle {
  readonly row: Row;
}

export interface AuditorInput {
  readonly k: number;
  readonly numVars: number;
  /** Rows that always hold: the structural rules and the equations of frozen releases. */
  readonly fixed: readonly Row[];
  readonly toggles: readonly Toggle[];
  readonly quantities: readonly Quantity[];
}

export interface AuditModel {
  readonly lp: Lp;
  readonly input: AuditorInput;
  /** Columns in all: unknowns, then lifts, then deviations. */
  readonly width: number;
  /** Row index of the first toggle's equation. */
  readonly toggleBase: number;
  /** Column of quantity i's lift: z_i ≤ min(quantity, k). */
  lift(i: number): number;
  /** Columns of toggle i's deviations (down, up). */
  deviation(i: number): readonly [number, number];
  /** Makes each toggle's equation hold (published) or free (withheld). */
  setPublished(published: Uint8Array): void;
  /** Minimizing the sum of these quantities drives as many as it can to 0. */
  readonly lowCost: (set: readonly number[]) => Float64Array;
  /** Maximizing the sum of these quantities' lifts raises as many as it can to k. */
  readonly highCost: (set: readonly number[]) => Float64Array;
  /** One quantity, minimized (sign 1) or maximized (sign -1). */
  readonly ownCost: (i: number, sign: 1 | -1) => Float64Array;
}

/** Builds the persistent LP for a series of audits that differ only in what is published. */
export function createAuditModel(highs: Highs, input: AuditorInput): AuditModel {
  const { k, numVars, quantities } = input;
  const liftBase = numVars;
  const devBase = numVars + quantities.length;
  const width = devBase + 2 * input.toggles.length;
  const toggleBase = input.fixed.length;
  // One lift column per quantity, z ≤ min(quantity, k): maximizing their sum lifts many quantities to k at
  // once without one quantity taking everything.
  const liftRows: LpRow[] = quantities.map((quantity, i) => ({
    vars: Int32Array.from([...quantity.vars, liftBase + i]),
    coefs: Float64Array.from([...quantity.vars].map(() => 1).concat(-1)),
    lower: 0,
    upper: Infinity,
  }));
  // Two deviation columns per toggle (down, up), fixed at 0 except in a repair, where they let a published
  // equation be missed at a price: the equations missed are the cells to withhold.
  const toggleRows: LpRow[] = input.toggles.map((toggle, i) => ({
    vars: Int32Array.from([...toggle.row.vars, devBase + 2 * i, devBase + 2 * i + 1]),
    coefs: Float64Array.from([...toggle.row.coefs, 1, -1]),
    lower: toggle.row.lower,
    upper: toggle.row.upper,
  }));
  const colLower = new Float64Array(width);
  const colUpper = new Float64Array(width).fill(Infinity).fill(k, liftBase, devBase).fill(0, devBase);
  const lp = createLp(highs, { colLower, colUpper, rows: [...input.fixed, ...toggleRows, ...liftRows] });
  const toggleRowIndexes = Int32Array.from(input.toggles, (_, i) => toggleBase + i);
  const cost = (fill: (c: Float64Array) => void): Float64Array => {
    const c = new Float64Array(width);
    fill(c);
    return c;
  };
  return {
    lp,
    input,
    width,
    toggleBase,
    lift: (i) => liftBase + i,
    deviation: (i) => [devBase + 2 * i, devBase + 2 * i + 1],
    setPublished(published) {
      lp.setRowBounds(
        toggleRowIndexes,
        Float64Array.from(input.toggles, (t, i) => (published[i] ? t.row.lower : -Infinity)),
        Float64Array.from(input.toggles, (t, i) => (published[i] ? t.row.upper : Infinity)),
      );
    },
    lowCost: (set) =>
      cost((c) => {
        for (const i of set) for (const v of quantities[i]!.vars) c[v] = c[v]! + 1;
      }),
    highCost: (set) =>
      cost((c) => {
        for (const i of set) c[liftBase + i] = -1;
      }),
    ownCost: (i, sign) =>
      cost((c) => {
        for (const v of quantities[i]!.vars) c[v] = sign;
      }),
  };
}
