// Bounds protected quantities over everything published, with as few LP solves as possible: verified points
// first (one point proves many quantities), group objectives next, one LP per quantity only for what is
// left. A failing quantity comes back with the published equations that hold it, weighted by the LP's
// duals: the cut the suppression model needs. Pure: no I/O.
import type { Highs } from 'highs';
import { createLp, type Lp, type LpRow } from './lp';
import type { Quantity } from './rules';
import type { Row } from './system';

/** Absolute slack for "could be 0" and "could reach k": HiGHS's feasibility tolerance is 1e-7, counts are whole. */
export const TOL = 1e-4;

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

/**
 * A necessary condition for a failing quantity to become protected: `Σ coefs[i]·hidden[toggles[i]] ≥ rhs`,
 * from LP duality (a Fischetti–Salazar capacity cut). Valid whatever else is hidden.
 */
export interface Cut {
  readonly toggles: Int32Array;
  readonly coefs: Float64Array;
  readonly rhs: number;
}

export interface QuantityFailure {
  readonly quantity: number;
  readonly canBeZero: boolean;
  readonly canReachK: boolean;
  /** Smallest and largest value consistent with everything published (null when not computed). */
  readonly min: number | null;
  readonly max: number | null;
  readonly cuts: readonly Cut[];
}

export interface AuditStats {
  solves: number;
  iterations: number;
  /** Quantities proven by a point found earlier, without a solve of their own. */
  screened: number;
}

export interface RunOptions {
  /** Which toggles are published (1) or withheld (0). */
  readonly published: Uint8Array;
  /** Stop once this many failures are known. */
  readonly stopAfter?: number;
  /** Compute both bounds of every failing quantity (the gate's report), not only the failing side. */
  readonly exactBounds?: boolean;
  /** Give up (reporting one failure) when more than this many quantities are left unproven by known points. */
  readonly maxUnproven?: number;
  /** Quantities to leave out (numbers earlier releases already gave away). */
  readonly ignore?: Uint8Array;
  /** Called after each solve, for progress lines. */
  readonly onSolve?: (proven: number, total: number) => void;
}

interface Point {
  readonly values: Float64Array;
  /** Which toggles' equations the point satisfies. */
  readonly fits: Uint8Array;
}

export interface Auditor {
  run(options: RunOptions): { failures: QuantityFailure[]; stats: AuditStats };
  repair(
    published: Uint8Array,
    quantity: number,
    side: 'low' | 'high',
    weights: Float64Array,
  ): number[] | null;
  /** Points proving every quantity the last run proved: a certificate another auditor can verify. */
  certificates(): Float64Array[];
  /** Offers points found elsewhere; each is verified against every row before it is believed. */
  offer(points: readonly Float64Array[]): number;
  dispose(): void;
}

const rowValue = (row: Row, x: ArrayLike<number>): number => {
  let sum = 0;
  for (let j = 0; j < row.vars.length; j++) sum += row.coefs[j]! * x[row.vars[j]!]!;
  return sum;
};
const fitsRow = (row: Row, x: ArrayLike<number>): boolean => {
  const v = rowValue(row, x);
  return v >= row.lower - TOL && v <= row.upper + TOL;
};

