// The additive relations between a release's tables (a cell equal to the sum of cells of another table):
// the structure most protection failures follow, and the source of the suppression model's first cuts.
// Pure: no I/O.
import { yearOf } from '../atoms';
import { TABLES } from '../tables';
import type { CellExpression } from './cells';

export interface Relation {
  readonly parent: string;
  readonly children: readonly string[];
}

/** Every cell that is exactly the sum of two or more cells of another table, by identity of their unknowns. */
function coverRelations(cells: readonly CellExpression[], numVars: number): Relation[] {
  const owners = TABLES.map(() => new Int32Array(numVars).fill(-1));
  const tableIndex = new Map(TABLES.map((t, i) => [t.name, i]));
  cells.forEach((c, i) => {
    const owner = owners[tableIndex.get(c.table)!]!;
    for (const v of c.vars) owner[v] = i;
  });
  const out: Relation[] = [];
  cells.forEach((parent) => {
    for (const owner of owners) {
      const children = new Set<number>();
      let covered = true;
      for (const v of parent.vars) {
        const child = owner[v]!;
        if (child < 0) {
          covered = false;
          break;
        }
        children.add(child);
      }
      if (!covered || children.size < 2) continue;
      let size = 0;
      for (const c of children) size += cells[c]!.vars.length;
      if (size !== parent.vars.length) continue;
      out.push({ parent: parent.id, children: [...children].map((c) => cells[c]!.id) });
    }
  });
  return out;
}

/**
 * The relations of one release's cells: sums of unknowns, plus the two that hold by the reports' rules
 * rather than by shared unknowns (a year is the sum of its quarters; every report has exactly one target
 * role, so the roles add up to the national total).
 */
export function findRelations(cells: readonly CellExpression[], numVars: number): Relation[] {
  const relations = coverRelations(cells, numVars);
  const quarters = cells.filter((c) => c.table === 'by_quarter');
  for (const year of cells.filter((c) => c.table === 'by_year')) {
    const parts = quarters.filter((q) => yearOf(q.keys.quarter!) === year.keys.year);
    if (parts.length >= 2) relations.push({ parent: year.id, children: parts.map((q) => q.id) });
  }
  const national = cells.find((c) => c.table === 'national_total');
  const roles = cells.filter((c) => c.table === 'by_target_role');
  if (national && roles.length >= 2)
    relations.push({ parent: national.id, children: roles.map((r) => r.id) });
  return relations;
}
