import type { Knex } from 'knex';
import { ConflictError, ValidationError } from '../platform/errors';
import { codesOf } from '../reference/lookup';
import type { Reference } from '../reference/types';
import type { ReleaseAtoms, ReleaseUniverse } from './atoms';
import type { AuditVerdict, PreviousRelease, ReleaseCell } from './audit';
import { buildGeography } from './geography';
import { periodsThrough } from './periods';
import {
  findRelease,
  insertRelease,
  listReleases,
  loadCodeAtoms,
  loadGeoAtoms,
  loadPairAtoms,
  loadReleaseCells,
  type ReleaseRecord,
} from './store';
import { runSuppression } from './run-suppression';
import { CODE_KINDS, type CodeKind } from './tables';

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
  verdict: AuditVerdict;
  /** The newest release this build was audited against; publishing refuses if another appeared since. */
  basedOnReleaseId: number | null;
  timings: { atomsMs: number; suppressMs: number };
  stats: { primary: number; complementary: number; rounds: number; solves: number };
}

const LABEL = /^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Releases: building a draft with suppression and audit, and publishing it frozen. */
export function createReleases(deps: {
  db: Knex;
  reference: Reference;
  threshold: number;
  today: () => Date;
}) {
  const { db, reference, threshold } = deps;
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
  const todayIso = () => deps.today().toISOString().slice(0, 10);

  /** The atoms as of a cutoff, aggregated in SQL. */
  async function atomsAsOf(cutoff: string): Promise<ReleaseAtoms> {
    const [geo, codeAtoms, pairs] = await Promise.all([
      loadGeoAtoms(db, cutoff),
      loadCodeAtoms(db, cutoff),
      loadPairAtoms(db, cutoff),
    ]);
    return { universe: universeFor(cutoff), geo, codes: codeAtoms, pairs };
  }

  // Earlier releases with their atoms recomputed from the reports approved by their cutoffs: the auditor
  // uses them to know which earlier hidden cells were small (decided reports are never edited, so these
  // are the counts those releases were built from).
  async function previousReleases(): Promise<{ records: ReleaseRecord[]; previous: PreviousRelease[] }> {
    const records = await listReleases(db);
    const previous: PreviousRelease[] = [];
    for (const record of records) {
      previous.push({
        universe: universeFor(record.cutoff),
        cells: await loadReleaseCells(db, record.id),
        atoms: await atomsAsOf(record.cutoff),
      });
    }
    return { records, previous };
  }

  /** Computes, suppresses and audits the release for a cutoff without writing anything. */
  async function build(cutoff: string): Promise<ReleaseBuild> {
    if (!isRealDate(cutoff)) throw new ValidationError('releases.errors.cutoff_invalid');
    if (cutoff > todayIso()) throw new ValidationError('releases.errors.cutoff_future');
    const { records, previous } = await previousReleases();
    const latest = records.at(-1);
    // Releases nest (each counts every report the one before did), which is what the audit assumes.
    if (latest && cutoff < latest.cutoff) throw new ValidationError('releases.errors.cutoff_before_latest');
    const atomsStarted = performance.now();
    const atoms = await atomsAsOf(cutoff);
    const atomsMs = performance.now() - atomsStarted;
    const suppressStarted = performance.now();
    const result = await runSuppression({ atoms, k: threshold, previousReleases: previous });
    return {
      cutoff,
      threshold,
      cells: result.cells,
      verdict: result.verdict,
      basedOnReleaseId: latest?.id ?? null,
      timings: { atomsMs, suppressMs: performance.now() - suppressStarted },
      stats: {
        primary: result.stats.primary,
        complementary: result.stats.complementary,
        rounds: result.stats.rounds,
        solves: result.stats.solves,
      },
    };
  }

  /** Builds and publishes a release; refused when the label is taken or the audit fails. */
  async function publish(
    draft: ReleaseDraft,
    publishedOn = todayIso(),
  ): Promise<{ release: ReleaseRecord; build: ReleaseBuild }> {
    if (!LABEL.test(draft.label)) throw new ValidationError('releases.errors.label_invalid');
    if (await findRelease(db, draft.label)) throw new ConflictError('releases.errors.label_taken');
    const built = await build(draft.cutoff);
    if (!built.verdict.ok) throw new ValidationError('releases.errors.audit_failed');
    const release = await db.transaction(async (trx) => {
      // One publisher at a time, and only on top of the releases this build was audited against.
      await trx.raw('lock table releases in exclusive mode');
      const latest = await trx('releases')
        .select<{ id: number }[]>('id')
        .orderBy('cutoff', 'desc')
        .orderBy('id', 'desc')
        .first();
      if ((latest?.id ?? null) !== built.basedOnReleaseId)
        throw new ConflictError('releases.errors.concurrent');
      if (await trx('releases').where({ label: draft.label }).first())
        throw new ConflictError('releases.errors.label_taken');
      const record = {
        label: draft.label,
        cutoff: draft.cutoff,
        threshold,
        publishedOn,
        notesEn: draft.notesEn ?? '',
        notesEs: draft.notesEs ?? '',
      };
      const id = await insertRelease(trx, record, built.cells);
      return { id, ...record };
    });
    return { release, build: built };
  }

  return { build, publish };
}

export type Releases = ReturnType<typeof createReleases>;
