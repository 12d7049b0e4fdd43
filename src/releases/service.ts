import type { Knex } from 'knex';
import { recordAudit } from '../audit/store';
import { ConflictError, ValidationError } from '../platform/errors';
import { codesOf } from '../reference/lookup';
import type { Reference } from '../reference/types';
import type { ReleaseAtoms, ReleaseUniverse } from './atoms';
import type { GateFailure, GateVerdict } from './disclosure/gate';
import type { InformationLoss } from './disclosure/loss';
import type { BuildProgress, BuiltRelease, WithholdReason } from './disclosure/suppress';
import type { SeriesRelease } from './disclosure/system';
import type { ReleaseCell } from './disclosure/types';
import { buildGeography } from './geography';
import { isReleaseLabel } from './label';
import { periodsThrough } from './periods';
import { runBuild, runGate } from './run-in-worker';
import {
  findRelease,
  insertRelease,
  listReleases,
  loadAtomsThrough,
  loadReleaseCells,
  type ReleaseRecord,
} from './store';
import { CODE_KINDS, type CodeKind } from './tables';
import { isoDay, isRealDay } from '../platform/dates';

export interface ReleaseDraft {
  label: string;
  cutoff: string;
  notesEn?: string;
  notesEs?: string;
}

export interface ReleaseBuild {
  cutoff: string;
  threshold: number;
  cells: readonly ReleaseCell[];
  /** Why each withheld cell is withheld, by cell id (table|key|key). */
  reasons: ReadonlyMap<string, WithholdReason>;
  /** Cells withheld only because too few reports were added since an earlier release. */
  waiting: BuiltRelease['waiting'];
  loss: InformationLoss;
  /** The independent gate's verdict on the cells, with every earlier release. */
  verdict: GateVerdict;
  /** The newest release this build was audited against; publishing refuses if another appeared since. */
  basedOn: { id: number; label: string } | null;
  /** Reports added since that release (the national increment); null for a first release. */
  nationalIncrement: number | null;
  timings: { atomsMs: number; buildMs: number; gateMs: number };
  stats: BuiltRelease['stats'];
}

/** A release the rules refuse: the translation key and its parameters, and the gate's failing cells. */
export class ReleaseRefusedError extends ValidationError {
  constructor(
    message: string,
    readonly params: Readonly<Record<string, string | number>> = {},
    readonly failures: readonly GateFailure[] = [],
  ) {
    super(message);
  }
}

export interface ReleasesDeps {
  db: Knex;
  reference: Reference;
  threshold: number;
  today: () => Date;
  /** The suppression to use (tests inject a broken one to prove the gate refuses it). */
  build?: typeof runBuild;
}

const nationalCount = (atoms: ReleaseAtoms): number => atoms.geo.reduce((sum, a) => sum + a.count, 0);

