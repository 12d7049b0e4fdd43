// Repairing failing quantities: for each, the cheapest set of published equations to drop so that it can
// reach 0 (or k). One session repairs a whole round's failures on the same LP, changing only the bounds
// each repair needs, so every solve restarts from the last basis. Pure: no I/O.
import type { AuditModel } from './audit-model';
import type { PointPool } from './point-pool';

export interface RepairSession {
  /**
   * The cheapest weighted L1 deviation from the published values that lets one quantity reach 0 (`low`)
   * or k (`high`): a convex stand-in for the fewest cells to withhold. Dropping exactly the deviated
   * equations makes its solution feasible, so the solution is kept as the quantity's proof. Returns the
   * toggles it withheld (and marks them withheld), or null when no withholding in this release can
   * protect the quantity.
   */
  repair(quantity: number, side: 'low' | 'high'): number[] | null;
  /** Puts the LP back as the audit expects it (deviations fixed at 0). */
  end(): void;
}

/** Starts repairing under `published` (updated in place as equations are dropped), at these prices. */
export function startRepairs(
  model: AuditModel,
  pool: PointPool,
  published: Uint8Array,
  weights: Float64Array,
): RepairSession {
  const { input, lp } = model;
  const toggles = input.toggles.length;
  const deviations = Int32Array.from({ length: 2 * toggles }, (_, j) => model.deviation(j >> 1)[j & 1]!);
  const fill = (n: number, value: number) => new Float64Array(n).fill(value);
  model.setPublished(published);
  // Every published equation may be missed, at its price; withheld ones are free already.
  lp.setSomeColBounds(
    deviations,
    fill(deviations.length, 0),
    Float64Array.from(deviations, (_, j) => (published[j >> 1] ? Infinity : 0)),
  );
  const cost = new Float64Array(model.width);
  for (let i = 0; i < toggles; i++) for (const column of model.deviation(i)) cost[column] = weights[i]!;
  const withhold = (i: number): void => {
    published[i] = 0;
    lp.setRowBounds(
      Int32Array.of(model.toggleBase + i),
      Float64Array.of(-Infinity),
      Float64Array.of(Infinity),
    );
    const [down, up] = model.deviation(i);
    lp.setSomeColBounds(Int32Array.of(down, up), fill(2, 0), fill(2, 0));
  };
  return {
    repair(quantity, side) {
      const vars = input.quantities[quantity]!.vars;
      const lift = Int32Array.of(model.lift(quantity));
      // The quantity's target: its lift held at k, or every unknown it sums held at 0.
      if (side === 'high') lp.setSomeColBounds(lift, fill(1, input.k), fill(1, input.k));
      else lp.setSomeColBounds(vars, fill(vars.length, 0), fill(vars.length, 0));
      try {
        const outcome = lp.minimize(cost);
        if (outcome.status !== 'optimal') return null;
        const drop: number[] = [];
        for (let i = 0; i < toggles; i++) {
          const [down, up] = model.deviation(i);
          if (published[i] && outcome.values[down]! + outcome.values[up]! > 1e-7) drop.push(i);
        }
        for (const i of drop) withhold(i);
        pool.add(outcome.values);
        return drop;
      } finally {
        if (side === 'high') lp.setSomeColBounds(lift, fill(1, 0), fill(1, input.k));
        else lp.setSomeColBounds(vars, fill(vars.length, 0), fill(vars.length, Infinity));
      }
    },
    end() {
      lp.setSomeColBounds(deviations, fill(deviations.length, 0), fill(deviations.length, 0));
    },
  };
}
