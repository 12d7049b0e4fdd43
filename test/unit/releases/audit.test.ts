import { auditRelease, type AuditFailure } from '../../../src/releases/audit';
import type { ReleaseAtoms } from '../../../src/releases/atoms';
import { suppressRelease } from '../../../src/releases/suppress';
import { naiveRelease, reports, smallUniverse } from './builders';
import { atomsFromReports, quarterRange, referenceUniverse, type Report } from './support';

const K = 11;
const failureAt = (failures: readonly AuditFailure[], table: string, keys: Record<string, string>) =>
  failures.find((f) => f.table === table && Object.entries(keys).every(([d, v]) => f.keys[d] === v));

describe('auditRelease', () => {
  it('catches naive suppression whose published margin recovers the one suppressed cell exactly', async () => {
    const universe = smallUniverse(['A', 'B', 'C'], ['2024-Q1']);
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 30),
      ...reports('B', 'OB', '2024-Q1', 25),
      ...reports('C', 'OC', '2024-Q1', 5),
    ]);
    const verdict = await auditRelease({ atoms, cells: naiveRelease(atoms, K), k: K });
    expect(verdict.ok).toBe(false);
    const c = failureAt(verdict.failures, 'by_state', { state: 'C' });
    expect(c).toMatchObject({ canBeZero: false, canReachK: false });
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
    const verdict = await auditRelease({ atoms, cells: naiveRelease(atoms, K), k: K });
    const sc = failureAt(verdict.failures, 'by_state', { state: 'SC' });
    expect(sc?.min).toBeCloseTo(4);
    expect(sc?.max).toBeCloseTo(4);
  });

  it('catches a Texas office bounded below k by the state total minus the other four offices', async () => {
    const universe = referenceUniverse(quarterRange(2024, 2024));
    const atoms = atomsFromReports(universe, [
      ...reports('TX', 'HLG', '2024-Q1', 3, universe),
      ...reports('TX', 'HOU', '2024-Q2', 50, universe),
      ...reports('TX', 'SNA', '2024-Q3', 40, universe),
      ...reports('TX', 'DAL', '2024-Q4', 30, universe),
      ...reports('TX', 'ELP', '2024-Q1', 20, universe),
      ...reports('OK', 'DAL', '2024-Q2', 15, universe),
      ...reports('NM', 'ELP', '2024-Q3', 12, universe),
      // Small counts elsewhere, so that empty states could still reach k and do not crowd the failure list.
      ...reports('FL', 'MIA', '2024-Q2', 5, universe),
      ...reports('WA', 'SEA', '2024-Q3', 5, universe),
      ...reports('IL', 'CHI', '2024-Q4', 5, universe),
    ]);
    const verdict = await auditRelease({ atoms, cells: naiveRelease(atoms, K), k: K });
    const hlg = failureAt(verdict.failures, 'by_field_office', { field_office: 'HLG' });
    expect(hlg?.canReachK).toBe(false);
    expect(hlg!.max).toBeLessThan(K);
  });

  it('catches two releases that differ by one report, each safe on its own', async () => {
    const universe = smallUniverse(['A', 'B', 'C', 'D'], ['2024-Q1']);
    const base: Report[] = [
      ...reports('A', 'OA', '2024-Q1', 10),
      ...reports('B', 'OB', '2024-Q1', 30),
      ...reports('C', 'OC', '2024-Q1', 5),
      ...reports('D', 'OD', '2024-Q1', 8),
    ];
    const first = atomsFromReports(universe, base);
    const second = atomsFromReports(universe, [...base, ...reports('A', 'OA', '2024-Q1', 1)]);
    const r1 = await suppressRelease({ atoms: first, k: K });
    const r2Alone = await suppressRelease({ atoms: second, k: K });
    expect(r2Alone.cells.find((c) => c.table === 'by_state' && c.keys.state === 'A')?.value).toBe(11);
    expect((await auditRelease({ atoms: second, cells: r2Alone.cells, k: K })).ok).toBe(true);

    const previousReleases = [{ universe, cells: r1.cells }];
    const verdict = await auditRelease({ atoms: second, cells: r2Alone.cells, k: K, previousReleases });
    expect(verdict.ok).toBe(false);
    expect(verdict.failures.some((f) => f.release === 0 && f.keys.state === 'A' && !f.canBeZero)).toBe(true);

    const r2 = await suppressRelease({ atoms: second, k: K, previousReleases });
    expect((await auditRelease({ atoms: second, cells: r2.cells, k: K, previousReleases })).ok).toBe(true);
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
    const verdict = await auditRelease({ atoms, cells: naiveRelease(atoms, K), k: K });
    expect(failureAt(verdict.failures, 'by_target_role', { target_role: 'lawyer' })?.max).toBeCloseTo(3);
  });

  it('passes a release whose small cells hide among several suppressed cells', async () => {
    const universe = smallUniverse(['A', 'B', 'C', 'D'], ['2024-Q1']);
    const atoms: ReleaseAtoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 40),
      ...reports('B', 'OB', '2024-Q1', 12),
      ...reports('C', 'OC', '2024-Q1', 5),
      ...reports('D', 'OD', '2024-Q1', 3),
    ]);
    const built = await suppressRelease({ atoms, k: K });
    const verdict = await auditRelease({ atoms, cells: built.cells, k: K });
    expect(verdict).toMatchObject({ ok: true, failures: [] });
    const national = built.cells.find((c) => c.table === 'national_total');
    expect(national).toMatchObject({ status: 'published', value: 60 });
  });

  it('passes a release where every cell is at least k', async () => {
    const universe = smallUniverse(['A', 'B'], ['2024-Q1']);
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 20),
      ...reports('B', 'OB', '2024-Q1', 15),
    ]);
    const verdict = await auditRelease({ atoms, cells: naiveRelease(atoms, K), k: K });
    expect(verdict.ok).toBe(true);
    expect(verdict.stats.solves).toBe(0);
  });
});
