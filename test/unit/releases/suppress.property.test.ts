import fc from 'fast-check';
import { auditRelease } from '../../../src/releases/audit';
import type { ReleaseUniverse } from '../../../src/releases/atoms';
import { suppressRelease } from '../../../src/releases/suppress';
import { atomsFromReports, type Report } from './support';

// Three states, one split between two offices (with "unknown"), one office covering two states: the shapes
// that make state-versus-office differences possible.
const universe: ReleaseUniverse = {
  geography: [
    { state: 'A', office: 'X' },
    { state: 'B', office: 'X' },
    { state: 'C', office: 'X' },
    { state: 'C', office: 'Y' },
    { state: 'C', office: null },
  ],
  quarters: ['2024-Q1', '2024-Q2', '2025-Q1'],
  codes: {
    action_type: ['a1', 'a2'],
    activism_type: ['b1', 'b2'],
    evidence_type: ['e1'],
    target_role: ['r1', 'r2'],
  },
};

const reportArb: fc.Arbitrary<Report> = fc
  .record({
    pair: fc.constantFrom(...universe.geography),
    quarter: fc.constantFrom(...universe.quarters),
    action: fc.subarray(['a1', 'a2'], { minLength: 1 }),
    activism: fc.subarray(['b1', 'b2']),
    evidence: fc.subarray(['e1']),
    role: fc.constantFrom('r1', 'r2'),
  })
  .map((r) => ({
    state: r.pair.state,
    office: r.pair.office,
    quarter: r.quarter,
    codes: {
      action_type: r.action,
      activism_type: r.activism,
      evidence_type: r.evidence,
      target_role: [r.role],
    },
  }));

describe('suppressRelease on random small datasets', () => {
  it('always passes the audit and never publishes a cell below k', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reportArb, { maxLength: 60 }),
        fc.integer({ min: 2, max: 6 }),
        async (list, k) => {
          const atoms = atomsFromReports(universe, list);
          const built = await suppressRelease({ atoms, k });
          expect(built.cells.filter((c) => c.status === 'published' && (c.value ?? 0) < k)).toEqual([]);
          expect((await auditRelease({ atoms, cells: built.cells, k })).failures).toEqual([]);
        },
      ),
      { numRuns: 40, seed: 20260501 },
    );
  });

  it('keeps a later release safe together with the earlier one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(reportArb, { maxLength: 50 }),
        fc.array(reportArb, { maxLength: 8 }),
        async (early, added) => {
          const k = 4;
          const first = atomsFromReports(universe, early);
          const second = atomsFromReports(universe, [...early, ...added]);
          const r1 = await suppressRelease({ atoms: first, k });
          const previousReleases = [{ universe, cells: r1.cells, atoms: first }];
          const r2 = await suppressRelease({ atoms: second, k, previousReleases });
          expect(r2.cells.filter((c) => c.status === 'published' && (c.value ?? 0) < k)).toEqual([]);
          expect(
            (await auditRelease({ atoms: second, cells: r2.cells, k, previousReleases })).failures,
          ).toEqual([]);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });
});
