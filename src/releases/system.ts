// The attacker's knowledge as one linear system over the unknowns of every release, split into the
// families of unknowns that constraints actually link, so each family is a small LP of its own.
import type { CellExpression } from './cells';
import { structuralRows, type StructuralRow } from './structure';
import type { VariableSpace } from './variables';

export interface SystemCell extends CellExpression {
  readonly published: boolean;
  readonly value: number | null;
  /** Whether the audit must show this cell could be 0 and could be k or more. */
  readonly checked: boolean;
}

export interface SystemRelease {
  readonly space: VariableSpace;
  readonly cells: readonly SystemCell[];
  /**
   * The true value of each unknown, when known (an earlier release's atoms recomputed from its reports).
   * Together they make a point the audit can try as a free certificate; it is verified, never trusted.
   */
  readonly truth?: Float64Array;
}

/** The published cells (of one release) that a row stands for, so a failing bound can name what to suppress. */
export interface ClassRef {
  readonly release: number;
  readonly cells: readonly number[];
}

export interface LinearRow {
  readonly vars: Int32Array;
  readonly coefs: Float64Array;
  readonly lower: number;
  readonly upper: number;
  readonly sources: readonly ClassRef[];
}

export interface CheckedCell {
  readonly release: number;
  readonly cell: number;
  readonly vars: Int32Array;
}

export interface Family {
  /** Global unknown index of each local column. */
  readonly globals: Int32Array;
  /** Rows over local column indices. */
  readonly rows: readonly LinearRow[];
  /** Checked cells over local column indices. */
  readonly checked: readonly CheckedCell[];
}

const ones = (n: number): Float64Array => new Float64Array(n).fill(1);
const exprKey = (vars: Int32Array): string => vars.join(',');

interface PublishedClass {
  readonly value: number;
  readonly ref: ClassRef;
}

/** Groups a release's published cells by identical expression: twins such as a one-office state and its office are one equation. */
function publishedClasses(release: SystemRelease, index: number): Map<string, PublishedClass> {
  const classes = new Map<string, { value: number; cells: number[] }>();
  release.cells.forEach((cell, i) => {
    if (!cell.published || cell.value === null) return;
    const key = exprKey(cell.vars);
    const existing = classes.get(key);
    if (!existing) classes.set(key, { value: cell.value, cells: [i] });
    else if (existing.value !== cell.value)
      throw new Error(`release ${index}: one sum published with two values`);
    else existing.cells.push(i);
  });
  return new Map(
    [...classes].map(([k, c]) => [k, { value: c.value, ref: { release: index, cells: c.cells } }]),
  );
}

/** Writes one structural row, replacing a side by its published value when that side is a published cell. */
function substituted(
  row: StructuralRow,
  offset: number,
  classes: Map<string, PublishedClass>,
): LinearRow | null {
  const posClass = classes.get(exprKey(row.pos));
  const negClass = classes.get(exprKey(row.neg));
  const vars: number[] = [];
  const coefs: number[] = [];
  const side = (terms: Int32Array, coef: number): void => {
    for (const v of terms) {
      vars.push(v + offset);
      coefs.push(coef);
    }
  };
  if (!posClass) side(row.pos, 1);
  if (!negClass) side(row.neg, -1);
  if (vars.length === 0) return null;
  const rhs = (negClass?.value ?? 0) - (posClass?.value ?? 0);
  return {
    vars: Int32Array.from(vars),
    coefs: Float64Array.from(coefs),
    lower: row.sense === 'le' ? -Infinity : rhs,
    upper: row.sense === 'ge' ? Infinity : rhs,
    sources: [posClass?.ref, negClass?.ref].filter((r): r is ClassRef => r !== undefined),
  };
}

/**
 * Reports only accumulate: every unknown of an earlier release is at most its later value, and the reports
 * added in between obey the same code rules as any others (their deltas satisfy the structural rows).
 */
