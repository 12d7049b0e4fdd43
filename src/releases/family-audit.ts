// Bounds the checked cells of one linked family with as few LP solves as possible: certificates from any
// feasible point first (many cells at once), group objectives next, one LP per cell only for what is left.
import type { Highs } from 'highs';
import { createLp, type Lp, type LpRow } from './lp';
import type { ClassRef, Family } from './system';

/** Absolute slack for "could be 0" and "could reach k": HiGHS's feasibility tolerance is 1e-7, counts are integers. */
const TOL = 1e-4;

export interface FamilyFailure {
  readonly release: number;
  readonly cell: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly canBeZero: boolean;
  readonly canReachK: boolean;
  /** Published cells whose equations hold the failing bound, from the LP's duals. */
  readonly binding: readonly ClassRef[];
}

export interface FamilyStats {
  solves: number;
  /** Simplex iterations, the machine-independent measure of LP work. */
  iterations: number;
  screened: number;
}

export interface FamilyAuditOptions {
  readonly k: number;
  /** True value of each local unknown, NaN where unknown (earlier releases); a cheap feasible point when complete. */
  readonly truth?: Float64Array;
  /** Compute both bounds of a failing cell; the suppression loop only needs to know which cells fail and why. */
  readonly exactBounds: boolean;
  /**
   * Proofs carried between audits, keyed 'release:cell' (bit 1: can be 0, bit 2: can reach k). Valid only
   * while constraints are only ever removed, as in the suppression loop: a feasible point stays feasible.
   */
  readonly certificates?: Map<string, number>;
  /** Failures still worth finding; the suppression loop stops early, fixes a batch, and audits again. */
  readonly budget?: { remaining: number };
}

/** Audits one family; returns its failing cells. */
export function auditFamily(
  highs: Highs,
  family: Family,
  options: FamilyAuditOptions,
  stats: FamilyStats,
): FamilyFailure[] {
  const { k } = options;
  const n = family.globals.length;
  const cells = family.checked;
  const zeroOk = new Uint8Array(cells.length);
  const reachOk = new Uint8Array(cells.length);
  const keyOf = (i: number): string => `${cells[i]!.release}:${cells[i]!.cell}`;
  const known = options.certificates;
  if (known) {
    cells.forEach((_, i) => {
      const bits = known.get(keyOf(i)) ?? 0;
      zeroOk[i] = bits & 1;
      reachOk[i] = (bits >> 1) & 1;
    });
  }
  const remember = (): void => {
    if (known) cells.forEach((_, i) => known.set(keyOf(i), zeroOk[i]! | (reachOk[i]! << 1)));
  };
  const valueOf = (values: ArrayLike<number>, i: number): number => {
    let sum = 0;
    for (const v of cells[i]!.vars) sum += values[v]!;
    return sum;
  };
  const certify = (values: ArrayLike<number>): number => {
    let gained = 0;
    for (let i = 0; i < cells.length; i++) {
      const value = valueOf(values, i);
      if (!zeroOk[i] && value <= TOL) {
        zeroOk[i] = 1;
        gained++;
      }
      if (!reachOk[i] && value >= k - TOL) {
        reachOk[i] = 1;
        gained++;
      }
    }
    return gained;
  };

  // Screen 1: the true counts (of this release and, when known, of the earlier ones) are a feasible point,
  // so every checked cell that is truly 0 can be 0. Verified against every row first: earlier atoms come
  // from a recomputation, and a point that breaks one row proves nothing.
  if (options.truth && isFeasiblePoint(family, options.truth)) stats.screened += certify(options.truth);
  // Screen 2: an unknown in no row is unbounded, so any cell containing it can reach k.
  const inRow = new Uint8Array(n);
  for (const row of family.rows) for (const v of row.vars) inRow[v] = 1;
  cells.forEach((c, i) => {
    if (!reachOk[i] && c.vars.some((v) => !inRow[v])) {
      reachOk[i] = 1;
      stats.screened++;
    }
  });
  if (zeroOk.every(Boolean) && reachOk.every(Boolean)) {
    remember();
    return [];
  }

  // One extra column per checked cell, y ≤ min(cell, k): maximizing their sum lifts many cells to k at once.
  const rows: LpRow[] = [...family.rows];
  cells.forEach((c, i) => {
    const vars = Int32Array.from([...c.vars, n + i]);
    const coefs = new Float64Array(vars.length).fill(1);
    coefs[vars.length - 1] = -1;
    rows.push({ vars, coefs, lower: 0, upper: Infinity });
  });
  const colLower = new Float64Array(n + cells.length);
  const colUpper = new Float64Array(n + cells.length).fill(Infinity).fill(k, n);
  const lp = createLp(highs, { colLower, colUpper, rows });
  try {
    return solveFamily(lp, family, options, { zeroOk, reachOk, certify, n });
  } finally {
    remember();
    stats.solves += lp.solves;
    stats.iterations += lp.iterations;
    lp.dispose();
  }
}

