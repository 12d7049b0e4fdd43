import { auditRelease } from '../../../src/releases/audit';
import { isFeasiblePoint } from '../../../src/releases/family-audit';
import { suppressRelease } from '../../../src/releases/suppress';
import type { Family } from '../../../src/releases/system';
import { reports, smallUniverse } from './builders';
import { atomsFromReports, type Report } from './support';

const K = 11;

// The audit tries the true counts of every release as a free feasible point. An earlier release's counts are
// recomputed, not frozen, so the point must be verified before it proves anything.
describe('the true-counts screen', () => {
  const universe = smallUniverse(['A', 'B', 'C', 'D'], ['2024-Q1']);
  const base: Report[] = [
    ...reports('A', 'OA', '2024-Q1', 10),
    ...reports('B', 'OB', '2024-Q1', 30),
    ...reports('C', 'OC', '2024-Q1', 5),
    ...reports('D', 'OD', '2024-Q1', 8),
  ];
  const first = atomsFromReports(universe, base);
  const second = atomsFromReports(universe, [...base, ...reports('A', 'OA', '2024-Q1', 1)]);

  it('still catches two releases one report apart when the earlier counts are known', async () => {
    const r1 = await suppressRelease({ atoms: first, k: K });
    const r2Alone = await suppressRelease({ atoms: second, k: K });
    const previousReleases = [{ universe, cells: r1.cells, atoms: first }];
    const verdict = await auditRelease({ atoms: second, cells: r2Alone.cells, k: K, previousReleases });
    expect(verdict.ok).toBe(false);
    expect(verdict.failures.some((f) => f.release === 0 && f.keys.state === 'A' && !f.canBeZero)).toBe(true);
  });

  it('does not let a wrong recount (A shown as 0) prove that A could be 0', async () => {
    const r1 = await suppressRelease({ atoms: first, k: K });
    const r2Alone = await suppressRelease({ atoms: second, k: K });
    // A recount that lost state A's reports: at this point A is 0, but the point breaks the published total.
    const wrong = atomsFromReports(
      universe,
      base.filter((r) => r.state !== 'A'),
    );
    const previousReleases = [{ universe, cells: r1.cells, atoms: wrong }];
    const verdict = await auditRelease({ atoms: second, cells: r2Alone.cells, k: K, previousReleases });
    expect(verdict.ok).toBe(false);
    expect(verdict.failures.some((f) => f.release === 0 && f.keys.state === 'A' && !f.canBeZero)).toBe(true);
  });

  it("proves an earlier release's truly-empty cells without an LP when its recount is consistent", async () => {
    const wider = smallUniverse(['A', 'B', 'C', 'D', 'E'], ['2024-Q1']);
    const early = atomsFromReports(wider, base);
    const late = atomsFromReports(wider, [...base, ...reports('A', 'OA', '2024-Q1', 1)]);
    const r1 = await suppressRelease({ atoms: early, k: K });
    const history = [{ universe: wider, cells: r1.cells }];
    const r2 = await suppressRelease({ atoms: late, k: K, previousReleases: history });
    const audit = (atoms?: typeof early) =>
      auditRelease({
        atoms: late,
        cells: r2.cells,
        k: K,
        previousReleases: [{ ...history[0]!, ...(atoms ? { atoms } : {}) }],
      });
    const blind = await audit();
    const informed = await audit(early);
    expect(blind.ok).toBe(true);
    expect(informed.ok).toBe(true);
    // State E (no reports in either release) is proved able to be 0 in the earlier release too.
    expect(informed.stats.screened).toBeGreaterThan(blind.stats.screened);
  });
});

describe('isFeasiblePoint', () => {
  const family: Family = {
    globals: Int32Array.of(0, 1, 2),
    // x0 + x1 = 5, x1 − x2 ≤ 0
    rows: [
      { vars: Int32Array.of(0, 1), coefs: Float64Array.of(1, 1), lower: 5, upper: 5, sources: [] },
      { vars: Int32Array.of(1, 2), coefs: Float64Array.of(1, -1), lower: -Infinity, upper: 0, sources: [] },
    ],
    checked: [],
  };

  it('accepts a point that satisfies every row', () => {
    expect(isFeasiblePoint(family, Float64Array.of(2, 3, 3))).toBe(true);
  });

  it('rejects a point that breaks an equation, an inequality, nonnegativity, or is incomplete', () => {
    expect(isFeasiblePoint(family, Float64Array.of(2, 2, 3))).toBe(false);
    expect(isFeasiblePoint(family, Float64Array.of(2, 3, 2))).toBe(false);
    expect(isFeasiblePoint(family, Float64Array.of(6, -1, 0))).toBe(false);
    expect(isFeasiblePoint(family, Float64Array.of(2, 3, NaN))).toBe(false);
    expect(isFeasiblePoint(family, Float64Array.of(2, 3))).toBe(false);
  });
});
