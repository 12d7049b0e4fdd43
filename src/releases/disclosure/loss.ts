// Information loss: of the cells that could be published on their own, the share withheld to protect others.
// The figure the suppression is judged by besides safety (DESIGN section 6: at most 10 %).
import type { ReleaseProblem } from './problem';

export interface TableLoss {
  readonly table: string;
  readonly cells: number;
  readonly published: number;
  readonly belowK: number;
  readonly incrementBelowK: number;
  /** Publishable on their own, withheld to protect others. */
  readonly protecting: number;
  /** Publishable on their own. */
  readonly publishable: number;
}

export interface InformationLoss {
  readonly withheld: number;
  readonly publishable: number;
  /** withheld / publishable, 0 when nothing is publishable. */
  readonly share: number;
  /** The same over the one-dimensional tables only (state, field office, year, quarter, each code list). */
  readonly oneDimension: { readonly withheld: number; readonly publishable: number; readonly share: number };
  readonly nationalTotalPublished: boolean;
  readonly tables: readonly TableLoss[];
}

/** Measures the loss of a choice of hidden candidates (1 = withheld), cell by cell (twins count twice). */
export function informationLoss(problem: ReleaseProblem, hidden: Uint8Array): InformationLoss {
  const toggleOf = new Map(problem.candidates.map((c, t) => [c, t]));
  const tables = new Map<
    string,
    {
      cells: number;
      published: number;
      belowK: number;
      incrementBelowK: number;
      protecting: number;
      publishable: number;
    }
  >();
  let nationalTotalPublished = false;
  problem.classes.forEach((c, i) => {
    const toggle = toggleOf.get(i);
    const withheld = toggle === undefined || hidden[toggle] === 1;
    for (const cell of c.cells) {
      const t = tables.get(cell.table) ?? {
        cells: 0,
        published: 0,
        belowK: 0,
        incrementBelowK: 0,
        protecting: 0,
        publishable: 0,
      };
      t.cells++;
      if (!withheld) t.published++;
      else if (c.primary === 'below_k') t.belowK++;
      else if (c.primary === 'increment_below_k' || !c.publishable) t.incrementBelowK++;
      else t.protecting++;
      if (c.publishable) t.publishable++;
      tables.set(cell.table, t);
      if (cell.table === 'national_total' && !withheld) nationalTotalPublished = true;
    }
  });
  const list = [...tables].map(([table, t]) => ({ table, ...t }));
  const sum = (rows: readonly TableLoss[]) => {
    const withheld = rows.reduce((n, t) => n + t.protecting, 0);
    const publishable = rows.reduce((n, t) => n + t.publishable, 0);
    return { withheld, publishable, share: publishable === 0 ? 0 : withheld / publishable };
  };
  const all = sum(list);
  const oneDimension = sum(list.filter((t) => t.table.startsWith('by_')));
  return { ...all, oneDimension, nationalTotalPublished, tables: list };
}
