// The disclosure auditor: the gate every release passes before publication (DESIGN section 6).
import type { ReleaseAtoms, ReleaseUniverse } from './atoms';
import { cellExpressions, cellId, computeCells, evaluate, type CellExpression } from './cells';
import { auditFamily, type FamilyFailure, type FamilyStats } from './family-audit';
import { getHighs } from './lp';
import { buildFamilies, type SystemCell, type SystemRelease } from './system';
import { buildVariableSpace, trueValues } from './variables';

export type CellStatus = 'published' | 'suppressed';

/** One cell as a release shows it (and as `release_cells` stores it). */
export interface ReleaseCell {
  readonly table: string;
  readonly keys: Readonly<Record<string, string>>;
  readonly status: CellStatus;
  /** The count when published, null when suppressed. */
  readonly value: number | null;
}

/** An earlier, frozen release: what it could show and what it did show. */
export interface PreviousRelease {
  readonly universe: ReleaseUniverse;
  readonly cells: readonly ReleaseCell[];
  /**
   * Its atoms recomputed from the reports approved by its cutoff, when available. They only tell which of its
   * suppressed cells were small (and so must stay protected); without them every suppressed cell is, which
   * can make a cell suppressed for complementary reasons impossible to protect.
   */
  readonly atoms?: ReleaseAtoms;
}

export interface AuditInput {
  readonly atoms: ReleaseAtoms;
  readonly cells: readonly ReleaseCell[];
  readonly k: number;
  /** Earlier releases, oldest first; each one's reports are a subset of the next one's. */
  readonly previousReleases?: readonly PreviousRelease[];
  /** Stop after this many failing cells (default 25): refusing needs one, and bounding each costs LP solves. */
  readonly maxFailures?: number;
}

export interface AuditFailure {
  /** 'current', or the index of the earlier release in `previousReleases`. */
  readonly release: 'current' | number;
  readonly table: string;
  readonly keys: Readonly<Record<string, string>>;
  /** Smallest and largest value consistent with everything published (LP relaxation). */
  readonly min: number;
  readonly max: number;
  readonly canBeZero: boolean;
  readonly canReachK: boolean;
}

export interface AuditVerdict {
  readonly ok: boolean;
  readonly failures: readonly AuditFailure[];
  /** Whether more cells may fail than `failures` lists (the search stopped at `maxFailures`). */
  readonly truncated: boolean;
  readonly stats: {
    readonly families: number;
    readonly checkedCells: number;
    readonly solves: number;
    readonly iterations: number;
    readonly screened: number;
  };
}

/** Attaches statuses to a release's expressions; a cell the release does not list counts as not published. */
export function attachStatuses(
  expressions: readonly CellExpression[],
  cells: readonly ReleaseCell[],
  checked: (expression: CellExpression, cell: ReleaseCell | undefined) => boolean,
): SystemCell[] {
  const byId = new Map(cells.map((c) => [cellId(c.table, c.keys), c]));
  const known = new Set(expressions.map((e) => cellId(e.table, e.keys)));
  for (const id of byId.keys())
    if (!known.has(id)) throw new Error(`cell not in the release's tables: ${id}`);
  return expressions.map((e) => {
    const cell = byId.get(cellId(e.table, e.keys));
    const published = cell?.status === 'published' && cell.value !== null;
    return { ...e, published, value: published ? cell.value : null, checked: checked(e, cell) };
  });
}

/** Earlier releases as system releases: every suppressed cell of theirs must stay protected too. */
export function previousSystemReleases(previous: readonly PreviousRelease[], k: number): SystemRelease[] {
  return previous.map((p) => {
    const space = buildVariableSpace(p.universe);
    const truth = p.atoms ? trueValues(space, p.atoms) : null;
    const small = (e: CellExpression): boolean => truth === null || evaluate(e.vars, truth) < k;
    return {
      space,
      cells: attachStatuses(
        cellExpressions(space),
        p.cells,
        (e, c) => c?.status === 'suppressed' && small(e),
      ),
      ...(truth ? { truth } : {}),
    };
  });
}

export interface SystemAuditOptions {
  readonly k: number;
  readonly exactBounds: boolean;
  /** Stop once this many failures are known; the suppression loop fixes a batch, then audits again. */
  readonly stopAfter?: number;
  /** Proofs from earlier audits of the same releases with fewer cells suppressed (see FamilyAuditOptions). */
  readonly certificates?: Map<string, number>;
}

/** Audits releases already written as a system (the last one current); the suppression loop calls this directly. */
export async function auditSystem(
  releases: readonly SystemRelease[],
  currentTruth: Float64Array,
  options: SystemAuditOptions,
): Promise<{ failures: FamilyFailure[]; stats: FamilyStats & { families: number; checkedCells: number } }> {
  const highs = await getHighs();
  const families = buildFamilies(releases);
  // The true counts of every release side by side: a feasible point whenever the earlier releases' atoms
  // were recomputed from the same reports (the family audit checks that before relying on it).
  const point: number[] = [];
  releases.forEach((r, i) => {
    const truth = i === releases.length - 1 ? currentTruth : r.truth;
    for (let v = 0; v < r.space.infos.length; v++) point.push(truth ? truth[v]! : NaN);
  });
  const pointAt = (g: number): number => point[g]!;
  const stats = { solves: 0, iterations: 0, screened: 0, families: families.length, checkedCells: 0 };
  const failures: FamilyFailure[] = [];
  // Small families first: they are cheap and, in the suppression loop, most failures live there.
  families.sort((a, b) => a.globals.length - b.globals.length);
  const budget = { remaining: options.stopAfter ?? Infinity };
  for (const family of families) {
    stats.checkedCells += family.checked.length;
    if (budget.remaining <= 0) continue;
    const truth = Float64Array.from(family.globals, (g) => pointAt(g));
    const { k, exactBounds, certificates } = options;
    failures.push(...auditFamily(highs, family, { k, truth, exactBounds, certificates, budget }, stats));
  }
  return { failures, stats };
}

/**
 * Refuses a release unless every suppressed cell, of this release and of every earlier one, could still be 0
 * and could still be k or more given everything published. Cells of this release suppressed only to protect
 * others (true count ≥ k) are not themselves checked: they hide no small count, and the small cells are
 * bounded over everything the attacker knows, those cells included.
 */
export async function auditRelease(input: AuditInput): Promise<AuditVerdict> {
  const space = buildVariableSpace(input.atoms.universe);
  const truth = trueValues(space, input.atoms);
  const expressions = computeCells(input.atoms, space);
  const counts = new Map(expressions.map((e) => [cellId(e.table, e.keys), e.count]));
  const current: SystemRelease = {
    space,
    cells: attachStatuses(
      expressions,
      input.cells,
      (e, c) => c?.status === 'suppressed' && (counts.get(cellId(e.table, e.keys)) ?? 0) < input.k,
    ),
  };
  const previous = input.previousReleases ?? [];
  const releases = [...previousSystemReleases(previous, input.k), current];
  const stopAfter = input.maxFailures ?? 25;
  const { failures, stats } = await auditSystem(releases, truth, {
    k: input.k,
    exactBounds: true,
    stopAfter,
  });
  return {
    ok: failures.length === 0,
    truncated: failures.length >= stopAfter,
    failures: failures.map((f) => {
      const cell = releases[f.release]!.cells[f.cell]!;
      return {
        release: f.release === previous.length ? 'current' : f.release,
        table: cell.table,
        keys: cell.keys,
        min: f.min ?? NaN,
        max: f.max ?? NaN,
        canBeZero: f.canBeZero,
        canReachK: f.canReachK,
      };
    }),
    stats,
  };
}