/** Builds one persistent LP for a series of audits of the same releases, differing only in what is published. */
export function createAuditor(highs: Highs, input: AuditorInput): Auditor {
  const { k, numVars, quantities } = input;
  const q = quantities.length;
  const toggleBase = input.fixed.length;
  const t = input.toggles.length;
  // One lift column per quantity, z ≤ min(quantity, k): maximizing their sum lifts many quantities to k at
  // once without one quantity taking everything.
  const liftRows: LpRow[] = quantities.map((quantity, i) => ({
    vars: Int32Array.from([...quantity.vars, numVars + i]),
    coefs: Float64Array.from([...quantity.vars].map(() => 1).concat(-1)),
    lower: 0,
    upper: Infinity,
  }));
  // Two deviation columns per toggle (down, up), fixed at 0 except in a repair, where they let a published
  // equation be missed at a price: the equations missed are the cells to withhold.
  const devBase = numVars + q;
  const width = devBase + 2 * t;
  const toggleRows: LpRow[] = input.toggles.map((toggle, i) => ({
    vars: Int32Array.from([...toggle.row.vars, devBase + 2 * i, devBase + 2 * i + 1]),
    coefs: Float64Array.from([...toggle.row.coefs, 1, -1]),
    lower: toggle.row.lower,
    upper: toggle.row.upper,
  }));
  const colUpper = new Float64Array(width).fill(Infinity).fill(k, numVars, devBase).fill(0, devBase);
  const lp: Lp = createLp(highs, {
    colLower: new Float64Array(width),
    colUpper,
    rows: [...input.fixed, ...toggleRows, ...liftRows],
  });
  const setPublished = (published: Uint8Array): void =>
    lp.setRowBounds(
      Int32Array.from(input.toggles, (_, i) => toggleBase + i),
      Float64Array.from(input.toggles, (toggle, i) => (published[i] ? toggle.row.lower : -Infinity)),
      Float64Array.from(input.toggles, (toggle, i) => (published[i] ? toggle.row.upper : Infinity)),
    );
  const pool: Point[] = [];
  let lastProofs: Int32Array = new Int32Array(0);
  const fitsOf = (values: ArrayLike<number>): Uint8Array =>
    Uint8Array.from(input.toggles, (t) => (fitsRow(t.row, values) ? 1 : 0));
  const valueOf = (values: ArrayLike<number>, i: number): number => {
    let sum = 0;
    for (const v of quantities[i]!.vars) sum += values[v]!;
    return sum;
  };

  function run(options: RunOptions): { failures: QuantityFailure[]; stats: AuditStats } {
    const { published } = options;
    const stats: AuditStats = { solves: 0, iterations: 0, screened: 0 };
    const solvesBefore = lp.solves;
    const iterationsBefore = lp.iterations;
    setPublished(published);
    const zeroOk = new Uint8Array(q);
    const reachOk = new Uint8Array(q);
    const proofs = new Int32Array(q * 2).fill(-1);
    let proven = 0;
    if (options.ignore) {
      options.ignore.forEach((skip, i) => {
        if (skip) zeroOk[i] = reachOk[i] = 1;
      });
    }
    const certify = (point: number): number => {
      const values = pool[point]!.values;
      let gained = 0;
      for (let i = 0; i < q; i++) {
        if (zeroOk[i] && reachOk[i]) continue;
        const value = valueOf(values, i);
        if (!zeroOk[i] && value <= TOL) {
          zeroOk[i] = 1;
          proofs[2 * i] = point;
          gained++;
        }
        if (!reachOk[i] && value >= k - TOL) {
          reachOk[i] = 1;
          proofs[2 * i + 1] = point;
          gained++;
        }
      }
      proven += gained;
      return gained;
    };
    const valid = (point: Point): boolean => {
      for (let i = 0; i < published.length; i++) if (published[i] && !point.fits[i]) return false;
      return true;
    };
    pool.forEach((point, index) => {
      if (valid(point)) stats.screened += certify(index);
    });
    if (options.maxUnproven !== undefined) {
      let unproven = 0;
      for (let i = 0; i < q; i++) if (!zeroOk[i] || !reachOk[i]) unproven++;
      if (unproven > options.maxUnproven) {
        const i = zeroOk.findIndex((ok, j) => !ok || !reachOk[j]);
        return {
          failures: [{ quantity: i, canBeZero: false, canReachK: false, min: null, max: null, cuts: [] }],
          stats,
        };
      }
    }

    const failures = new Map<number, { low?: Side; high?: Side }>();
    const stopAfter = options.stopAfter ?? Infinity;
    const solve = (cost: Float64Array) => {
      const outcome = lp.minimize(cost);
      if (outcome.status === 'infeasible')
        throw new Error('the published numbers contradict the model (reports removed between releases?)');
      if (outcome.status === 'optimal') {
        pool.push({ values: outcome.values.slice(0, numVars), fits: fitsOf(outcome.values) });
        certify(pool.length - 1);
      }
      options.onSolve?.(proven, 2 * q);
      return outcome;
    };
    const lowCost = (set: readonly number[]): Float64Array => {
      const cost = new Float64Array(width);
      for (const i of set) for (const v of quantities[i]!.vars) cost[v] = cost[v]! + 1;
      return cost;
    };
    const highCost = (set: readonly number[]): Float64Array => {
      const cost = new Float64Array(width);
      for (const i of set) cost[numVars + i] = -1;
      return cost;
    };
    // Group checks: one LP proves every quantity it drives to 0 (or to k). A set that makes no progress is
    // split (interleaved, since neighbours in a table compete for the same total); a single quantity's LP
    // is its bound, and its duals are its cut.
    const phase = (
      flags: Uint8Array,
      costOf: (set: readonly number[]) => Float64Array,
      side: 'low' | 'high',
    ) => {
      const stack: number[][] = [quantities.flatMap((_, i) => (flags[i] ? [] : [i]))];
      while (stack.length > 0 && failures.size < stopAfter) {
        const set = stack.pop()!.filter((i) => !flags[i]);
        if (set.length === 0) continue;
        const outcome = solve(costOf(set));
        const left = set.filter((i) => !flags[i]);
        if (left.length === 0) continue;
        if (left.length < set.length) stack.push(left);
        else if (set.length > 1)
          stack.push(
            set.filter((_, j) => j % 2 === 1),
            set.filter((_, j) => j % 2 === 0),
          );
        else if (outcome.status === 'optimal') {
          const i = set[0]!;
          const entry = failures.get(i) ?? {};
          // The minimum of the objective must come down to τ: 0 for "can be 0", -k for "can reach k".
          const bound = side === 'low' ? outcome.objective : -outcome.objective;
          const deficit = side === 'low' ? outcome.objective : k + outcome.objective;
          entry[side] = { bound, cut: cutFrom(outcome.rowDual, deficit) };
          failures.set(i, entry);
        }
      }
    };
    const cutFrom = (rowDual: Float64Array, deficit: number): Cut => {
      const rhs = deficit - TOL;
      const toggles: number[] = [];
      const coefs: number[] = [];
      input.toggles.forEach((toggle, i) => {
        if (!published[i]) return;
        const dual = rowDual[toggleBase + i]!;
        if (Math.abs(dual) <= 1e-9) return;
        toggles.push(i);
        // Raising a dropped equation is unbounded: one such drop may suffice. Lowering it goes at most to 0.
        coefs.push(dual < 0 ? rhs : Math.min(rhs, dual * toggle.row.upper));
      });
      return { toggles: Int32Array.from(toggles), coefs: Float64Array.from(coefs), rhs };
    };
    phase(zeroOk, lowCost, 'low');
    phase(reachOk, highCost, 'high');

    const exact = (i: number, sign: 1 | -1): number => {
      const cost = new Float64Array(width);
      for (const v of quantities[i]!.vars) cost[v] = sign;
      const outcome = lp.minimize(cost);
      return outcome.status === 'optimal' ? sign * outcome.objective : sign * Infinity;
    };
    const out: QuantityFailure[] = [];
    for (const [i, { low, high }] of failures) {
      out.push({
        quantity: i,
        canBeZero: !low,
        canReachK: !high,
        min: low?.bound ?? (options.exactBounds ? exact(i, 1) : null),
        max: high?.bound ?? (options.exactBounds ? exact(i, -1) : null),
        cuts: [low?.cut, high?.cut].filter((c): c is Cut => c !== undefined),
      });
    }
    lastProofs = proofs;
    stats.solves = lp.solves - solvesBefore;
    stats.iterations = lp.iterations - iterationsBefore;
    return { failures: out, stats };
  }
  /**
   * The equations to drop so that one quantity can reach 0 (`low`) or k (`high`): the cheapest weighted
   * L1 deviation from the published values that lets it, a convex stand-in for the fewest cells. Dropping
   * exactly the deviated equations makes the solution feasible, so it is also the quantity's proof.
   * Returns the toggles to withhold, or null when no withholding in this release can protect it.
   */
  function repair(
    published: Uint8Array,
    quantity: number,
    side: 'low' | 'high',
    weights: Float64Array,
  ): number[] | null {
    setPublished(published);
    const lower = new Float64Array(width);
    const upper = Float64Array.from(colUpper);
    for (let i = 0; i < t; i++)
      if (published[i]) upper[devBase + 2 * i] = upper[devBase + 2 * i + 1] = Infinity;
    if (side === 'high') lower[numVars + quantity] = k;
    else for (const v of quantities[quantity]!.vars) upper[v] = 0;
    lp.setColBounds(lower, upper);
    const cost = new Float64Array(width);
    for (let i = 0; i < t; i++) cost[devBase + 2 * i] = cost[devBase + 2 * i + 1] = weights[i]!;
    try {
      const outcome = lp.minimize(cost);
      if (outcome.status !== 'optimal') return null;
      const drop: number[] = [];
      for (let i = 0; i < t; i++) {
        if (published[i] && outcome.values[devBase + 2 * i]! + outcome.values[devBase + 2 * i + 1]! > 1e-7)
          drop.push(i);
      }
      const after = Uint8Array.from(published);
      for (const i of drop) after[i] = 0;
      const values = outcome.values.slice(0, numVars);
      pool.push({ values, fits: fitsOf(values) });
      return drop;
    } finally {
      lp.setColBounds(new Float64Array(width), colUpper);
    }
  }

  return {
    run,
    repair,
    certificates() {
      const used = new Set<number>();
      for (const p of lastProofs) if (p >= 0) used.add(p);
      return [...used].map((p) => pool[p]!.values);
    },
    offer(points) {
      let accepted = 0;
      for (const values of points) {
        if (values.length !== numVars) continue;
        if (!values.every((x) => x >= -TOL)) continue;
        if (!input.fixed.every((row) => fitsRow(row, values))) continue;
        pool.push({ values: Float64Array.from(values), fits: fitsOf(values) });
        accepted++;
      }
      return accepted;
    },
    dispose: () => lp.dispose(),
  };
}

interface Side {
  readonly bound: number;
  readonly cut: Cut;
}
