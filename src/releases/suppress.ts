// Builds a release's cells with disclosure control: primary suppression below k, then complementary
// suppression guided by the auditor until it passes.
import type { ReleaseAtoms } from './atoms';
import {
  auditSystem,
  previousSystemReleases,
  type AuditVerdict,
  type PreviousRelease,
  type ReleaseCell,
} from './audit';
import { cellId, computeCells, type Cell } from './cells';
import type { FamilyFailure } from './family-audit';
import { protectMargins } from './margins';
import type { SystemRelease } from './system';
import { buildVariableSpace, trueValues } from './variables';

export interface SuppressInput {
  readonly atoms: ReleaseAtoms;
  readonly k: number;
  /** Earlier releases, oldest first. */
  readonly previousReleases?: readonly PreviousRelease[];
  /** Failures fixed per round before auditing again; larger batches mean fewer rounds but more over-suppression. */
  readonly batch?: number;
}

export interface SuppressedRelease {
  readonly cells: readonly ReleaseCell[];
  readonly verdict: AuditVerdict;
  readonly stats: {
    readonly primary: number;
    readonly complementary: number;
    readonly rounds: number;
    readonly solves: number;
    /** Simplex iterations, comparable between runs on a loaded machine. */
    readonly iterations: number;
    readonly millis: { readonly cells: number; readonly audit: number };
  };
}

/** Cells with the same expression are one count shown twice (a one-office state and its office): they share a fate. */
function classesOf(cells: readonly Cell[]): { classOf: Int32Array; members: number[][] } {
  const ids = new Map<string, number>();
  const classOf = new Int32Array(cells.length);
  const members: number[][] = [];
  cells.forEach((c, i) => {
    const key = c.vars.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = members.length;
      ids.set(key, id);
      members.push([]);
    }
    classOf[i] = id;
    members[id]!.push(i);
  });
  return { classOf, members };
}

/**
 * Picks the published class to suppress for one failure: among the published cells whose equations hold
 * the bound, the smallest; the national total only when nothing else would do. Falls back to the smallest
 * published cell sharing an unknown with the failing cell when the duals name none of this release's cells.
 */
function chooseComplement(
  failure: FamilyFailure,
  releases: readonly SystemRelease[],
  cells: readonly Cell[],
  classOf: Int32Array,
  suppressed: Uint8Array,
): number | null {
  const current = releases.length - 1;
  const candidates = new Set<number>();
  for (const ref of failure.binding) {
    if (ref.release !== current) continue;
    for (const c of ref.cells) if (!suppressed[classOf[c]!]) candidates.add(c);
  }
  if (candidates.size === 0) {
    const failing = releases[failure.release]!.cells[failure.cell]!;
    const space = releases[failure.release]!.space;
    const currentIndex = new Map(releases[current]!.space.keys.map((k, i) => [k, i]));
    const touched = new Set(Array.from(failing.vars, (v) => currentIndex.get(space.keys[v]!)));
    cells.forEach((c, i) => {
      if (!suppressed[classOf[i]!] && c.vars.some((v) => touched.has(v))) candidates.add(i);
    });
  }
  let best: number | null = null;
  const rank = (i: number): number => (cells[i]!.table === 'national_total' ? Infinity : cells[i]!.count);
  for (const c of candidates) if (best === null || rank(c) < rank(best)) best = c;
  return best;
}

/** Computes every cell and suppresses until the auditor passes; throws when no suppression can protect a cell. */
export async function suppressRelease(input: SuppressInput): Promise<SuppressedRelease> {
  const started = performance.now();
  const { k } = input;
  const space = buildVariableSpace(input.atoms.universe);
  const truth = trueValues(space, input.atoms);
  const cells = computeCells(input.atoms, space);
  const { classOf, members } = classesOf(cells);
  const suppressed = new Uint8Array(members.length);
  members.forEach((m, id) => (suppressed[id] = cells[m[0]!]!.count < k ? 1 : 0));
  const primary = suppressed.reduce((n, s) => n + s, 0);
  protectMargins(cells, classOf, suppressed, k);
  const previous = previousSystemReleases(input.previousReleases ?? [], k);
  const cellsDone = performance.now();

  let rounds = 0;
  let solves = 0;
  let iterations = 0;
  // Suppressing more only removes equations, so every proof found in one round still holds in the next.
  const certificates = new Map<string, number>();
  for (;;) {
    rounds++;
    const current: SystemRelease = {
      space,
      cells: cells.map((c, i) => {
        const hidden = suppressed[classOf[i]!] === 1;
        return { ...c, published: !hidden, value: hidden ? null : c.count, checked: hidden && c.count < k };
      }),
    };
    const releases = [...previous, current];
    const { failures, stats } = await auditSystem(releases, truth, {
      k,
      exactBounds: false,
      stopAfter: input.batch ?? 64,
      certificates,
    });
    solves += stats.solves;
    iterations += stats.iterations;
    if (failures.length === 0) {
      const complementary = suppressed.reduce((n, s) => n + s, 0) - primary;
      const out: ReleaseCell[] = cells.map((c, i) => {
        const hidden = suppressed[classOf[i]!] === 1;
        return {
          table: c.table,
          keys: c.keys,
          status: hidden ? 'suppressed' : 'published',
          value: hidden ? null : c.count,
        };
      });
      return {
        cells: out,
        verdict: { ok: true, failures: [], truncated: false, stats: { ...stats, solves, iterations } },
        stats: {
          primary,
          complementary,
          rounds,
          solves,
          iterations,
          millis: { cells: cellsDone - started, audit: performance.now() - cellsDone },
        },
      };
    }
    let progressed = false;
    for (const failure of failures) {
      const choice = chooseComplement(failure, releases, cells, classOf, suppressed);
      if (choice === null) continue;
      suppressed[classOf[choice]!] = 1;
      progressed = true;
    }
    if (!progressed) {
      const f = failures[0]!;
      const cell = releases[f.release]!.cells[f.cell]!;
      throw new Error(
        `no complementary suppression protects ${cellId(cell.table, cell.keys)} (release ${f.release})`,
      );
    }
  }
}
