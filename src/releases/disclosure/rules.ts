// The disclosure rule (docs/disclosure.md) as data: which numbers must stay hidden, and which hidden numbers
// the audit must show could still be 0 and could still be k or more. Pure: no I/O.
import { incrementVars, type DisclosureSystem, type SystemCell } from './system';

/**
 * A number the rule protects: a withheld cell of one release whose true count is 1 to k-1 (a level), or
 * the reports added to a cell between two releases, 1 to k-1 of them, when either release withheld it
 * (an increment). Cells sharing one sum (a one-office state and its office) are one quantity.
 */
export interface Quantity {
  readonly kind: 'level' | 'increment';
  readonly release: number;
  /** The earlier release of an increment. */
  readonly since: number | null;
  readonly cells: readonly SystemCell[];
  readonly vars: Int32Array;
  readonly truth: number;
}

/** A rule broken by arithmetic alone: a cell published in two releases whose difference is 1 to k-1. */
export interface PublishedIncrement {
  readonly release: number;
  readonly since: number;
  readonly cell: SystemCell;
  readonly difference: number;
}

/** Whether the cell of one release is withheld (for the release being built: whether it must be). */
export type Withheld = (release: number, cell: SystemCell) => boolean;

const small = (n: number, k: number): boolean => n >= 1 && n <= k - 1;

/** Every quantity the audit must bound, over every release and every pair of releases. */
export function protectedQuantities(system: DisclosureSystem, k: number, withheld: Withheld): Quantity[] {
  const byVars = new Map<string, { q: Omit<Quantity, 'cells'>; cells: SystemCell[] }>();
  const add = (q: Omit<Quantity, 'cells'>, cell: SystemCell): void => {
    const key = q.vars.join(',');
    const existing = byVars.get(key);
    if (existing) existing.cells.push(cell);
    else byVars.set(key, { q, cells: [cell] });
  };
  system.releases.forEach((release, s) => {
    for (const cell of release.cells) {
      if (withheld(s, cell) && small(cell.count, k))
        add({ kind: 'level', release: s, since: null, vars: cell.levelVars, truth: cell.count }, cell);
      for (let since = 0; since < s; since++) {
        const before = system.releases[since]!.byId.get(cell.id);
        // A cell an earlier release could not show (a later quarter) was known to be 0 then: its level covers it.
        if (!before) continue;
        const difference = cell.count - before.count;
        if (!small(difference, k) || !(withheld(s, cell) || withheld(since, before))) continue;
        add(
          {
            kind: 'increment',
            release: s,
            since,
            vars: incrementVars(system, cell.id, since, s),
            truth: difference,
          },
          cell,
        );
      }
    }
  });
  return [...byVars.values()].map(({ q, cells }) => ({ ...q, cells }));
}

/** Cells published in two releases whose difference gives away 1 to k-1 new reports. */
export function publishedIncrements(
  system: DisclosureSystem,
  k: number,
  withheld: Withheld,
): PublishedIncrement[] {
  const out: PublishedIncrement[] = [];
  system.releases.forEach((release, s) => {
    for (const cell of release.cells) {
      if (withheld(s, cell)) continue;
      for (let since = 0; since < s; since++) {
        const before = system.releases[since]!.byId.get(cell.id);
        if (!before || withheld(since, before)) continue;
        const difference = cell.count - before.count;
        if (small(difference, k)) out.push({ release: s, since, cell, difference });
      }
    }
  });
  return out;
}

export type PrimaryReason = 'below_k' | 'increment_below_k';

/**
 * Why a cell of the release being built must be withheld whatever else is shown: fewer than k reports, or
 * 1 to k-1 reports added since an earlier release that published it. Null when it may be published.
 * `leaked` holds `cell id|since` for increments earlier releases already gave away (legacy releases built
 * before increments were protected): the difference from such a release is that old leak plus the increment
 * since the later release, which is judged on its own.
 */
export function primaryReason(
  system: DisclosureSystem,
  k: number,
  cell: SystemCell,
  withheldBefore: Withheld,
  leaked: ReadonlySet<string> = new Set(),
): PrimaryReason | null {
  if (cell.count < k) return 'below_k';
  for (let since = 0; since < cell.release; since++) {
    if (leaked.has(`${cell.id}|${since}`)) continue;
    const before = system.releases[since]!.byId.get(cell.id);
    if (before && !withheldBefore(since, before) && small(cell.count - before.count, k))
      return 'increment_below_k';
  }
  return null;
}

/** `cell id|since` of every increment between two earlier releases that both published it with 1 to k-1 between. */
export function leakedIncrements(
  system: DisclosureSystem,
  k: number,
  withheld: Withheld,
  before: number,
): Set<string> {
  return new Set(
    publishedIncrements(system, k, (release, cell) => release >= before || withheld(release, cell)).map(
      (p) => `${p.cell.id}|${p.since}`,
    ),
  );
}

/**
 * Whether a cell could be published on its own: at least k reports and, against every earlier release, an
 * increment of 0 or at least k. Withholding such a cell to protect others is information lost.
 */
export function publishableOnItsOwn(system: DisclosureSystem, k: number, cell: SystemCell): boolean {
  if (cell.count < k) return false;
  for (let since = 0; since < cell.release; since++) {
    const before = system.releases[since]!.byId.get(cell.id);
    if (before && small(cell.count - before.count, k)) return false;
  }
  return true;
}
