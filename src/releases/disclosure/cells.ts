// Every cell of every table as a sum of one space's unknowns: the same expression gives a cell's true
// count and the equation the auditor writes for it.
import { UNKNOWN_OFFICE, TABLES, isCodeKind, type Dimension, type TableDef } from '../tables';
import type { VariableInfo, VariableSpace } from './space';

export interface CellExpression {
  readonly table: string;
  /** Dimension name → key, e.g. { state: 'TX', year: '2024' }; unknown-office reports are field office 'unknown'. */
  readonly keys: Readonly<Record<string, string>>;
  /** Stable identity across releases (see cellId). */
  readonly id: string;
  /** Indices of the unknowns whose sum is this cell, ascending. */
  readonly vars: Int32Array;
}

/** Stable identity of a cell: table and keys in the table's dimension order. */
export function cellId(table: string, keys: Readonly<Record<string, string>>): string {
  const def = TABLES.find((t) => t.name === table);
  const parts = (def?.dimensions ?? Object.keys(keys)).map((d) => keys[d] ?? '');
  return [table, ...parts].join('|');
}

/** The key an unknown has in one dimension, or null when the unknown is not counted in that dimension. */
function keyIn(space: VariableSpace, info: VariableInfo, dimension: Dimension): string | null {
  const u = space.universe;
  const geoKey = (pair: number): string | null => {
    const p = u.geography[pair]!;
    if (dimension === 'state') return p.state;
    if (dimension === 'field_office') return p.office ?? UNKNOWN_OFFICE;
    return null;
  };
  switch (info.type) {
    case 'geo':
      if (dimension === 'year') return space.years[info.year]!;
      return geoKey(info.pair);
    case 'quarter':
      return dimension === 'quarter' ? u.quarters[info.quarter]! : null;
    case 'code':
      if (dimension === info.kind) return u.codes[info.kind][info.code]!;
      return info.pair === null ? null : geoKey(info.pair);
    case 'pair':
      if (dimension === 'action_type') return u.codes.action_type[info.action]!;
      if (dimension === 'activism_type') return u.codes.activism_type[info.activism]!;
      return null;
    case 'sum':
      return null;
  }
}

/**
 * Which unknowns a table sums: the national quarter unknowns for the by-quarter table, reports by place and
 * year for the other tables without codes, one code list, or action × activism pairs.
 */
function tableSums(table: TableDef, info: VariableInfo): boolean {
  if (info.type === 'sum') return false;
  const kinds = table.dimensions.filter(isCodeKind);
  if (table.dimensions.includes('quarter')) return info.type === 'quarter';
  if (kinds.length === 0) return info.type === 'geo';
  if (kinds.length === 2) return info.type === 'pair';
  return info.type === 'code' && info.kind === kinds[0];
}

/** Every cell of every table over a space; cells no report could ever fall in are left out. */
export function cellExpressions(space: VariableSpace): CellExpression[] {
  const cells: CellExpression[] = [];
  for (const table of TABLES) {
    const groups = new Map<string, { keys: Record<string, string>; vars: number[] }>();
    space.infos.forEach((info, index) => {
      if (!tableSums(table, info)) return;
      const keys: Record<string, string> = {};
      for (const d of table.dimensions) {
        const key = keyIn(space, info, d);
        if (key === null) return;
        keys[d] = key;
      }
      const id = cellId(table.name, keys);
      const group = groups.get(id) ?? { keys, vars: [] };
      group.vars.push(index);
      groups.set(id, group);
    });
    for (const [id, g] of groups)
      cells.push({ table: table.name, keys: g.keys, id, vars: Int32Array.from(g.vars) });
  }
  return cells;
}

/** Sums values over an expression's unknowns. */
export function evaluate(vars: Int32Array, values: ArrayLike<number>): number {
  let sum = 0;
  for (const v of vars) sum += values[v]!;
  return sum;
}
