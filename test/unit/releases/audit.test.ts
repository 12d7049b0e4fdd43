import { auditSeries, type GateFailure } from '../../../src/releases/disclosure/gate';
import { buildRelease } from '../../../src/releases/disclosure/suppress';
import type { ReleaseCell } from '../../../src/releases/disclosure/types';
import type { ReleaseAtoms } from '../../../src/releases/atoms';
import { naiveRelease, reports, smallUniverse } from './builders';
import { atomsFromReports, quarterRange, referenceUniverse, type Report } from './support';

const K = 11;
const failureAt = (failures: readonly GateFailure[], table: string, keys: Record<string, string>) =>
  failures.find((f) => f.table === table && Object.entries(keys).every(([d, v]) => f.keys[d] === v));
const one = (atoms: ReleaseAtoms, cells: readonly ReleaseCell[]) => ({
  universe: atoms.universe,
  atoms,
  cells,
});
const publish = (
  cells: readonly ReleaseCell[],
  table: string,
  keys: Record<string, string>,
  value: number,
): ReleaseCell[] =>
  cells.map((c) =>
    c.table === table && Object.entries(keys).every(([d, v]) => c.keys[d] === v)
      ? { ...c, status: 'published', value }
      : c,
  );

describe('the gate (auditSeries)', () => {
  it('catches naive suppression whose published margin recovers the one withheld cell exactly', async () => {
    const universe = smallUniverse(['A', 'B', 'C'], ['2024-Q1']);
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 30),
      ...reports('B', 'OB', '2024-Q1', 25),
      ...reports('C', 'OC', '2024-Q1', 5),
    ]);
    const verdict = await auditSeries({ series: [one(atoms, naiveRelease(atoms, K))], k: K });
    expect(verdict.ok).toBe(false);
    const c = failureAt(verdict.failures, 'by_state', { state: 'C' });
    expect(c).toMatchObject({ kind: 'level', canBeZero: false, canReachK: false });
    expect(c!.min).toBeCloseTo(5);
    expect(c!.max).toBeCloseTo(5);
  });

  it("catches a state recovered from its field offices' totals (Atlanta covers GA, NC and SC)", async () => {
    const universe = referenceUniverse(quarterRange(2024, 2024));
    const atoms = atomsFromReports(universe, [
      ...reports('GA', 'ATL', '2024-Q1', 40, universe),
      ...reports('NC', 'ATL', '2024-Q2', 30, universe),
      ...reports('SC', 'ATL', '2024-Q3', 4, universe),
      ...reports('CA', 'LOS', '2024-Q1', 50, universe),
    ]);
    const verdict = await auditSeries({ series: [one(atoms, naiveRelease(atoms, K))], k: K });
    const sc = failureAt(verdict.failures, 'by_state', { state: 'SC' });
    expect(sc?.min).toBeCloseTo(4);
    expect(sc?.max).toBeCloseTo(4);
  });

  it('catches a target role recovered from the total, since every report has exactly one', async () => {
    const universe = {
      ...smallUniverse(['A'], ['2024-Q1']),
      codes: {
        action_type: ['arrest'],
        activism_type: ['organizer'],
        evidence_type: ['photo'],
        target_role: ['self', 'family', 'lawyer'],
      },
    };
    const withRole = (role: string, n: number): Report[] =>
      reports('A', 'OA', '2024-Q1', n).map((r) => ({ ...r, codes: { ...r.codes, target_role: [role] } }));
    const atoms = atomsFromReports(universe, [
      ...withRole('self', 30),
      ...withRole('family', 20),
      ...withRole('lawyer', 3),
    ]);
    const verdict = await auditSeries({ series: [one(atoms, naiveRelease(atoms, K))], k: K });
    expect(failureAt(verdict.failures, 'by_target_role', { target_role: 'lawyer' })?.max).toBeCloseTo(3);
  });

  it('catches two releases one report apart in one published cell', async () => {
    const universe = smallUniverse(['A', 'B'], ['2024-Q1']);
    const base = [...reports('A', 'OA', '2024-Q1', 14), ...reports('B', 'OB', '2024-Q1', 30)];
    const first = atomsFromReports(universe, base);
    const second = atomsFromReports(universe, [...base, ...reports('A', 'OA', '2024-Q1', 1)]);
    // Each release alone is fine: every cell is at least k and published.
    const verdict = await auditSeries({
      series: [one(first, naiveRelease(first, K)), one(second, naiveRelease(second, K))],
      k: K,
    });
    expect(verdict.ok).toBe(false);
    const a = verdict.failures.find(
      (f) => f.kind === 'published_increment' && f.table === 'by_state' && f.keys.state === 'A',
    );
    expect(a).toMatchObject({ release: 1, since: 0, min: 1, max: 1 });
  });

  it('catches a withheld increment recoverable from published margins', async () => {
    // B grows by 3 between the releases and is withheld in the second, but A and the national total are
    // published in both: B's increment is the national increment minus A's.
    const universe = smallUniverse(['A', 'B'], ['2024-Q1']);
    const base = [...reports('A', 'OA', '2024-Q1', 20), ...reports('B', 'OB', '2024-Q1', 30)];
    const added = [...reports('A', 'OA', '2024-Q1', 11), ...reports('B', 'OB', '2024-Q1', 3)];
    const first = atomsFromReports(universe, base);
    const second = atomsFromReports(universe, [...base, ...added]);
    const r1 = naiveRelease(first, K);
    const r2 = naiveRelease(second, K).map((c) =>
      c.table === 'by_state' && c.keys.state === 'B'
        ? { ...c, status: 'suppressed' as const, value: null }
        : c,
    );
    const twin = (cells: ReleaseCell[]) =>
      cells.map((c) =>
        c.table === 'by_field_office' && c.keys.field_office === 'OB'
          ? { ...c, status: 'suppressed' as const, value: null }
          : c,
      );
    const verdict = await auditSeries({ series: [one(first, r1), one(second, twin(r2))], k: K });
    expect(verdict.ok).toBe(false);
    const b = verdict.failures.find(
      (f) => f.kind === 'increment' && f.table === 'by_state' && f.keys.state === 'B',
    );
    expect(b).toMatchObject({ release: 1, since: 0, canBeZero: false, canReachK: false });
    expect(b!.min).toBeCloseTo(3);
    expect(b!.max).toBeCloseTo(3);
  });

  it('refuses a published number that is not the true count, or a true count below k', async () => {
    const universe = smallUniverse(['A', 'B'], ['2024-Q1']);
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 20),
      ...reports('B', 'OB', '2024-Q1', 30),
    ]);
    const wrong = publish(naiveRelease(atoms, K), 'by_state', { state: 'A' }, 21);
    expect((await auditSeries({ series: [one(atoms, wrong)], k: K })).failures.map((f) => f.kind)).toContain(
      'published_wrong_value',
    );
    const small = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 5),
      ...reports('B', 'OB', '2024-Q1', 30),
    ]);
    const shown = publish(naiveRelease(small, K), 'by_state', { state: 'A' }, 5);
    const verdict = await auditSeries({ series: [one(small, shown)], k: K });
    expect(verdict.failures.find((f) => f.kind === 'published_below_k')).toMatchObject({
      table: 'by_state',
      keys: { state: 'A' },
    });
  });

  it('believes no certificate it cannot verify', async () => {
    const universe = smallUniverse(['A', 'B', 'C'], ['2024-Q1']);
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 30),
      ...reports('B', 'OB', '2024-Q1', 25),
      ...reports('C', 'OC', '2024-Q1', 5),
    ]);
    const width =
      (await buildRelease({ history: [], current: { universe, atoms }, k: K })).certificates[0]?.length ?? 0;
    // Points that would prove C could be 0 and could be k, if anyone believed them: they break the published equations.
    const bogus = [new Float64Array(width), new Float64Array(width).fill(K)];
    const verdict = await auditSeries({
      series: [one(atoms, naiveRelease(atoms, K))],
      k: K,
      certificates: bogus,
    });
    expect(verdict.stats.certified).toBe(0);
    expect(failureAt(verdict.failures, 'by_state', { state: 'C' })).toBeDefined();
  });

  it('passes a release built by the suppression, using its verified certificates instead of solves', async () => {
    const universe = smallUniverse(['A', 'B', 'C', 'D'], ['2024-Q1']);
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 40),
      ...reports('B', 'OB', '2024-Q1', 12),
      ...reports('C', 'OC', '2024-Q1', 5),
      ...reports('D', 'OD', '2024-Q1', 3),
    ]);
    const built = await buildRelease({ history: [], current: { universe, atoms }, k: K });
    const verdict = await auditSeries({
      series: [one(atoms, built.cells)],
      k: K,
      certificates: built.certificates,
    });
    expect(verdict).toMatchObject({ ok: true, failures: [] });
    expect(verdict.stats.certified).toBeGreaterThan(0);
    expect(verdict.stats.solves).toBe(0);
    expect(built.cells.find((c) => c.table === 'national_total')).toMatchObject({
      status: 'published',
      value: 60,
    });
  });

  it("reports what earlier releases gave away as pre-existing, not as this release's failure", async () => {
    const universe = smallUniverse(['A', 'B'], ['2024-Q1']);
    const base = [...reports('A', 'OA', '2024-Q1', 14), ...reports('B', 'OB', '2024-Q1', 30)];
    const r1 = atomsFromReports(universe, base);
    const r2 = atomsFromReports(universe, [...base, ...reports('A', 'OA', '2024-Q1', 1)]);
    const r3 = atomsFromReports(universe, [...base, ...reports('A', 'OA', '2024-Q1', 1)]);
    // Releases 0 and 1 leak A's one new report; release 2 adds nothing and withholds everything new.
    const withheldAll = naiveRelease(r3, K).map((c) =>
      c.table === 'national_total' ? c : { ...c, status: 'suppressed' as const, value: null },
    );
    const verdict = await auditSeries({
      series: [one(r1, naiveRelease(r1, K)), one(r2, naiveRelease(r2, K)), one(r3, withheldAll)],
      k: K,
    });
    expect(verdict.preexisting.some((f) => f.kind === 'published_increment' && f.release === 1)).toBe(true);
    expect(verdict.failures.filter((f) => f.release === 2)).toEqual([]);
  });
});
