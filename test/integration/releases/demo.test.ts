import { seedDemo } from '../../../seeds/demo';
import { DEMO_RELEASES, seedDemoReleases } from '../../../seeds/demo-releases';
import { auditSeries } from '../../../src/releases/audit';
import { buildRelease } from '../../../src/releases/disclosure/suppress';
import { buildGeography } from '../../../src/releases/geography';
import { periodsThrough } from '../../../src/releases/periods';
import { listReleases, loadAtomsThrough, loadReleaseCells } from '../../../src/releases/store';
import { CODE_KINDS, type CodeKind } from '../../../src/releases/tables';
import { loadReference } from '../../../src/reference/store';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// The demo a newcomer meets on the first start: its two releases, as stored, audited by the gate from the
// reports alone (no certificates), and its information loss against the budgets of DESIGN section 6.

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemo(database.db, { NODE_ENV: 'development' });
  await seedDemoReleases(database.db, { NODE_ENV: 'development', DISCLOSURE_THRESHOLD: 11 });
}, 600_000);
afterAll(() => database.destroy());

describe("the demo's releases", () => {
  it('pass the gate together: no increment below k between them, no withheld number recoverable', async () => {
    const reference = await loadReference(database.db);
    const geography = buildGeography(
      reference.states.map((s) => s.usps),
      reference.offices.map((o) => ({ code: o.code, states: o.states })),
    );
    const codes = Object.fromEntries(
      CODE_KINDS.map((kind) => [kind, reference.codes.filter((c) => c.kind === kind).map((c) => c.code)]),
    ) as Record<CodeKind, string[]>;
    const records = await listReleases(database.db);
    expect(records.map((r) => r.label)).toEqual(DEMO_RELEASES.map((r) => r.label));
    const atoms = await loadAtomsThrough(
      database.db,
      records.map((r) => r.cutoff),
    );
    const series = await Promise.all(
      records.map(async (record, i) => {
        const universe = { geography, quarters: periodsThrough(record.cutoff), codes };
        return {
          universe,
          atoms: { universe, ...atoms[i]! },
          cells: await loadReleaseCells(database.db, record.id),
        };
      }),
    );
    const verdict = await auditSeries({ series, k: 11 });
    expect(verdict.failures).toEqual([]);
    expect(verdict.preexisting).toEqual([]);

    // Every cell both releases published grew by 0 or by at least k.
    const [first, second] = series;
    const before = new Map(
      first!.cells
        .filter((c) => c.status === 'published')
        .map((c) => [`${c.table}|${JSON.stringify(c.keys)}`, c.value!]),
    );
    // Counted, so that the check is known to have compared cells rather than found no cell in both.
    let compared = 0;
    for (const cell of second!.cells.filter((c) => c.status === 'published')) {
      const old = before.get(`${cell.table}|${JSON.stringify(cell.keys)}`);
      if (old === undefined) continue;
      compared += 1;
      expect(cell.value! - old === 0 || cell.value! - old >= 11).toBe(true);
    }
    expect(compared).toBeGreaterThan(10);
    // The national total is published in both, and the second release shows more than the first.
    for (const release of series)
      expect(release.cells.find((c) => c.table === 'national_total')?.status).toBe('published');
    const shown = (cells: readonly { table: string; status: string }[], table: string) =>
      cells.filter((c) => c.table === table && c.status === 'published').length;
    expect(shown(second!.cells, 'by_state')).toBeGreaterThan(shown(first!.cells, 'by_state'));
    expect(shown(second!.cells, 'by_field_office')).toBeGreaterThan(shown(first!.cells, 'by_field_office'));

    // Built again from the same reports, each release comes out the same (the build is deterministic), and
    // its information loss is within the budgets: at most 10 % of the cells publishable on their own
    // withheld to protect others, at most 1 in 10 in the one-dimensional tables.
    const key = (c: { table: string; keys: object; status: string; value: number | null }) =>
      `${c.table}|${JSON.stringify(c.keys)}|${c.status}|${c.value}`;
    for (const [i, release] of series.entries()) {
      const rebuilt = await buildRelease({ history: series.slice(0, i), current: release, k: 11 });
      expect(new Set(rebuilt.cells.map(key))).toEqual(new Set(release.cells.map(key)));
      expect(rebuilt.loss.nationalTotalPublished).toBe(true);
      expect(rebuilt.loss.share).toBeLessThanOrEqual(0.1);
      expect(rebuilt.loss.oneDimension.share).toBeLessThanOrEqual(0.1);
    }
  }, 600_000);
});
