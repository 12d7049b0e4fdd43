// The independent gate every release passes before it is published: it rebuilds the attacker's system from
// the final cells of every release and the reports themselves, checks the arithmetic rules, and bounds every
// protected number with its own LP solves. It accepts proofs (feasible points) from whoever built the
// release, but verifies each against every row before relying on it, so it never trusts the builder.
// Pure: no I/O.
import { createAuditor, type QuantityFailure } from './auditor';
import { getHighs } from './lp';
import { protectedQuantities, publishedIncrements, type Quantity, type Withheld } from './rules';
import { cellId } from './cells';
import {
  buildSystem,
  equationRow,
  publishedClasses,
  type Row,
  type SeriesRelease,
  type SystemCell,
} from './system';

export type GateFailureKind =
  'level' | 'increment' | 'published_increment' | 'published_below_k' | 'published_wrong_value';

export interface GateFailure {
  readonly kind: GateFailureKind;
  /** Index in the series of the release the failing number belongs to (the later one of an increment). */
  readonly release: number;
  readonly since: number | null;
  readonly table: string;
  readonly keys: Readonly<Record<string, string>>;
  /** Smallest and largest value consistent with everything published. */
  readonly min: number;
  readonly max: number;
  readonly canBeZero: boolean;
  readonly canReachK: boolean;
}

export interface GateVerdict {
  readonly ok: boolean;
  /** Failures this release causes or carries: any one refuses it. */
  readonly failures: readonly GateFailure[];
  /** Numbers earlier releases already gave away, before this one: reported, not refused (nothing can undo them). */
  readonly preexisting: readonly GateFailure[];
  readonly truncated: boolean;
  readonly stats: {
    readonly quantities: number;
    readonly solves: number;
    readonly certified: number;
    readonly offered: number;
  };
}

export interface GateInput {
  /** Every release, oldest first, each with its cells and its atoms; the last is the one to publish. */
  readonly series: readonly SeriesRelease[];
  readonly k: number;
  /** Points the builder found; verified before use. */
  readonly certificates?: readonly Float64Array[];
  /** Stop bounding after this many failures (default 25): refusing needs one. */
  readonly maxFailures?: number;
}

interface Audited {
  readonly failures: GateFailure[];
  readonly truncated: boolean;
  readonly stats: GateVerdict['stats'];
}

/** Audits a series of releases as they would stand once the last is published. */
export async function auditSeries(input: GateInput): Promise<GateVerdict> {
  const last = input.series.length - 1;
  const result = await auditAll(input.series, input.k, input.certificates ?? [], input.maxFailures ?? 25);
  if (result.failures.length === 0 || last === 0) {
    return {
      ok: result.failures.length === 0,
      failures: result.failures,
      preexisting: [],
      truncated: result.truncated,
      stats: result.stats,
    };
  }
  // What the earlier releases gave away before this one existed cannot be refused now. A failing number of
  // an earlier release is pre-existing when it fails in the history alone; a failing number of this release
  // is pre-existing when its cell already failed there (an increment since a release that leaked it is the
  // old leak plus this release's own increment, which is checked in its own right).
  const history = await auditAll(input.series.slice(0, last), input.k, [], Infinity);
  const before = new Set(history.failures.map(keyOf));
  const leaked = new Set(
    history.failures.filter((f) => f.since !== null).map((f) => `${cellKeyOf(f)}|${f.since}`),
  );
  const leakedCells = new Set(history.failures.map(cellKeyOf));
  const old = (f: GateFailure): boolean => {
    if (f.release < last) return before.has(keyOf(f));
    if (f.kind === 'published_increment') return leaked.has(`${cellKeyOf(f)}|${f.since}`);
    return f.kind === 'increment' && leakedCells.has(cellKeyOf(f));
  };
  const failures = result.failures.filter((f) => !old(f));
  const preexisting = result.failures.filter(old);
  return {
    ok: failures.length === 0,
    failures,
    preexisting,
    truncated: result.truncated,
    stats: result.stats,
  };
}

const cellKeyOf = (f: GateFailure): string => `${f.table}:${JSON.stringify(f.keys)}`;
const keyOf = (f: GateFailure): string =>
  `${f.kind}:${f.release}:${f.since}:${f.table}:${JSON.stringify(f.keys)}`;

async function auditAll(
  series: readonly SeriesRelease[],
  k: number,
  certificates: readonly Float64Array[],
  maxFailures: number,
): Promise<Audited> {
  const system = buildSystem(series);
  const failures: GateFailure[] = [];
  const fail = (
    kind: GateFailureKind,
    cell: SystemCell,
    since: number | null,
    min: number,
    max: number,
  ): void => {
    failures.push({
      kind,
      release: cell.release,
      since,
      table: cell.table,
      keys: cell.keys,
      min,
      max,
      canBeZero: min <= 0,
      canReachK: max >= k,
    });
  };
  // Integrity first: a published number must be the true count, and a true count of at least k.
  series.forEach((release, s) => {
    for (const shown of release.cells ?? []) {
      if (shown.status !== 'published' || shown.value === null) continue;
      const cell = system.releases[s]!.byId.get(cellId(shown.table, shown.keys));
      if (!cell) throw new Error(`cell not in the release's tables: ${cellId(shown.table, shown.keys)}`);
      if (shown.value !== cell.count) fail('published_wrong_value', cell, null, shown.value, shown.value);
      else if (cell.count < k) fail('published_below_k', cell, null, shown.value, shown.value);
    }
  });
  // Wrong values make the truth infeasible: bounding then means nothing, and the release is refused anyway.
  if (failures.some((f) => f.kind === 'published_wrong_value')) {
    return {
      failures,
      truncated: false,
      stats: { quantities: 0, solves: 0, certified: 0, offered: certificates.length },
    };
  }
  const classes = series.map((release, s) => publishedClasses(system, s, release.cells ?? []));
  const shown = classes.map((list) => new Set(list.flatMap((c) => c.cells.map((cell) => cell.id))));
  const withheld: Withheld = (release, cell) => !shown[release]!.has(cell.id);
  for (const p of publishedIncrements(system, k, withheld))
    fail('published_increment', p.cell, p.since, p.difference, p.difference);
  const quantities = protectedQuantities(system, k, withheld);
  const fixed: Row[] = [...system.structural, ...classes.flat().map((c) => equationRow(c.vars, c.value))];
  const auditor = createAuditor(await getHighs(), {
    k,
    numVars: system.numVars,
    fixed,
    toggles: [],
    quantities,
  });
  try {
    const offered = certificates.length;
    const certified = auditor.offer(certificates);
    const { failures: bounded, stats } = auditor.run({
      published: new Uint8Array(0),
      exactBounds: true,
      stopAfter: maxFailures,
    });
    for (const f of bounded) failures.push(toGateFailure(quantities[f.quantity]!, f));
    return {
      failures,
      truncated: bounded.length >= maxFailures,
      stats: { quantities: quantities.length, solves: stats.solves, certified, offered },
    };
  } finally {
    auditor.dispose();
  }
}

function toGateFailure(q: Quantity, f: QuantityFailure): GateFailure {
  const cell = q.cells[0]!;
  return {
    kind: q.kind,
    release: q.release,
    since: q.since,
    table: cell.table,
    keys: cell.keys,
    min: f.min ?? NaN,
    max: f.max ?? NaN,
    canBeZero: f.canBeZero,
    canReachK: f.canReachK,
  };
}