interface Progress {
  readonly zeroOk: Uint8Array;
  readonly reachOk: Uint8Array;
  readonly certify: (values: ArrayLike<number>) => number;
  readonly n: number;
}

function solveFamily(lp: Lp, family: Family, options: FamilyAuditOptions, p: Progress): FamilyFailure[] {
  const cells = family.checked;
  const width = p.n + cells.length;
  const solve = (cost: Float64Array) => {
    const outcome = lp.minimize(cost);
    if (outcome.status === 'infeasible') {
      throw new Error('the published numbers contradict the model (reports removed between releases?)');
    }
    if (outcome.status === 'optimal') p.certify(outcome.values);
    return outcome;
  };
  const bindingOf = (rowDual: Float64Array): ClassRef[] =>
    family.rows.flatMap((row, r) => (Math.abs(rowDual[r]!) > 1e-9 ? row.sources : []));
  const zeroCost = (set: readonly number[]): Float64Array => {
    const cost = new Float64Array(width);
    for (const i of set) for (const v of cells[i]!.vars) cost[v] = (cost[v] ?? 0) + 1;
    return cost;
  };
  // y_i ≤ min(cell_i, k), so maximizing their sum lifts many cells to k at once without one cell taking all.
  // (Distinct random weights per cell were tried: 30% fewer solves but 50% more simplex iterations.)
  const reachCost = (set: readonly number[]): Float64Array => {
    const cost = new Float64Array(width);
    for (const i of set) cost[p.n + i] = -1;
    return cost;
  };
  const budgetLeft = (): boolean => !options.budget || options.budget.remaining > failed.size;
  const failed = new Map<number, { low?: Bound; high?: Bound }>();

  // Group checks: one LP proves every cell it drives to 0 (or to k). A set that makes no progress is split
  // (interleaved, since neighbours in a table compete for the same total); a single cell's LP is its bound.
  const phase = (
    flags: Uint8Array,
    costOf: (set: readonly number[]) => Float64Array,
    side: 'low' | 'high',
  ): void => {
    const stack: number[][] = [cells.flatMap((_, i) => (flags[i] ? [] : [i]))];
    while (stack.length > 0 && budgetLeft()) {
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
        const bound = side === 'low' ? outcome.objective : -outcome.objective;
        const entry = failed.get(set[0]!) ?? {};
        entry[side] = { bound, binding: bindingOf(outcome.rowDual) };
        failed.set(set[0]!, entry);
      }
    }
  };
  phase(p.zeroOk, zeroCost, 'low');
  phase(p.reachOk, reachCost, 'high');

  const exact = (i: number, sign: number): number => {
    const cost = new Float64Array(width);
    for (const v of cells[i]!.vars) cost[v] = (cost[v] ?? 0) + sign;
    const o = lp.minimize(cost);
    return o.status === 'optimal' ? sign * o.objective : sign * Infinity;
  };
  const failures: FamilyFailure[] = [];
  for (const [i, { low, high }] of failed) {
    const canBeZero = !low;
    const canReachK = !high;
    failures.push({
      release: cells[i]!.release,
      cell: cells[i]!.cell,
      min: low?.bound ?? (options.exactBounds ? exact(i, 1) : null),
      max: high?.bound ?? (options.exactBounds ? exact(i, -1) : null),
      canBeZero,
      canReachK,
      binding: [...(low?.binding ?? []), ...(high?.binding ?? [])],
    });
  }
  if (options.budget) options.budget.remaining -= failures.length;
  return failures;
}

interface Bound {
  readonly bound: number;
  readonly binding: readonly ClassRef[];
}

/** Whether a point satisfies every row of a family and is nonnegative (to within the audit's slack). */
export function isFeasiblePoint(family: Family, point: Float64Array): boolean {
  if (point.length !== family.globals.length) return false;
  for (const x of point) if (!(x >= -TOL)) return false;
  for (const row of family.rows) {
    let sum = 0;
    for (let j = 0; j < row.vars.length; j++) sum += row.coefs[j]! * point[row.vars[j]!]!;
    if (sum < row.lower - TOL || sum > row.upper + TOL) return false;
  }
  return true;
}
