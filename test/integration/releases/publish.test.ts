import { auditSeries } from '../../../src/releases/audit';
import { buildSystem } from '../../../src/releases/disclosure/system';
import { buildGeography } from '../../../src/releases/geography';
import { periodsThrough } from '../../../src/releases/periods';
import { runBuild } from '../../../src/releases/run-in-worker';
import { createReleases, ReleaseRefusedError } from '../../../src/releases/service';
import { listReleases, loadAtomsThrough, loadReleaseCells } from '../../../src/releases/store';
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

async function releasesService(build?: typeof runBuild) {
  return createReleases({
    db: database.db,
    reference: await loadReference(database.db),
    threshold: 11,
    today: () => new Date('2026-11-27T00:00:00Z'),
    ...(build ? { build } : {}),
  });
}

// The true count of every cell of the release being built, from the same atoms the builder sees.
function trueCells(input: Parameters<typeof runBuild>[0]): Map<string, number> {
  const release = buildSystem([...input.history, input.current]).releases.at(-1)!;
  return new Map(release.cells.map((c) => [`${c.table}|${JSON.stringify(c.keys)}`, c.count]));
}

describe('publishing a release', () => {
  it('counts only approved, consented reports decided by the cutoff, withholds below k, and freezes the cells', async () => {
    const releases = await releasesService();
    const { release } = await releases.publish(
      { label: '2025-Q4', cutoff: '2025-12-31' },
      { moderatorId: null },
    );
    expect(release).toMatchObject({ label: '2025-Q4', cutoff: '2025-12-31', threshold: 11 });

    const cells = await loadReleaseCells(database.db, release.id);
    const cell = (table: string, keys: Record<string, string> = {}) =>
      cells.find((c) => c.table === table && Object.entries(keys).every(([k, v]) => c.keys[k] === v));
    // 70 counted reports, and the national total is published in every release.
    expect(cell('national_total')).toMatchObject({ status: 'published', value: 70 });
    for (const c of cells) {
      if (c.status === 'published') expect(c.value).toBeGreaterThanOrEqual(11);
      else expect(c.value).toBeNull();
    }
    // A state with no reports is withheld like a small one: absence is as revealing as presence.
    expect(cell('by_state', { state: 'WY' })).toMatchObject({ status: 'suppressed', value: null });
    // The publication's audit row was written with it.
    const audit = await database.db('audit_events').where({ action: 'release_published' });
    expect(audit.map((row: { detail: { label: string } }) => row.detail.label)).toEqual(['2025-Q4']);

    // Frozen: no update, delete, added cell or truncation, whatever the code path.
    await expect(
      database.db('release_cells').where({ release_id: release.id }).update({ value: 999 }),
    ).rejects.toThrow(/frozen/);
    await expect(database.db('releases').where({ id: release.id }).del()).rejects.toThrow(/frozen/);
    await expect(
      database.db('release_cells').insert({
        release_id: release.id,
        table_name: 'by_state',
        key1: 'XX',
        key2: '',
        value: null,
        status: 'suppressed',
      }),
    ).rejects.toThrow(/frozen/);
    await expect(database.db.raw('truncate release_cells')).rejects.toThrow(/frozen/);
    await expect(database.db.raw('truncate releases cascade')).rejects.toThrow(/frozen/);
    expect(await loadReleaseCells(database.db, release.id)).toHaveLength(cells.length);
  }, 300_000);

  it('refuses a taken label, a bad label or date, a cutoff not after the latest or not before today', async () => {
    const releases = await releasesService();
    await expect(releases.publish({ label: '2025-Q4', cutoff: '2026-03-31' })).rejects.toMatchObject({
      status: 409,
    });
    await expect(releases.publish({ label: 'older', cutoff: '2025-06-30' })).rejects.toMatchObject({
      message: 'releases.errors.cutoff_before_latest',
      params: { label: '2025-Q4', cutoff: '2025-12-31' },
    });
    await expect(releases.publish({ label: 'same', cutoff: '2025-12-31' })).rejects.toMatchObject({
      message: 'releases.errors.cutoff_before_latest',
    });
    // Today is 2026-11-27: a report approved later today would be told it is counted in a release without it.
    await expect(releases.publish({ label: 'today', cutoff: '2026-11-27' })).rejects.toMatchObject({
      message: 'releases.errors.cutoff_not_past',
    });
    await expect(releases.publish({ label: 'future', cutoff: '2027-01-31' })).rejects.toMatchObject({
      message: 'releases.errors.cutoff_not_past',
    });
    await expect(releases.publish({ label: 'bad label!', cutoff: '2026-03-31' })).rejects.toMatchObject({
      status: 422,
    });
    await expect(releases.publish({ label: 'bad-date', cutoff: '2026-02-30' })).rejects.toMatchObject({
      status: 422,
    });
    expect((await listReleases(database.db)).map((r) => r.label)).toEqual(['2025-Q4']);
  });

  it('waits while the national total has gained 1 to k-1 reports since the latest release', async () => {
    const releases = await releasesService();
    // One report was approved in February 2026: the national total would go from 70 to 71.
    const refused = releases.build('2026-03-31');
    await expect(refused).rejects.toBeInstanceOf(ReleaseRefusedError);
    await expect(refused).rejects.toMatchObject({
      message: 'releases.errors.too_few_new',
      params: { label: '2025-Q4', count: 1, k: 11 },
    });
  });

  it('refuses, with the failing cells, what a broken suppression would publish, and publishes nothing', async () => {
    // Ten more reports in Vermont bring the national increment to 11; a suppression that publishes every
    // cell of at least k shows Georgia's one new report in the state's difference between the releases.
    await insertTestReports(
      database.db,
      Array.from({ length: 10 }, () =>
        buildApprovedReport('2026-03-10', { state: 'VT', fieldOffice: 'BOS', incidentMonth: '2026-01-01' }),
      ),
    );
    // Publishes the truth for every cell of at least k: what a suppression that forgot increments would do.
    const all = await releasesService(async (input, onProgress) => {
      const honest = await runBuild(input, onProgress);
      const truth = trueCells(input);
      const cells = honest.cells.map((c) => {
        const n = truth.get(`${c.table}|${JSON.stringify(c.keys)}`)!;
        return n >= 11 ? { ...c, status: 'published' as const, value: n } : c;
      });
      return { ...honest, cells };
    });
    const attempt = all.publish({ label: '2026-Q1', cutoff: '2026-03-31' });
    await expect(attempt).rejects.toBeInstanceOf(ReleaseRefusedError);
    const error = (await attempt.catch((e: unknown) => e)) as ReleaseRefusedError;
    expect(error.message).toBe('releases.errors.audit_failed');
    expect(error.failures).toContainEqual(
      expect.objectContaining({
        kind: 'published_increment',
        table: 'by_state',
        keys: { state: 'GA' },
        min: 1,
        max: 1,
      }),
    );
    expect((await listReleases(database.db)).map((r) => r.label)).toEqual(['2025-Q4']);
    expect(await database.db('audit_events').where({ action: 'release_published' })).toHaveLength(1);
  }, 300_000);

  it('audits a second release against the first, and what is stored passes the gate on its own', async () => {
    const releases = await releasesService();
    const { release, build } = await releases.publish({ label: '2026-Q1', cutoff: '2026-03-31' });
    // publish refuses what the gate does not pass; what is worth checking is that the gate had work to do.
    expect(build.verdict.stats.quantities).toBeGreaterThan(0);
    expect(build.nationalIncrement).toBe(11);
    const records = await listReleases(database.db);
    const series = await Promise.all(
      records.map(async (record) => ({
        ...(await atomsAsOf(record.cutoff)),
        cells: await loadReleaseCells(database.db, record.id),
      })),
    );
    // Without the builder's certificates: the gate proves everything itself.
    const verdict = await auditSeries({ series, k: 11 });
    expect(verdict.failures).toEqual([]);
    expect(release.label).toBe('2026-Q1');
    // Georgia gained one report: it is withheld now, and its increment is protected.
    const ga = (await loadReleaseCells(database.db, release.id)).find(
      (c) => c.table === 'by_state' && c.keys.state === 'GA',
    );
    expect(ga).toMatchObject({ status: 'suppressed', value: null });
  }, 600_000);
});

async function universeFor(cutoff: string) {
  const reference = await loadReference(database.db);
  return {
    geography: buildGeography(
      reference.states.map((s) => s.usps),
      reference.offices.map((o) => ({ code: o.code, states: o.states })),
    ),
    quarters: periodsThrough(cutoff),
    codes: Object.fromEntries(
      CODE_KINDS.map((kind) => [kind, reference.codes.filter((c) => c.kind === kind).map((c) => c.code)]),
    ) as Record<CodeKind, string[]>,
  };
}

async function atomsAsOf(cutoff: string) {
  const universe = await universeFor(cutoff);
  return {
    universe,
    atoms: { universe, ...(await loadAtomsThrough(database.db, [cutoff]))[0]! },
  };
}
