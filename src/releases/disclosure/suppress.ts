// Complementary suppression as a cutting-plane loop: the 0/1 model picks the cheapest set of cells to
// withhold that satisfies every cut so far; the auditor bounds every protected number under that choice;
// each number it cannot protect comes back as a new cut; repeat until the audit passes. The model's bound
// says how close the result is to the least any protection must withhold. Pure: no I/O.
import type { ReleaseAtoms, ReleaseUniverse } from '../atoms';
import { createAuditor, type QuantityFailure } from './auditor';
import { getHighs } from './lp';
import { marginCuts } from './margin-cuts';
import { createMaster } from './master';
import { candidateRow, frameRelease, type ReleaseProblem } from './problem';
import { informationLoss, type InformationLoss } from './loss';
import type { SeriesRelease } from './system';
import type { ReleaseCell } from './types';

export type WithholdReason = 'below_k' | 'increment_below_k' | 'protects_others';

export interface BuildProgress {
  readonly stage: 'cells' | 'audit' | 'model' | 'done';
  readonly round: number;
  readonly cells: number;
  readonly quantities: number;
  readonly proven: number;
  readonly cuts: number;
  readonly withheld: number;
  readonly elapsedMs: number;
}

export interface BuildInput {
  /** Frozen releases, oldest first, with the cells they published and their atoms recomputed. */
  readonly history: readonly SeriesRelease[];
  readonly current: {
    readonly universe: ReleaseUniverse;
    readonly atoms: ReleaseAtoms;
    readonly label?: string;
  };
  readonly k: number;
  readonly onProgress?: (progress: BuildProgress) => void;
}

/** A cell withheld only because too few reports were added since an earlier release: a later cutoff may show it. */
export interface WaitingCell {
  readonly table: string;
  readonly keys: Readonly<Record<string, string>>;
  /** Reports added since `since` (1 to k-1). */
  readonly increment: number;
  readonly since: number;
}

export interface BuiltRelease {
  readonly cells: readonly ReleaseCell[];
  readonly waiting: readonly WaitingCell[];
  /** Why each withheld cell (by cell id) is withheld. */
  readonly reasons: ReadonlyMap<string, WithholdReason>;
  readonly loss: InformationLoss;
  /** Points proving every protected number; the independent gate verifies them before it relies on one. */
  readonly certificates: readonly Float64Array[];
  /** Numbers earlier releases already gave away: nothing this release withholds can protect them. */
  readonly preexisting: readonly QuantityFailure[];
  readonly stats: {
    readonly rounds: number;
    readonly solves: number;
    readonly iterations: number;
    readonly cuts: number;
    /** What the model proved any protection must withhold (its weighted objective), and what this one does. */
    readonly lowerBound: number;
    readonly objective: number;
    /** The fewest publishable cells any protection satisfying the model's cuts must withhold. */
    readonly lossLowerBound: number;
    readonly millis: number;
  };
}

