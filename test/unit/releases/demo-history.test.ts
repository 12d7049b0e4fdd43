import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditSeries } from '../../../src/releases/disclosure/gate';
import type { ReleaseCell } from '../../../src/releases/disclosure/types';
import { TABLES } from '../../../src/releases/tables';
import { naiveRelease } from './builders';
import { demoSeedInputs } from './demo-inputs';

// The demo's two releases as the first release engine published them (cutoffs 2025-12-31 and 2026-09-30),
// kept as a fixture: 390 cells were published in both with a difference of 1 to 10, each giving away that
// so many reports were approved for that cell between the cutoffs. The auditor must refuse them.
const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/demo-releases-2026-11.json'), 'utf8'),
) as {
  releases: { cutoff: string; published: (string | number)[][] }[];
};

function cellsOf(published: (string | number)[][], all: readonly ReleaseCell[]): ReleaseCell[] {
  const shown = new Map(published.map((row) => [row.slice(0, -1).join('|'), Number(row.at(-1))]));
  return all.map((c) => {
    const key = [c.table, ...TABLES.find((t) => t.name === c.table)!.dimensions.map((d) => c.keys[d])].join(
      '|',
    );
    const value = shown.get(key);
    return value === undefined
      ? { ...c, status: 'suppressed', value: null }
      : { ...c, status: 'published', value };
  });
}

describe("the demo's releases as the first engine published them", () => {
  it('are refused: 390 published increments below k, and withheld increments recoverable from the margins', async () => {
    const [first, second] = demoSeedInputs(fixture.releases.map((r) => r.cutoff));
    const series = [first!, second!].map((input, i) => ({
      universe: input.universe,
      atoms: input.atoms,
      cells: cellsOf(fixture.releases[i]!.published, naiveRelease(input.atoms, 11)),
    }));
    const verdict = await auditSeries({ series, k: 11, maxFailures: 40 });
    expect(verdict.ok).toBe(false);
    const published = verdict.failures.filter((f) => f.kind === 'published_increment');
    expect(published).toHaveLength(390);
    expect(published.every((f) => f.min === f.max && f.min >= 1 && f.min <= 10)).toBe(true);
    expect(published).toContainEqual(
      expect.objectContaining({
        table: 'field_office_by_action_type',
        keys: { field_office: 'SLC', action_type: 'arrest' },
      }),
    );
    expect(verdict.failures.some((f) => f.kind === 'increment')).toBe(true);
  });
});
