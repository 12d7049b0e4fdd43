// One release to build on top of the frozen ones: its cells grouped into classes, what each class costs to
// withhold, what must be withheld anyway, and the quantities the audit protects. Pure: no I/O.
import type { ReleaseAtoms, ReleaseUniverse } from '../atoms';
import { cellId } from './cells';
import {
  leakedIncrements,
  primaryReason,
  protectedQuantities,
  publishableOnItsOwn,
  type PrimaryReason,
  type Quantity,
  type Withheld,
} from './rules';
import {
  buildSystem,
  classesOf,
  equationRow,
  publishedClasses,
  type DisclosureSystem,
  type Row,
  type SeriesRelease,
  type SystemCell,
} from './system';

/** A one-dimensional table is what most readers look at first: withholding one of its cells costs more. */
const ONE_DIMENSION_WEIGHT = 5;
/** The national total is the headline: withheld only if nothing else can protect a cell. */
const NATIONAL_WEIGHT = 1000;
/** A cell that is not publishable on its own costs almost nothing to withhold, but publishing it is still better. */
const NOT_ON_ITS_OWN_WEIGHT = 0.05;

export interface CellClass {
  readonly cells: readonly SystemCell[];
  readonly primary: PrimaryReason | null;
  /** Publishable on its own: withholding it to protect others is information lost. */
  readonly publishable: boolean;
  readonly weight: number;
}

export interface ReleaseProblem {
  readonly system: DisclosureSystem;
  readonly k: number;
  readonly current: number;
  readonly classes: readonly CellClass[];
  /** Classes that may be published, in toggle order. */
  readonly candidates: readonly number[];
  /** Structural rules and every frozen release's published equations. */
  readonly fixed: readonly Row[];
  readonly quantities: readonly Quantity[];
  /** Whether a cell of any release is withheld, with candidates of the current release counted as shown. */
  readonly withheld: Withheld;
  /** `cell id|since` of increments earlier releases already gave away (see primaryReason). */
  readonly leaked: ReadonlySet<string>;
}

/** Frames the build of the release after `history` (oldest first), from the atoms at its cutoff. */
export function frameRelease(
  history: readonly SeriesRelease[],
  current: { universe: ReleaseUniverse; atoms: ReleaseAtoms; label?: string },
  k: number,
): ReleaseProblem {
  const system = buildSystem([...history, current]);
  const last = history.length;
  const frozen = history.map((release, s) => publishedClasses(system, s, release.cells ?? []));
  const shown = frozen.map((classes) => new Set(classes.flatMap((c) => c.cells.map((cell) => cell.id))));
  const withheldBefore: Withheld = (release, cell) => !shown[release]!.has(cell.id);
  const leaked = leakedIncrements(system, k, withheldBefore, last);
  const classes: CellClass[] = classesOf(system.releases[last]!.cells).map((cells) => {
    const reasons = cells.map((cell) => primaryReason(system, k, cell, withheldBefore, leaked));
    const primary = reasons.find((r) => r === 'below_k') ?? reasons.find((r) => r !== null) ?? null;
    const publishable = cells.every((cell) => publishableOnItsOwn(system, k, cell));
    const weight = cells.reduce((sum, cell) => {
      if (!publishable) return sum + NOT_ON_ITS_OWN_WEIGHT;
      if (cell.table === 'national_total') return sum + NATIONAL_WEIGHT;
      return sum + (Object.keys(cell.keys).length === 1 ? ONE_DIMENSION_WEIGHT : 1);
    }, 0);
    return { cells, primary, publishable, weight };
  });
  const primaryIds = new Set(classes.flatMap((c) => (c.primary ? c.cells.map((cell) => cell.id) : [])));
  const withheld: Withheld = (release, cell) =>
    release === last ? primaryIds.has(cell.id) : withheldBefore(release, cell);
  const fixed: Row[] = [...system.structural];
  for (const classesOfRelease of frozen)
    for (const c of classesOfRelease) fixed.push(equationRow(c.vars, c.value));
  return {
    system,
    k,
    current: last,
    classes,
    candidates: classes.flatMap((c, i) => (c.primary ? [] : [i])),
    fixed,
    quantities: protectedQuantities(system, k, withheld),
    withheld,
    leaked,
  };
}

/** The published equation of a candidate class. */
export function candidateRow(problem: ReleaseProblem, classIndex: number): Row {
  const cells = problem.classes[classIndex]!.cells;
  return equationRow(cells[0]!.levelVars, cells[0]!.count);
}

/** Looks a cell of the current release up by table and keys. */
export function currentCell(
  problem: ReleaseProblem,
  table: string,
  keys: Record<string, string>,
): SystemCell | undefined {
  return problem.system.releases[problem.current]!.byId.get(cellId(table, keys));
}
