// What a release build comes to, in plain figures: the same summary for the CLI, the desk's preview page
// and the stored job. Pure: no I/O.
import type { GateFailure } from './disclosure/gate';
import type { TableLoss } from './disclosure/loss';
import type { ReleaseBuild } from './service';
import { TABLES } from './tables';

export interface SummaryFailure {
  readonly kind: GateFailure['kind'];
  readonly release: string;
  readonly since: string | null;
  readonly table: string;
  /** dimension=key pairs, e.g. "state=VT, year=2024". */
  readonly keys: string;
  readonly min: number;
  readonly max: number;
}

/** One table's counts: published, and withheld by reason (see disclosure/loss.ts). */
export type TableSummary = TableLoss;

export interface BuildSummary {
  readonly cutoff: string;
  readonly threshold: number;
  readonly basedOn: string | null;
  readonly nationalIncrement: number | null;
  readonly ok: boolean;
  readonly failures: readonly SummaryFailure[];
  readonly failureCount: number;
  readonly preexisting: number;
  readonly cells: number;
  readonly published: number;
  readonly loss: {
    readonly withheld: number;
    readonly publishable: number;
    readonly percent: number;
    readonly lowerBound: number;
    readonly lowerBoundPercent: number;
    readonly oneDimension: {
      readonly withheld: number;
      readonly publishable: number;
      readonly percent: number;
    };
    readonly nationalTotalPublished: boolean;
  };
  readonly tables: readonly TableSummary[];
  /** Per table, cells a later cutoff may publish once their increment reaches k, with a few examples. */
  readonly waiting: readonly {
    readonly table: string;
    readonly count: number;
    readonly examples: readonly string[];
  }[];
  readonly seconds: number;
  readonly stats: { readonly rounds: number; readonly solves: number; readonly cuts: number };
}

const keysText = (keys: Readonly<Record<string, string>>): string =>
  Object.entries(keys)
    .map(([d, v]) => `${d}=${v}`)
    .join(', ');
const percent = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10;

/** Summarizes a build; `labels` names the releases of the series by index (the last being the draft). */
export function summarizeBuild(build: ReleaseBuild, labels: readonly string[]): BuildSummary {
  const nameOf = (index: number | null): string | null =>
    index === null ? null : (labels[index] ?? 'draft');
  const failures = build.verdict.failures.map((f) => ({
    kind: f.kind,
    release: nameOf(f.release)!,
    since: nameOf(f.since),
    table: f.table,
    keys: keysText(f.keys),
    min: Math.round(f.min * 100) / 100,
    max: Math.round(f.max * 100) / 100,
  }));
  const order = new Map(TABLES.map((t, i) => [t.name, i]));
  const tables = [...build.loss.tables].sort((a, b) => order.get(a.table)! - order.get(b.table)!);
  const waiting = TABLES.flatMap((t) => {
    const cells = build.waiting.filter((w) => w.table === t.name);
    if (cells.length === 0) return [];
    return [
      {
        table: t.name,
        count: cells.length,
        examples: cells
          .slice(0, 3)
          .map((w) => `${keysText(w.keys)}: +${w.increment} since ${nameOf(w.since)}`),
      },
    ];
  });
  const { loss } = build;
  return {
    cutoff: build.cutoff,
    threshold: build.threshold,
    basedOn: build.basedOn?.label ?? null,
    nationalIncrement: build.nationalIncrement,
    ok: build.verdict.ok,
    failures: failures.slice(0, 20),
    failureCount: failures.length,
    preexisting: build.verdict.preexisting.length,
    cells: build.cells.length,
    published: build.cells.filter((c) => c.status === 'published').length,
    loss: {
      withheld: loss.withheld,
      publishable: loss.publishable,
      percent: percent(loss.withheld, loss.publishable),
      lowerBound: Math.min(build.stats.lossLowerBound, loss.withheld),
      lowerBoundPercent: percent(Math.min(build.stats.lossLowerBound, loss.withheld), loss.publishable),
      oneDimension: {
        withheld: loss.oneDimension.withheld,
        publishable: loss.oneDimension.publishable,
        percent: percent(loss.oneDimension.withheld, loss.oneDimension.publishable),
      },
      nationalTotalPublished: loss.nationalTotalPublished,
    },
    tables,
    waiting,
    seconds: Math.round((build.timings.atomsMs + build.timings.buildMs + build.timings.gateMs) / 100) / 10,
    stats: { rounds: build.stats.rounds, solves: build.stats.solves, cuts: build.stats.cuts },
  };
}

/** The summary as terminal lines (the CLI's dry run and publish), in English: the operator's own words. */
export function summaryLines(s: BuildSummary): string[] {
  const lines = [
    `cutoff ${s.cutoff}, k=${s.threshold}${s.basedOn ? `, ${s.nationalIncrement} reports added since ${s.basedOn}` : ', first release'}`,
    `${s.cells} cells: ${s.published} published, ${s.cells - s.published} withheld`,
    `information loss: ${s.loss.withheld} of ${s.loss.publishable} publishable cells withheld (${s.loss.percent} %)` +
      `; one-dimensional tables ${s.loss.oneDimension.withheld} of ${s.loss.oneDimension.publishable} (${s.loss.oneDimension.percent} %)` +
      `; no protection can withhold fewer than ${s.loss.lowerBound} (${s.loss.lowerBoundPercent} %)`,
    `national total ${s.loss.nationalTotalPublished ? 'published' : 'WITHHELD'}`,
    'per table: published / withheld below k / withheld, increment below k / withheld to protect another cell (of publishable)',
    ...s.tables.map(
      (t) =>
        `  ${t.table.padEnd(30)} ${String(t.published).padStart(5)} / ${String(t.belowK).padStart(5)} / ${String(t.incrementBelowK).padStart(5)} / ${String(t.protecting).padStart(4)} (of ${t.publishable})`,
    ),
  ];
  if (s.waiting.length > 0) {
    lines.push(
      `a later cutoff may publish ${s.waiting.reduce((n, w) => n + w.count, 0)} cells whose increment is still below k:`,
    );
    for (const w of s.waiting) lines.push(`  ${w.table}: ${w.count} (${w.examples.join('; ')})`);
  }
  lines.push(
    s.ok
      ? `audit passed (${s.stats.rounds} rounds, ${s.stats.solves} LP solves, ${s.seconds} s)`
      : `audit FAILED: ${s.failureCount} numbers can be worked out`,
  );
  for (const f of s.failures) {
    lines.push(
      `  ${f.kind} ${f.release}${f.since ? ` since ${f.since}` : ''} ${f.table} ${f.keys}: between ${f.min} and ${f.max}`,
    );
  }
  if (s.preexisting > 0)
    lines.push(
      `${s.preexisting} numbers were already given away by earlier releases (reported, not refused)`,
    );
  return lines;
}