function linkRows(
  earlier: VariableSpace,
  earlierOffset: number,
  later: VariableSpace,
  laterOffset: number,
): LinearRow[] {
  const laterIndex = new Map(later.keys.map((k, i) => [k, i]));
  const toLater = earlier.keys.map((k) => laterIndex.get(k));
  const rows: LinearRow[] = [];
  toLater.forEach((j, i) => {
    if (j === undefined) return;
    rows.push({
      vars: Int32Array.of(i + earlierOffset, j + laterOffset),
      coefs: Float64Array.of(1, -1),
      lower: -Infinity,
      upper: 0,
      sources: [],
    });
  });
  const earlierIndex = new Map(earlier.keys.map((k, i) => [k, i]));
  for (const row of structuralRows(later)) {
    const map = (vars: Int32Array): number[] | null => {
      const out: number[] = [];
      for (const v of vars) {
        const e = earlierIndex.get(later.keys[v]!);
        if (e === undefined) return null;
        out.push(e + earlierOffset);
      }
      return out;
    };
    const pos = map(row.pos);
    const neg = map(row.neg);
    if (!pos || !neg) continue;
    const vars = [
      ...Array.from(row.pos, (v) => v + laterOffset),
      ...Array.from(row.neg, (v) => v + laterOffset),
      ...pos,
      ...neg,
    ];
    const coefs = [
      ...ones(row.pos.length),
      ...ones(row.neg.length).map(() => -1),
      ...pos.map(() => -1),
      ...ones(neg.length),
    ];
    rows.push({
      vars: Int32Array.from(vars),
      coefs: Float64Array.from(coefs),
      lower: row.sense === 'le' ? -Infinity : 0,
      upper: row.sense === 'ge' ? Infinity : 0,
      sources: [],
    });
  }
  return rows;
}

/** Builds every row the attacker has across all releases (oldest first) and splits them into linked families. */
export function buildFamilies(releases: readonly SystemRelease[]): Family[] {
  const offsets: number[] = [];
  let numVars = 0;
  for (const r of releases) {
    offsets.push(numVars);
    numVars += r.space.infos.length;
  }
  const rows: LinearRow[] = [];
  const checked: CheckedCell[] = [];
  releases.forEach((release, r) => {
    const offset = offsets[r]!;
    const classes = publishedClasses(release, r);
    for (const [, cls] of classes) {
      const cell = release.cells[cls.ref.cells[0]!]!;
      const vars = Int32Array.from(cell.vars, (v) => v + offset);
      rows.push({ vars, coefs: ones(vars.length), lower: cls.value, upper: cls.value, sources: [cls.ref] });
    }
    for (const row of structuralRows(release.space)) {
      const written = substituted(row, offset, classes);
      if (written) rows.push(written);
    }
    if (r > 0) rows.push(...linkRows(releases[r - 1]!.space, offsets[r - 1]!, release.space, offset));
    release.cells.forEach((cell, i) => {
      if (cell.checked)
        checked.push({ release: r, cell: i, vars: Int32Array.from(cell.vars, (v) => v + offset) });
    });
  });
  return splitFamilies(numVars, rows, checked);
}

/** Connected components of the unknowns under the rows; only families holding a checked cell are returned. */
function splitFamilies(
  numVars: number,
  rows: readonly LinearRow[],
  checked: readonly CheckedCell[],
): Family[] {
  const parent = Int32Array.from({ length: numVars }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const unite = (vars: Int32Array): void => {
    const root = find(vars[0]!);
    for (let i = 1; i < vars.length; i++) {
      const other = find(vars[i]!);
      if (other !== root) parent[other] = root;
    }
  };
  // Rows touching a published equation only in fixed terms still link; a checked cell's own unknowns must
  // share one family so its bound is one LP.
  for (const row of rows) unite(row.vars);
  for (const c of checked) if (c.vars.length > 0) unite(c.vars);
  const families = new Map<number, { rows: LinearRow[]; checked: CheckedCell[] }>();
  for (const c of checked) {
    if (c.vars.length === 0) continue;
    const root = find(c.vars[0]!);
    const family = families.get(root) ?? { rows: [], checked: [] };
    family.checked.push(c);
    families.set(root, family);
  }
  for (const row of rows) families.get(find(row.vars[0]!))?.rows.push(row);
  const local = new Int32Array(numVars).fill(-1);
  const out: Family[] = [];
  for (const [root, family] of families) {
    const globals: number[] = [];
    for (let v = 0; v < numVars; v++) {
      if (find(v) !== root) continue;
      local[v] = globals.length;
      globals.push(v);
    }
    const relabel = (vars: Int32Array): Int32Array => Int32Array.from(vars, (v) => local[v]!);
    out.push({
      globals: Int32Array.from(globals),
      rows: family.rows.map((row) => ({ ...row, vars: relabel(row.vars) })),
      checked: family.checked.map((c) => ({ ...c, vars: relabel(c.vars) })),
    });
  }
  return out;
}