/** Releases: building a draft with suppression and the independent gate, and publishing it frozen. */
export function createReleases(deps: ReleasesDeps) {
  const { db, reference, threshold } = deps;
  const buildCells = deps.build ?? runBuild;
  const geography = buildGeography(
    reference.states.map((state) => state.usps),
    reference.offices.map((office) => ({ code: office.code, states: office.states })),
  );
  const codes = Object.fromEntries(
    CODE_KINDS.map((kind) => [kind, codesOf(reference, kind).map((code) => code.code)]),
  ) as Record<CodeKind, string[]>;
  const universeFor = (cutoff: string): ReleaseUniverse => ({
    geography,
    quarters: periodsThrough(cutoff),
    codes,
  });
  const todayIso = () => isoDay(deps.today());

  // Earlier releases with their atoms recomputed from the reports approved by their cutoffs (decided reports
  // are never edited, so these are the counts those releases were built from; the engine refuses otherwise),
  // and the atoms of the new cutoff, all in one aggregation pass.
  async function history(
    cutoff: string,
    records: readonly ReleaseRecord[],
  ): Promise<{ series: SeriesRelease[]; atoms: ReleaseAtoms }> {
    const atomSets = await loadAtomsThrough(db, [...records.map((r) => r.cutoff), cutoff]);
    const atomsOf = (n: number, at: string): ReleaseAtoms => ({ universe: universeFor(at), ...atomSets[n]! });
    const series: SeriesRelease[] = [];
    for (const [n, record] of records.entries()) {
      series.push({
        label: record.label,
        universe: universeFor(record.cutoff),
        atoms: atomsOf(n, record.cutoff),
        cells: await loadReleaseCells(db, record.id),
      });
    }
    return { series, atoms: atomsOf(records.length, cutoff) };
  }

  /** Computes, suppresses and gates the release for a cutoff without writing anything. */
  async function build(
    cutoff: string,
    onProgress?: (progress: BuildProgress) => void,
  ): Promise<ReleaseBuild> {
    if (!isRealDay(cutoff)) throw new ReleaseRefusedError('releases.errors.cutoff_invalid');
    // Before today, never today: a report approved later on the cutoff day would be told on /status that it
    // is counted in a release that does not count it.
    if (cutoff >= todayIso()) throw new ReleaseRefusedError('releases.errors.cutoff_not_past');
    const records = await listReleases(db);
    const latest = records.at(-1);
    // Releases nest (each counts every report the one before did), which is what the audit relies on.
    if (latest && cutoff <= latest.cutoff)
      throw new ReleaseRefusedError('releases.errors.cutoff_before_latest', {
        label: latest.label,
        cutoff: latest.cutoff,
      });
    const atomsStarted = performance.now();
    const { series, atoms } = await history(cutoff, records);
    const atomsMs = performance.now() - atomsStarted;
    const nationalIncrement = latest ? nationalCount(atoms) - nationalCount(series.at(-1)!.atoms) : null;
    // The national total is published in every release, so its increment must be 0 or at least k: with
    // 1 to k-1 new reports the difference itself would give them away.
    if (nationalIncrement !== null && nationalIncrement >= 1 && nationalIncrement < threshold)
      throw new ReleaseRefusedError('releases.errors.too_few_new', {
        label: latest!.label,
        count: nationalIncrement,
        k: threshold,
      });
    const current = { universe: universeFor(cutoff), atoms, label: 'draft' };
    const buildStarted = performance.now();
    const built = await buildCells({ history: series, current, k: threshold }, onProgress);
    const buildMs = performance.now() - buildStarted;
    const gateStarted = performance.now();
    const verdict = await runGate({
      series: [...series, { ...current, cells: built.cells }],
      k: threshold,
      certificates: built.certificates,
    });
    return {
      cutoff,
      threshold,
      cells: built.cells,
      reasons: built.reasons,
      waiting: built.waiting,
      loss: built.loss,
      verdict,
      basedOn: latest ? { id: latest.id, label: latest.label } : null,
      nationalIncrement,
      timings: { atomsMs, buildMs, gateMs: performance.now() - gateStarted },
      stats: built.stats,
    };
  }

  /** Builds, gates and publishes a release with its audit row, in one transaction; refused when the gate fails. */
  async function publish(
    draft: ReleaseDraft,
    options: {
      publishedOn?: string;
      moderatorId?: number | null;
      onProgress?: (progress: BuildProgress) => void;
    } = {},
  ): Promise<{ release: ReleaseRecord; build: ReleaseBuild }> {
    if (!isReleaseLabel(draft.label)) throw new ReleaseRefusedError('releases.errors.label_invalid');
    if (await findRelease(db, draft.label)) throw new ConflictError('releases.errors.label_taken');
    const built = await build(draft.cutoff, options.onProgress);
    if (!built.verdict.ok)
      throw new ReleaseRefusedError(
        'releases.errors.audit_failed',
        { count: built.verdict.failures.length },
        built.verdict.failures,
      );
    const release = await db.transaction(async (trx) => {
      // One publisher at a time, and only on top of the releases this build was audited against.
      await trx.raw('lock table releases in exclusive mode');
      const latest = await trx('releases')
        .select<{ id: number }[]>('id')
        .orderBy('cutoff', 'desc')
        .orderBy('id', 'desc')
        .first();
      if ((latest?.id ?? null) !== (built.basedOn?.id ?? null))
        throw new ConflictError('releases.errors.concurrent');
      if (await trx('releases').where({ label: draft.label }).first())
        throw new ConflictError('releases.errors.label_taken');
      const record = {
        label: draft.label,
        cutoff: draft.cutoff,
        threshold,
        publishedOn: options.publishedOn ?? todayIso(),
        notesEn: draft.notesEn ?? '',
        notesEs: draft.notesEs ?? '',
      };
      const id = await insertRelease(trx, record, built.cells);
      // The audit row commits with the release or not at all, as every desk action's does.
      await recordAudit(trx, {
        moderatorId: options.moderatorId ?? null,
        action: 'release_published',
        detail: { label: record.label },
      });
      return { id, ...record };
    });
    return { release, build: built };
  }

  return { build, publish, list: () => listReleases(db) };
}

export type Releases = ReturnType<typeof createReleases>;
