// The cheap first pass of complementary suppression: the additive margins of the tables (a cell equal to
// the sum of cells of another table) must never leave one suppressed cell alone, nor leave suppressed
// cells a remainder below k. The auditor still judges; this only spares it the obvious failures.
import type { Cell } from './cells';
import { TABLES } from './tables';

interface Margin {
  readonly parent: number;
  readonly children: readonly number[];
}

/** Finds every cell that is exactly the sum of cells of another table (by class, so twins are one cell). */
function findMargins(cells: readonly Cell[], classOf: Int32Array): Margin[] {
  const maxVar = cells.reduce((m, c) => Math.max(m, c.vars.length > 0 ? c.vars[c.vars.length - 1]! : 0), 0);
  const cellOf = TABLES.map(() => new Int32Array(maxVar + 1).fill(-1));
  const tableIndex = new Map(TABLES.map((t, i) => [t.name, i]));
  cells.forEach((c, i) => {
    const owner = cellOf[tableIndex.get(c.table)!]!;
    for (const v of c.vars) owner[v] = i;
  });
  const seen = new Set<string>();
  const margins: Margin[] = [];
  cells.forEach((parent, p) => {
    for (const owner of cellOf) {
      const children = new Set<number>();
      let covered = true;
      for (const v of parent.vars) {
        const child = owner[v]!;
        if (child < 0) covered = false;
        else children.add(child);
      }
      if (!covered || children.size < 2) continue;
      let size = 0;
      for (const c of children) size += cells[c]!.vars.length;
      if (size !== parent.vars.length) continue;
      const key = `${classOf[p]}:${[...children]
        .map((c) => classOf[c])
        .sort()
        .join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      margins.push({ parent: p, children: [...children] });
    }
  });
  return margins;
}

/**
 * Suppresses more classes until, in every margin with a published total, the suppressed parts are at least
 * two and their true sum is at least k (otherwise each part is bounded below k or pinned exactly).
 */
export function protectMargins(
  cells: readonly Cell[],
  classOf: Int32Array,
  suppressed: Uint8Array,
  k: number,
): void {
  const margins = findMargins(cells, classOf);
  for (let changed = true; changed;) {
    changed = false;
    for (const { parent, children } of margins) {
      if (suppressed[classOf[parent]!]) continue;
      const hidden = children.filter((c) => suppressed[classOf[c]!]);
      if (hidden.length === 0) continue;
      const remainder = hidden.reduce((n, c) => n + cells[c]!.count, 0);
      if (hidden.length >= 2 && remainder >= k) continue;
      const shown = children.filter((c) => !suppressed[classOf[c]!]);
      const next = shown.reduce<number | null>(
        (best, c) => (best === null || cells[c]!.count < cells[best]!.count ? c : best),
        null,
      );
      suppressed[classOf[next ?? parent]!] = 1;
      changed = true;
    }
  }
}
