import type { ReleaseCell } from '../releases/read';
import { TABLES, tableByName } from '../releases/tables';
import type { ReleaseData } from './catalog';

// What changed between two releases, cell by cell. Only numbers both releases published are differenced:
// a cell withheld in either release is classed (newly published, newly withheld, withheld in both) and
// never given a value, a bound or a difference, since any of those would say something about a count
// the disclosure control chose to hide. Nothing here assumes what size a published difference has.

export const CHANGE_KINDS = [
  'changed',
  'unchanged',
  'newly_published',
  'newly_withheld',
  'withheld_in_both',
  'new_cell',
  'dropped_cell',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface CellChange {
  table: string;
  keys: Readonly<Record<string, string>>;
  previous: ReleaseCell | undefined;
  current: ReleaseCell | undefined;
  kind: ChangeKind;
  /** current − previous, only when both releases published the cell. */
  difference: number | null;
}

/** A cell's published count, or null when it is withheld (or absent). */
export function publishedCount(cell: ReleaseCell | undefined): number | null {
  return cell?.status === 'published' && cell.value !== null ? cell.value : null;
}

/** How one cell moved between two releases: previous or current undefined when that release lacks it. */
export function classify(previous: ReleaseCell | undefined, current: ReleaseCell | undefined): ChangeKind {
  if (!previous) return 'new_cell';
  if (!current) return 'dropped_cell';
  const before = publishedCount(previous);
  const after = publishedCount(current);
  if (before !== null && after !== null) return before === after ? 'unchanged' : 'changed';
  if (before === null && after === null) return 'withheld_in_both';
  return before === null ? 'newly_published' : 'newly_withheld';
}

/** The change of one cell, with its difference when (and only when) both releases published it. */
export function cellChange(
  table: string,
  keys: Readonly<Record<string, string>>,
  previous: ReleaseCell | undefined,
  current: ReleaseCell | undefined,
): CellChange {
  const kind = classify(previous, current);
  const both = kind === 'changed' || kind === 'unchanged';
  const difference = both ? publishedCount(current)! - publishedCount(previous)! : null;
  return { table, keys, previous, current, kind, difference };
}

const keyOf = (table: string, keys: Readonly<Record<string, string>>): string =>
  tableByName(table)
    .dimensions.map((d) => keys[d] ?? '')
    .join('|');

/** Every cell of one table in either release, compared; in the current release's order, then dropped ones. */
export function compareTable(previous: ReleaseData, current: ReleaseData, table: string): CellChange[] {
  const before = new Map((previous.tables.get(table) ?? []).map((c) => [keyOf(table, c.keys), c]));
  const changes: CellChange[] = [];
  for (const cell of current.tables.get(table) ?? []) {
    const key = keyOf(table, cell.keys);
    changes.push(cellChange(table, cell.keys, before.get(key), cell));
    before.delete(key);
  }
  for (const cell of before.values()) changes.push(cellChange(table, cell.keys, cell, undefined));
  return changes;
}

/** Every table compared, in the fixed table order. */
export function compareReleases(previous: ReleaseData, current: ReleaseData): Map<string, CellChange[]> {
  return new Map(TABLES.map((t) => [t.name, compareTable(previous, current, t.name)]));
}

/** How many cells of each kind a list of changes holds. */
export function countKinds(changes: readonly CellChange[]): Record<ChangeKind, number> {
  const counts = Object.fromEntries(CHANGE_KINDS.map((k) => [k, 0])) as Record<ChangeKind, number>;
  for (const change of changes) counts[change.kind] += 1;
  return counts;
}
