// Repairing one failing quantity: the cheapest set of published equations to drop so that it can reach 0
// (or k). Pure: no I/O.
import type { AuditModel } from './audit-model';
import type { PointPool } from './point-pool';

/**
 * The cheapest weighted L1 deviation from the published values that lets one quantity reach 0 (`low`) or
 * k (`high`): a convex stand-in for the fewest cells to withhold. Dropping exactly the deviated equations
 * makes its solution feasible, so the solution is kept as the quantity's proof. Returns the toggles to
 * withhold, or null when no withholding in this release can protect the quantity.
 */
export function repairQuantity(
  model: AuditModel,
  pool: PointPool,
  published: Uint8Array,
  quantity: number,
  side: 'low' | 'high',
  weights: Float64Array,
): number[] | null {
  const { input, lp } = model;
  const toggles = input.toggles.length;
  model.setPublished(published);
  return model.withBounds(
    (lower, upper) => {
      for (let i = 0; i < toggles; i++) {
        if (!published[i]) continue;
        for (const column of model.deviation(i)) upper[column] = Infinity;
      }
      if (side === 'high') lower[model.lift(quantity)] = input.k;
      else for (const v of input.quantities[quantity]!.vars) upper[v] = 0;
    },
    () => {
      const cost = new Float64Array(model.width);
      for (let i = 0; i < toggles; i++) for (const column of model.deviation(i)) cost[column] = weights[i]!;
      const outcome = lp.minimize(cost);
      if (outcome.status !== 'optimal') return null;
      const drop: number[] = [];
      for (let i = 0; i < toggles; i++) {
        const [down, up] = model.deviation(i);
        if (published[i] && outcome.values[down]! + outcome.values[up]! > 1e-7) drop.push(i);
      }
      pool.add(outcome.values);
      return drop;
    },
  );
}
