// The suppression model: which publishable cells to withhold, as a 0/1 program solved by HiGHS. Each cut
// is a necessary condition for some protected number (from a relation between tables, or from an audit's
// duals), so the model's optimum is a lower bound on what any protection must withhold; the audit decides
// whether its solution is enough. Pure: no I/O.
import type { Highs } from 'highs';
import type { Cut } from './auditor';
import { createLp, type Lp } from './lp';

export interface Master {
  /** Adds cuts; returns how many were new. */
  add(cuts: readonly Cut[]): number;
  /**
   * The cheapest choice satisfying every cut so far (1 = withhold); with `keep`, only choices that withhold
   * at least those cells (so every proof the audit found so far stays valid).
   */
  solve(
    keep?: Uint8Array,
    cost?: Float64Array,
  ): { hidden: Uint8Array; objective: number; lowerBound: number };
  readonly cuts: number;
  dispose(): void;
}

/** A 0/1 program over `weights.length` choices; `timeLimit` seconds per solve (the best solution found is used). */
export function createMaster(highs: Highs, weights: Float64Array, timeLimit = 10): Master {
  const n = weights.length;
  const lp: Lp = createLp(highs, {
    colLower: new Float64Array(n),
    colUpper: new Float64Array(n).fill(1),
    rows: [],
    integer: Int32Array.from({ length: n }, (_, i) => i),
  });
  lp.setOptions({ time_limit: timeLimit, mip_rel_gap: 1e-6 });
  const seen = new Set<string>();
  let count = 0;
  return {
    add(cuts) {
      const fresh = cuts.filter((cut) => {
        if (cut.rhs <= 0 || cut.toggles.length === 0) return false;
        const key = `${Array.from(cut.toggles).join(',')}:${Array.from(cut.coefs, (c) => c.toFixed(6)).join(',')}:${cut.rhs.toFixed(6)}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      lp.addRows(
        fresh.map((cut) => ({ vars: cut.toggles, coefs: cut.coefs, lower: cut.rhs, upper: Infinity })),
      );
      count += fresh.length;
      return fresh.length;
    },
    solve(keep, cost = weights) {
      if (count === 0 && !keep) return { hidden: new Uint8Array(n), objective: 0, lowerBound: 0 };
      lp.setColBounds(keep ? Float64Array.from(keep) : new Float64Array(n), new Float64Array(n).fill(1));
      const outcome = lp.minimize(cost);
      if (outcome.status !== 'optimal')
        throw new Error(`the suppression model has no solution (${outcome.status})`);
      const hidden = Uint8Array.from(outcome.values, (v) => (v > 0.5 ? 1 : 0));
      return { hidden, objective: outcome.objective, lowerBound: lp.mipBound() };
    },
    get cuts() {
      return count;
    },
    dispose: () => lp.dispose(),
  };
}
