import { auditRelease } from '../../../src/releases/audit';
import { buildGeography } from '../../../src/releases/geography';
import { periodsThrough } from '../../../src/releases/periods';
import { createReleases } from '../../../src/releases/service';
import {
  listReleases,
  loadCodeAtoms,
  loadGeoAtoms,
  loadPairAtoms,
  loadReleaseCells,
} from '../../../src/releases/store';
import { CODE_KINDS, type CodeKind } from '../../../src/releases/tables';
import { loadReference } from '../../../src/reference/store';
import { buildApprovedReport, buildReport, insertTestReports } from '../../support/factories';
import { createTestDatabase, type TestDatabase } from '../../support/database';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  // 40 approved reports in Georgia (one office, ATL) and 30 in Vermont (BOS), decided in 2025; a few
  // that must never be counted: pending, rejected, decided after the cutoff, or without consent.
  await insertTestReports(database.db, [
    ...Array.from({ length: 40 }, () =>
      buildApprovedReport('2025-06-10', { state: 'GA', fieldOffice: 'ATL', incidentMonth: '2025-02-01' }),
    ),
    ...Array.from({ length: 30 }, () =>
      buildApprovedReport('2025-06-10', { state: 'VT', fieldOffice: 'BOS', incidentMonth: '2025-04-01' }),
    ),
    buildReport({ state: 'GA', fieldOffice: 'ATL' }),
    buildReport({
      status: 'rejected',
      decisionOn: '2025-05-01',
      decisionReason: 'spam',
      state: 'GA',
      fieldOffice: 'ATL',
    }),
    buildApprovedReport('2026-02-01', { state: 'GA', fieldOffice: 'ATL' }),
    buildApprovedReport('2025-06-10', { state: 'GA', fieldOffice: 'ATL', consentToCount: false }),
  ]);
});
afterAll(() => database.destroy());

async function releasesService() {
  return createReleases({
    db: database.db,
    reference: await loadReference(database.db),
    threshold: 11,
    today: () => new Date('2026-11-27T00:00:00Z'),
  });
}

// Timeouts are generous: these build real releases, and the audit of nearly empty tables (the hardest
// case: almost every cell hidden) runs hundreds of LP solves; bench/release-core.ts has the figures.
describe('publishing a release', () => {
  it('counts only approved, consented reports decided by the cutoff, suppresses below k, and freezes the cells', async () => {
    const releases = await releasesService();
    const { release, build } = await releases.publish({ label: '2025-Q4', cutoff: '2025-12-31' });
    expect(build.verdict.ok).toBe(true);
    expect(release).toMatchObject({ label: '2025-Q4', cutoff: '2025-12-31', threshold: 11 });

    const cells = await loadReleaseCells(database.db, release.id);
    const cell = (table: string, keys: Record<string, string> = {}) =>
      cells.find((c) => c.table === table && Object.entries(keys).every(([k, v]) => c.keys[k] === v));
    // 70 counted reports; whether the total itself is shown depends on what else is published.
    const total = cell('national_total')!;
    expect(total.status === 'suppressed' ? total.value : total.value === 70).toBe(
      total.status === 'suppressed' ? null : true,
    );
    // No published cell is below k; every suppressed cell has no value stored.
    for (const c of cells) {
      if (c.status === 'published') expect(c.value).toBeGreaterThanOrEqual(11);
      else expect(c.value).toBeNull();
    }
    // A state with no reports is suppressed like a small one: absence is as revealing as presence.
    expect(cell('by_state', { state: 'WY' })).toMatchObject({ status: 'suppressed', value: null });

    await expect(
      database.db('release_cells').where({ release_id: release.id }).update({ value: 999 }),
    ).rejects.toThrow(/frozen/);
    await expect(database.db('releases').where({ id: release.id }).del()).rejects.toThrow(/frozen/);
  }, 300_000);

  it('refuses a taken label, a cutoff before the latest release and a cutoff in the future', async () => {
    const releases = await releasesService();
    await expect(releases.publish({ label: '2025-Q4', cutoff: '2026-03-31' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(releases.publish({ label: 'older', cutoff: '2025-06-30' })).rejects.toMatchObject({
      message: 'releases.errors.cutoff_before_latest',
    });
    await expect(releases.publish({ label: 'future', cutoff: '2027-01-31' })).rejects.toMatchObject({
      message: 'releases.errors.cutoff_future',
    });
    await expect(releases.publish({ label: 'bad label!', cutoff: '2026-03-31' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(releases.publish({ label: 'bad-date', cutoff: '2026-02-30' })).rejects.toMatchObject({
      status: 422,
    });
    expect((await listReleases(database.db)).map((r) => r.label)).toEqual(['2025-Q4']);
  });

  it('audits a second release against the first, and what is stored passes the auditor on its own', async () => {
    const releases = await releasesService();
    const { release, build } = await releases.publish({ label: '2026-Q1', cutoff: '2026-03-31' });
    expect(build.verdict.ok).toBe(true);
    const [firstRecord] = await listReleases(database.db);
    const reference = await loadReference(database.db);
    const universe = (cutoff: string) => ({
      geography: buildGeography(
        reference.states.map((s) => s.usps),
        reference.offices.map((o) => ({ code: o.code, states: o.states })),
      ),
      quarters: periodsThrough(cutoff),
      codes: Object.fromEntries(
        CODE_KINDS.map((kind) => [kind, reference.codes.filter((c) => c.kind === kind).map((c) => c.code)]),
      ) as Record<CodeKind, string[]>,
    });
    const atomsAsOf = async (cutoff: string) => ({
      universe: universe(cutoff),
      geo: await loadGeoAtoms(database.db, cutoff),
      codes: await loadCodeAtoms(database.db, cutoff),
      pairs: await loadPairAtoms(database.db, cutoff),
    });
    const atoms = await atomsAsOf('2026-03-31');
    const verdict = await auditRelease({
      atoms,
      cells: await loadReleaseCells(database.db, release.id),
      k: 11,
      previousReleases: [
        {
          universe: universe(firstRecord!.cutoff),
          cells: await loadReleaseCells(database.db, firstRecord!.id),
          atoms: await atomsAsOf(firstRecord!.cutoff),
        },
      ],
    });
    const geo = atoms.geo;
    expect(verdict.failures).toEqual([]);
    // The one report decided in February 2026 is counted in the second release only.
    expect(geo.reduce((sum, atom) => sum + atom.count, 0)).toBe(71);
  }, 600_000);
});
