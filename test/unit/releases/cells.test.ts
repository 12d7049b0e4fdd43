import { TABLES } from '../../../src/releases/tables';
import { reports, smallUniverse, trueCells } from './builders';
import { atomsFromReports, quarterRange, referenceUniverse, syntheticReports } from './support';

describe('cells of a release', () => {
  it('counts every table from the atoms, with unknown-office reports under the key "unknown"', () => {
    const universe = smallUniverse(
      ['A', 'B'],
      ['2024-Q1', '2024-Q2', '2025-Q1'],
      [{ state: 'B', office: null }],
    );
    const atoms = atomsFromReports(universe, [
      ...reports('A', 'OA', '2024-Q1', 3),
      ...reports('B', null, '2024-Q2', 2),
      ...reports('B', 'OB', '2025-Q1', 4),
    ]);
    const cells = trueCells(atoms);
    const find = (table: string, keys: Record<string, string>) =>
      cells.find((c) => c.table === table && Object.entries(keys).every(([d, v]) => c.keys[d] === v))?.count;
    expect(find('national_total', {})).toBe(9);
    expect(find('by_state', { state: 'B' })).toBe(6);
    expect(find('by_field_office', { field_office: 'unknown' })).toBe(2);
    expect(find('by_year', { year: '2024' })).toBe(5);
    expect(find('by_quarter', { quarter: '2024-Q2' })).toBe(2);
    expect(find('state_by_year', { state: 'B', year: '2025' })).toBe(4);
    expect(find('state_by_action_type', { state: 'A', action_type: 'arrest' })).toBe(3);
    expect(find('action_type_by_activism_type', { action_type: 'arrest', activism_type: 'organizer' })).toBe(
      9,
    );
    expect(find('by_target_role', { target_role: 'self' })).toBe(9);
  });

  it('gives each table cells that partition the reports, so every table sums to the national total', () => {
    const universe = referenceUniverse(quarterRange(2023, 2024));
    const cells = trueCells(atomsFromReports(universe, syntheticReports(universe, 500, 7)));
    const partitions = TABLES.filter(
      (t) =>
        t.dimensions.length === 1 &&
        ['state', 'field_office', 'year', 'quarter', 'target_role'].includes(t.dimensions[0]!),
    );
    for (const table of partitions) {
      expect(cells.filter((c) => c.table === table.name).reduce((n, c) => n + c.count, 0)).toBe(500);
    }
    expect(new Set(cells.map((c) => c.table))).toEqual(new Set(TABLES.map((t) => t.name)));
  });
});
