// What an attacker knows about the unknowns besides the published numbers: how reports carry codes.
import { KIND_CARDINALITY } from './atoms';
import { CODE_KINDS } from './tables';
import type { VariableSpace } from './variables';

/** `sum(pos) − sum(neg)` compared with 0; each side is kept whole so a published cell can stand in for it. */
export interface StructuralRow {
  readonly pos: Int32Array;
  readonly neg: Int32Array;
  readonly sense: 'le' | 'eq' | 'ge';
}

const sorted = (vars: readonly number[]): Int32Array => Int32Array.from(vars).sort();

/**
 * The inequalities that hold within one release: a code count never exceeds the reports of its cell, a pair
 * count never exceeds either code's count, and one-per-report kinds sum exactly to the reports.
 */
export function structuralRows(space: VariableSpace): StructuralRow[] {
  const rows: StructuralRow[] = [];
  const geoTotal = (pair: number): Int32Array => sorted(space.geoVars[pair]!);
  const nationalTotal = sorted(space.geoVars.flat());
  for (const kind of CODE_KINDS) {
    const cardinality = KIND_CARDINALITY[kind];
    const codes = space.codeVars[kind];
    if (space.perPairKinds.has(kind)) {
      space.universe.geography.forEach((_, pair) => {
        const total = geoTotal(pair);
        const perCode = codes.map((vars) => vars[pair]!);
        for (const v of perCode) rows.push({ pos: Int32Array.of(v), neg: total, sense: 'le' });
        if (cardinality !== 'any' && perCode.length > 0) {
          rows.push({ pos: sorted(perCode), neg: total, sense: cardinality === 'exactlyOne' ? 'eq' : 'ge' });
        }
      });
    } else {
      // Collapsed kind: each national count is at most the national total (exact: it can be spread pro rata).
      for (const vars of codes) rows.push({ pos: sorted(vars), neg: nationalTotal, sense: 'le' });
      if (cardinality !== 'any' && codes.length > 0) {
        rows.push({
          pos: sorted(codes.flat()),
          neg: nationalTotal,
          sense: cardinality === 'exactlyOne' ? 'eq' : 'ge',
        });
      }
    }
  }
  const nationalCode = (kind: 'action_type' | 'activism_type', code: number): Int32Array =>
    sorted(space.codeVars[kind][code]!);
  space.pairVars.forEach((row, action) =>
    row.forEach((v, activism) => {
      rows.push({ pos: Int32Array.of(v), neg: nationalCode('action_type', action), sense: 'le' });
      rows.push({ pos: Int32Array.of(v), neg: nationalCode('activism_type', activism), sense: 'le' });
    }),
  );
  return rows;
}
