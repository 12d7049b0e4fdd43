// Bounds protected quantities over everything published, with as few LP solves as possible: verified points
// first (one point proves many quantities), group objectives next, one LP per quantity only for what is
// left. A failing quantity comes back with the published equations that hold it, weighted by the LP's
// duals: the cut the suppression model needs. Pure: no I/O.
import type { Highs } from 'highs';
import { createAuditModel, type AuditModel, type AuditorInput } from './audit-model';
import { createPointPool, TOL, type PointPool } from './point-pool';
import { startRepairs, type RepairSession } from './repair';

export { TOL } from './point-pool';
export type { AuditorInput, Toggle } from './audit-model';

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

export interface Auditor {
  run(options: RunOptions): { failures: QuantityFailure[]; stats: AuditStats };
  /** Starts repairing failures under `published`, which the session updates as it withholds (see repair.ts). */
  startRepairs(published: Uint8Array, weights: Float64Array): RepairSession;
  /** Points proving every quantity the last run proved: a certificate another auditor can verify. */
  certificates(): Float64Array[];
  /** Offers points found elsewhere; each is verified against every row before it is believed. */
  offer(points: readonly Float64Array[]): number;
  dispose(): void;
}

interface Side {
  readonly bound: number;
  readonly cut: Cut;
}

/** Builds one persistent LP for a series of audits of the same releases, differing only in what is published. */
export function createAuditor(highs: Highs, input: AuditorInput): Auditor {
  const model = createAuditModel(highs, input);
  const pool = createPointPool(input);
  let lastProofs = new Int32Array(0);
  return {
    run(options) {
      const result = runAudit(model, pool, options);
      lastProofs = result.proofs;
      return { failures: result.failures, stats: result.stats };
    },
    startRepairs: (published, weights) => startRepairs(model, pool, published, weights),
    certificates() {
      const used = new Set<number>();
      for (const p of lastProofs) if (p >= 0) used.add(p);
      return [...used].map((p) => pool.points[p]!.values);
    },
    offer: (points) => points.filter((values) => pool.verifyAndAdd(values)).length,
    dispose: () => model.lp.dispose(),
  };
}

/** One audit: which quantities can be 0 and reach k under `published`, and the proof (a point) of each. */
function runAudit(model: AuditModel, pool: PointPool, options: RunOptions) {
  const { lp, input } = model;
  const { k, quantities } = input;
  const { published } = options;
  const q = quantities.length;
  const stats: AuditStats = { solves: 0, iterations: 0, screened: 0 };
  const solvesBefore = lp.solves;
  const iterationsBefore = lp.iterations;
  model.setPublished(published);
  const zeroOk = new Uint8Array(q);
  const reachOk = new Uint8Array(q);
  const proofs = new Int32Array(q * 2).fill(-1);
  let proven = 0;
  options.ignore?.forEach((skip, i) => {
    if (skip) zeroOk[i] = reachOk[i] = 1;
  });
  const certify = (point: number): number => {
    const values = pool.points[point]!.values;
    let gained = 0;
    for (let i = 0; i < q; i++) {
      if (zeroOk[i] && reachOk[i]) continue;
      const value = pool.valueOf(values, i);
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
  pool.points.forEach((point, index) => {
    if (pool.valid(point, published)) stats.screened += certify(index);
  });
  const finish = (failures: QuantityFailure[]) => {
    stats.solves = lp.solves - solvesBefore;
    stats.iterations = lp.iterations - iterationsBefore;
    return { failures, stats, proofs };
  };
  if (options.maxUnproven !== undefined) {
    const unproven = zeroOk.reduce((n, ok, i) => n + (ok && reachOk[i] ? 0 : 1), 0);
    if (unproven > options.maxUnproven) {
      const i = zeroOk.findIndex((ok, j) => !ok || !reachOk[j]);
      return finish([{ quantity: i, canBeZero: false, canReachK: false, min: null, max: null, cuts: [] }]);
    }
  }

  const failures = new Map<number, { low?: Side; high?: Side }>();
  const stopAfter = options.stopAfter ?? Infinity;
  const solve = (cost: Float64Array) => {
    const outcome = lp.minimize(cost);
    if (outcome.status === 'infeasible')
      throw new Error('the published numbers contradict the model (reports removed between releases?)');
    if (outcome.status === 'optimal') certify(pool.add(outcome.values));
    options.onSolve?.(proven, 2 * q);
    return outcome;
  };
  const cutFrom = (rowDual: Float64Array, deficit: number): Cut => {
    const rhs = deficit - TOL;
    const toggles: number[] = [];
    const coefs: number[] = [];
    input.toggles.forEach((toggle, i) => {
      if (!published[i]) return;
      const dual = rowDual[model.toggleBase + i]!;
      if (Math.abs(dual) <= 1e-9) return;
      toggles.push(i);
      // Raising a dropped equation is unbounded: one such drop may suffice. Lowering it goes at most to 0.
      coefs.push(dual < 0 ? rhs : Math.min(rhs, dual * toggle.row.upper));
    });
    return { toggles: Int32Array.from(toggles), coefs: Float64Array.from(coefs), rhs };
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
  phase(zeroOk, model.lowCost, 'low');
  phase(reachOk, model.highCost, 'high');

  const exact = (i: number, sign: 1 | -1): number => {
    const outcome = lp.minimize(model.ownCost(i, sign));
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
  return finish(out);
}
