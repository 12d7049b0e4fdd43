// Everything an attacker can write down about the reports behind a series of releases, as one linear
// system. Releases only ever add reports (a decided report is never edited), so each release's reports are
// the previous release's plus new ones: the unknowns are the reports *added* by each release (its deltas,
// all ≥ 0), a release's cell is the sum of its cell over every delta so far, and the difference between two
// releases (an increment) is the sum over the deltas in between. Pure: no I/O.
import type { ReleaseAtoms, ReleaseUniverse } from '../atoms';
import type { ReleaseCell } from './types';
import { cellExpressions, cellId, evaluate, type CellExpression } from './cells';
import { buildSpace, structuralRows, trueValues, type VariableSpace } from './space';

/** One release as the engine sees it: what could be shown, the true counts, and (once frozen) what was shown. */
export interface SeriesRelease {
  readonly label?: string;
  readonly universe: ReleaseUniverse;
  /** The atoms at its cutoff, recomputed from the reports approved by then. */
  readonly atoms: ReleaseAtoms;
  /** What it published; absent for the release being built. */
  readonly cells?: readonly ReleaseCell[];
}

export interface Row {
  readonly vars: Int32Array;
  readonly coefs: Float64Array;
  readonly lower: number;
  readonly upper: number;
}

/** A cell of one release, located in the system. */
export interface SystemCell extends CellExpression {
  readonly release: number;
  /** The true count. */
  readonly count: number;
  /** Its sum over the system's unknowns: the deltas of every release up to its own. */
  readonly levelVars: Int32Array;
}

export interface DisclosureSystem {
  readonly releases: readonly {
    readonly space: VariableSpace;
    readonly offset: number;
    readonly cells: readonly SystemCell[];
    readonly byId: ReadonlyMap<string, SystemCell>;
  }[];
  readonly numVars: number;
  /** The true deltas: a point that satisfies every row, since it is what happened. */
  readonly truth: Float64Array;
  /** Rules every set of reports obeys, for every delta. */
  readonly structural: readonly Row[];
}

const ones = (n: number): Float64Array => new Float64Array(n).fill(1);

/** Builds the system for releases oldest first; the last may be the one being built (no cells yet). */
export function buildSystem(series: readonly SeriesRelease[]): DisclosureSystem {
  const spaces = series.map((r) => buildSpace(r.universe));
  const offsets: number[] = [];
  let numVars = 0;
  for (const space of spaces) {
    offsets.push(numVars);
    numVars += space.infos.length;
  }
  const truth = new Float64Array(numVars);
  const levels = series.map((r, s) => trueValues(spaces[s]!, r.atoms));
  spaces.forEach((space, s) => {
    // delta = this release's counts minus the previous release's, matched by the unknowns' stable keys.
    const previous = s > 0 ? new Map(spaces[s - 1]!.keys.map((key, i) => [key, levels[s - 1]![i]!])) : null;
    space.keys.forEach((key, i) => {
      const delta = levels[s]![i]! - (previous?.get(key) ?? 0);
      if (delta < 0) {
        throw new Error(
          `reports counted in release ${series[s - 1]?.label ?? s - 1} are missing from the next (${key}): ` +
            'decided reports must never be edited or removed',
        );
      }
      truth[offsets[s]! + i] = delta;
    });
  });
  const expressions = spaces.map((space) => cellExpressions(space));
  const indexes = expressions.map((cells) => new Map(cells.map((c) => [c.id, c])));
  const releases = spaces.map((space, s) => {
    const cells = expressions[s]!.map((c): SystemCell => {
      const vars: number[] = [];
      for (let u = 0; u <= s; u++) {
        const own = indexes[u]!.get(c.id);
        if (own) for (const v of own.vars) vars.push(v + offsets[u]!);
      }
      return { ...c, release: s, count: evaluate(c.vars, levels[s]!), levelVars: Int32Array.from(vars) };
    });
    return { space, offset: offsets[s]!, cells, byId: new Map(cells.map((c) => [c.id, c])) };
  });
  const structural: Row[] = [];
  spaces.forEach((space, s) => {
    for (const row of structuralRows(space))
      structural.push({ ...row, vars: Int32Array.from(row.vars, (v) => v + offsets[s]!) });
  });
  return { releases, numVars, truth, structural };
}

/** The unknowns of a cell's increment between two releases: the deltas after `since`, up to `release`. */
export function incrementVars(
  system: DisclosureSystem,
  id: string,
  since: number,
  release: number,
): Int32Array {
  const vars: number[] = [];
  for (let u = since + 1; u <= release; u++) {
    const r = system.releases[u]!;
    const own = r.byId.get(id);
    if (own) for (const v of own.vars) vars.push(v + r.offset);
  }
  return Int32Array.from(vars);
}

/** A published equation: the cells (of one release) that share one sum, and the value shown for it. */
export interface PublishedClass {
  readonly release: number;
  readonly cells: readonly SystemCell[];
  readonly vars: Int32Array;
  readonly value: number;
}

/** Groups cells with the same sum (a one-office state and its office) into one class; twins share a fate. */
export function classesOf(cells: readonly SystemCell[]): SystemCell[][] {
  const groups = new Map<string, SystemCell[]>();
  for (const cell of cells) {
    const key = cell.levelVars.join(',');
    const group = groups.get(key);
    if (group) group.push(cell);
    else groups.set(key, [cell]);
  }
  return [...groups.values()];
}

/** The published equations of a frozen release; refuses statuses for cells the release's tables do not have. */
export function publishedClasses(
  system: DisclosureSystem,
  release: number,
  cells: readonly ReleaseCell[],
): PublishedClass[] {
  const r = system.releases[release]!;
  const shown = new Map<string, number>();
  for (const cell of cells) {
    const id = cellId(cell.table, cell.keys);
    if (!r.byId.has(id)) throw new Error(`cell not in the release's tables: ${id}`);
    if (cell.status === 'published' && cell.value !== null) shown.set(id, cell.value);
  }
  const out: PublishedClass[] = [];
  for (const group of classesOf(r.cells.filter((c) => shown.has(c.id)))) {
    const values = new Set(group.map((c) => shown.get(c.id)!));
    if (values.size > 1)
      throw new Error(`release ${release}: one sum published with two values (${group[0]!.id})`);
    out.push({ release, cells: group, vars: group[0]!.levelVars, value: [...values][0]! });
  }
  return out;
}

/** The row of a published equation. */
export function equationRow(vars: Int32Array, value: number): Row {
  return { vars, coefs: ones(vars.length), lower: value, upper: value };
}