/** Computes every cell and withholds the least the model finds that protects every number, all releases included. */
export async function buildRelease(input: BuildInput): Promise<BuiltRelease> {
  const started = performance.now();
  const highs = await getHighs();
  const problem = frameRelease(input.history, input.current, input.k);
  const toggles = problem.candidates.map((c) => ({ row: candidateRow(problem, c) }));
  const auditor = createAuditor(highs, {
    k: input.k,
    numVars: problem.system.numVars,
    fixed: problem.fixed,
    toggles,
    quantities: problem.quantities,
  });
  const weights = Float64Array.from(problem.candidates, (c) => problem.classes[c]!.weight);
  const master = createMaster(highs, weights);
  const progress = (stage: BuildProgress['stage'], round: number, proven: number, withheld: number) =>
    input.onProgress?.({
      stage,
      round,
      cells: problem.system.releases[problem.current]!.cells.length,
      quantities: problem.quantities.length,
      proven,
      cuts: master.cuts,
      withheld,
      elapsedMs: performance.now() - started,
    });
  try {
    progress('cells', 0, 0, 0);
    const counters = { solves: 0, iterations: 0 };
    const audit = (options: Parameters<typeof auditor.run>[0]) => {
      const result = auditor.run(options);
      counters.solves += result.stats.solves;
      counters.iterations += result.stats.iterations;
      return result;
    };
    master.add(marginCuts(problem));
    const start = master.solve();
    const hidden = Uint8Array.from(start.hidden);
    // An increment since a release whose cell an earlier pair of releases already gave away (a legacy
    // release, built before increments were protected) is that old leak plus this release's own increment,
    // which is checked in its own right: withholding more now cannot undo the old leak.
    const ignore = Uint8Array.from(problem.quantities, (q) =>
      q.release === problem.current &&
      q.kind === 'increment' &&
      q.cells.some((c) => problem.leaked.has(`${c.id}|${q.since}`))
        ? 1
        : 0,
    );
    const preexisting: QuantityFailure[] = [];
    let rounds = 0;
    for (;;) {
      rounds++;
      const count = hidden.reduce((n, h) => n + h, 0);
      progress('audit', rounds, 0, count);
      const published = Uint8Array.from(hidden, (h) => 1 - h);
      const found = audit({
        published,
        ignore,
        onSolve: (proven) => progress('audit', rounds, proven, count),
      });
      if (found.failures.length === 0) break;
      master.add(found.failures.flatMap((f) => f.cuts));
      progress('model', rounds, 0, count);
      // Repair each failure with the cheapest set of equations to drop, keeping what is already withheld:
      // withholding more only removes equations, so every proof found so far stays valid.
      const repairs = auditor.startRepairs(published, weights);
      try {
        for (const failure of found.failures) {
          for (const side of sidesOf(failure)) {
            const drop = repairs.repair(failure.quantity, side);
            counters.solves++;
            if (drop === null) {
              // Even with everything of this release withheld it fails: earlier releases gave it away.
              ignore[failure.quantity] = 1;
              preexisting.push(failure);
              break;
            }
            for (const i of drop) hidden[i] = 1;
          }
        }
      } finally {
        repairs.end();
      }
    }
    polish(hidden, start.hidden);
    const final = audit({ published: Uint8Array.from(hidden, (h) => 1 - h), ignore });
    if (final.failures.length > 0) throw new Error('the release lost its protection while being polished');
    const objective = hidden.reduce((sum, h, i) => sum + h * weights[i]!, 0);
    const bound = master.solve();
    // The same cuts with every publishable cell costing one: a floor under the information loss itself.
    const countCost = Float64Array.from(problem.candidates, (c) =>
      problem.classes[c]!.publishable ? problem.classes[c]!.cells.length : 0,
    );
    const lossBound = master.solve(undefined, countCost);
    const cells = statuses(problem, hidden);
    progress(
      'done',
      rounds,
      problem.quantities.length * 2,
      hidden.reduce((n, h) => n + h, 0),
    );
    return {
      cells: cells.cells,
      waiting: cells.waiting,
      reasons: cells.reasons,
      loss: informationLoss(problem, hidden),
      certificates: auditor.certificates(),
      preexisting,
      stats: {
        rounds,
        solves: counters.solves,
        iterations: counters.iterations,
        cuts: master.cuts,
        lowerBound: Math.min(bound.lowerBound, objective),
        objective,
        lossLowerBound: Math.ceil(lossBound.lowerBound - 1e-6),
        millis: performance.now() - started,
      },
    };

    // Publishes back, dearest first, each withheld cell whose equation no proof found so far contradicts:
    // cheap to check (no solve), and it undoes repairs that a later repair made unnecessary.
    function polish(hiddenNow: Uint8Array, fromModel: Uint8Array): void {
      const order = [...hiddenNow.keys()]
        .filter((i) => hiddenNow[i])
        .sort((a, b) => Number(fromModel[a]) - Number(fromModel[b]) || weights[b]! - weights[a]!);
      for (const i of order) {
        const published = Uint8Array.from(hiddenNow, (h) => 1 - h);
        published[i] = 1;
        const trial = audit({ published, ignore, maxUnproven: 10 });
        if (trial.failures.length === 0) hiddenNow[i] = 0;
      }
    }
  } finally {
    auditor.dispose();
    master.dispose();
  }
}

function sidesOf(failure: QuantityFailure): ('low' | 'high')[] {
  return [...(failure.canBeZero ? [] : ['low' as const]), ...(failure.canReachK ? [] : ['high' as const])];
}

/** The release's cells with their statuses, why each withheld one is withheld, and which a later cutoff may show. */
function statuses(
  problem: ReleaseProblem,
  hidden: Uint8Array,
): { cells: ReleaseCell[]; reasons: Map<string, WithholdReason>; waiting: WaitingCell[] } {
  const toggleOf = new Map(problem.candidates.map((c, t) => [c, t]));
  const cells: ReleaseCell[] = [];
  const reasons = new Map<string, WithholdReason>();
  const waiting: WaitingCell[] = [];
  const { system, k } = problem;
  problem.classes.forEach((c, i) => {
    const toggle = toggleOf.get(i);
    const withheld = toggle === undefined || hidden[toggle] === 1;
    const reason: WithholdReason | null = !withheld
      ? null
      : (c.primary ?? (c.publishable ? 'protects_others' : 'increment_below_k'));
    for (const cell of c.cells) {
      cells.push({
        table: cell.table,
        keys: cell.keys,
        status: withheld ? 'suppressed' : 'published',
        value: withheld ? null : cell.count,
      });
      if (!reason) continue;
      reasons.set(cell.id, reason);
      if (reason !== 'increment_below_k') continue;
      for (let since = problem.current - 1; since >= 0; since--) {
        const before = system.releases[since]!.byId.get(cell.id);
        const increment = before ? cell.count - before.count : 0;
        if (increment >= 1 && increment < k) {
          waiting.push({ table: cell.table, keys: cell.keys, increment, since });
          break;
        }
      }
    }
  });
  return { cells, reasons, waiting };
}
