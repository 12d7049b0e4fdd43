import type { Knex } from 'knex';
import { FINAL_STATUSES, type IsoDate, type ReportStatus } from '../reports/types';
import { codeListsOf, queueQuery, toQueueItem, type QueueRow, type ReviewReport } from './store';

// SQL for correcting decided reports (issue 16). Releases are cumulative and rely on reports only being
// added: a report counted in a published release must stay as it was. So a decided report may be
// corrected only while its decision date is after the cutoff of every published release, and of any
// release being published right now; after that, corrections go nowhere (DESIGN section 6).

export interface DecidedReport extends ReviewReport {
  decidedStatus: ReportStatus;
  decisionOn: IsoDate;
}

/** The latest cutoff a correction must come after: published releases' and a running publication's. */
export async function correctionCutoff(db: Knex): Promise<IsoDate | null> {
  const result: unknown = await db.raw(
    `select to_char(greatest(
       (select max(cutoff) from releases),
       (select max(cutoff) from release_jobs where kind = 'publish' and state = 'running')
     ), 'YYYY-MM-DD') as cutoff`,
  );
  const rows = (result as { rows: { cutoff: string | null }[] }).rows;
  return rows[0]?.cutoff ?? null;
}

const decidedQuery = (db: Knex) =>
  queueQuery(db)
    .select(db.raw("to_char(r.decision_on, 'YYYY-MM-DD') as decision_on"))
    .whereIn('r.status', FINAL_STATUSES);

const afterCutoff = (query: Knex.QueryBuilder, cutoff: IsoDate | null) =>
  cutoff ? query.where('r.decision_on', '>', cutoff) : query;

/** Decided reports that may still be corrected, latest decisions first. */
export async function listCorrectable(
  db: Knex,
  cutoff: IsoDate | null,
  limit: number,
): Promise<(ReturnType<typeof toQueueItem> & { decisionOn: IsoDate; decidedStatus: ReportStatus })[]> {
  const rows = (await afterCutoff(decidedQuery(db), cutoff)
    .orderBy([
      { column: 'r.decision_on', order: 'desc' },
      { column: 'r.id', order: 'asc' },
    ])
    .limit(limit)) as (QueueRow & { decision_on: string })[];
  return rows.map((row) => ({
    ...toQueueItem(row),
    decisionOn: row.decision_on,
    decidedStatus: row.status,
  }));
}

/** One decided report with its codes, whether or not it may still be corrected. */
export async function findDecided(db: Knex, id: string): Promise<DecidedReport | undefined> {
  const row = (await decidedQuery(db).where('r.id', id).first()) as
    (QueueRow & { decision_on: string }) | undefined;
  if (!row) return undefined;
  return {
    ...toQueueItem(row),
    ...(await codeListsOf(db, id)),
    narrativeSealed: null,
    duplicateOf: null,
    hasReceipt: false,
    decidedStatus: row.status as ReportStatus,
    decisionOn: row.decision_on,
  };
}

/**
 * Applies `changes` to a decided report still at `version` and still after `cutoff`, bumping its version;
 * false otherwise (someone else changed it, or a release now counts it). Call inside a transaction.
 */
export async function updateDecidedIfCurrent(
  trx: Knex,
  id: string,
  version: number,
  cutoff: IsoDate | null,
  changes: Record<string, unknown>,
): Promise<boolean> {
  const query = trx('reports').where({ id, version }).whereIn('status', FINAL_STATUSES);
  if (cutoff) void query.where('decision_on', '>', cutoff);
  return (await query.update({ ...changes, version: trx.raw('version + 1') })) === 1;
}
