// Every cell of every table, as a sum of unknowns: the same expression gives the published count (from the
// true values) and the equation the auditor writes for it.
import { yearOf, type ReleaseAtoms } from './atoms';
import { TABLES, UNKNOWN_OFFICE, isCodeKind, type Dimension, type TableDef } from './tables';
import { buildVariableSpace, trueValues, type VariableInfo, type VariableSpace } from './variables';

export interface CellExpression {
  readonly table: string;
  /** Dimension name → key, e.g. { state: 'TX', year: '2024' }; the field office of unknown-office reports is 'unknown'. */
  readonly keys: Readonly<Record<string, string>>;
  /** Indices of the unknowns whose sum is this cell, ascending. */
  readonly vars: Int32Array;
}

export interface Cell extends CellExpression {
  readonly count: number;
}

/** Stable identity of a cell within a release, used to match cells across releases and in verdicts. */
export function cellId(table: string, keys: Readonly<Record<string, string>>): string {
  const def = TABLES.find((t) => t.name === table);
  const parts = (def?.dimensions ?? Object.keys(keys)).map((d) => keys[d] ?? '');
  return [table, ...parts].join('|');
}

/** The key an unknown contributes to in one dimension, or null when the unknown is not part of the table. */
function keyIn(space: VariableSpace, info: VariableInfo, dimension: Dimension): string | null {
  const u = space.universe;
  switch (info.type) {
    case 'geo': {
      const pair = u.geography[info.pair]!;
      if (dimension === 'state') return pair.state;
      if (dimension === 'field_office') return pair.office ?? UNKNOWN_OFFICE;
      if (dimension === 'quarter') return u.quarters[info.quarter]!;
      if (dimension === 'year') return yearOf(u.quarters[info.quarter]!);
      return null;
    }
    case 'code': {
      if (dimension === info.kind) return u.codes[info.kind][info.code]!;
      if (info.pair === null) return null;
      const pair = u.geography[info.pair]!;
      if (dimension === 'state') return pair.state;
      if (dimension === 'field_office') return pair.office ?? UNKNOWN_OFFICE;
      return null;
    }
    case 'pair':
      if (dimension === 'action_type') return u.codes.action_type[info.action]!;
      if (dimension === 'activism_type') return u.codes.activism_type[info.activism]!;
      return null;
  }
}

/** Which sort of unknown a table sums: reports by geography and time, one code list, or action × activism pairs. */
function tableSums(table: TableDef, info: VariableInfo): boolean {
  const kinds = table.dimensions.filter(isCodeKind);
  if (kinds.length === 0) return info.type === 'geo';
  if (kinds.length === 2) return info.type === 'pair';
  return info.type === 'code' && info.kind === kinds[0];
}

/** Expresses every cell of every table over the unknowns; cells no report could ever fall in are left out. */
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
      const id = table.dimensions.map((d) => keys[d]).join('|');
      const group = groups.get(id) ?? { keys, vars: [] };
      group.vars.push(index);
      groups.set(id, group);
    });
    for (const g of groups.values())
      cells.push({ table: table.name, keys: g.keys, vars: Int32Array.from(g.vars) });
  }
  return cells;
}

/** Sums the true values of an expression's unknowns. */
export function evaluate(vars: Int32Array, values: Float64Array): number {
  let sum = 0;
  for (const v of vars) sum += values[v]!;
  return sum;
}

/** Every cell of every table with its true count and its expression over the unknowns of `space`. */
export function computeCells(
  atoms: ReleaseAtoms,
  space: VariableSpace = buildVariableSpace(atoms.universe),
): Cell[] {
  const values = trueValues(space, atoms);
  return cellExpressions(space).map((c) => ({ ...c, count: evaluate(c.vars, values) }));
}
