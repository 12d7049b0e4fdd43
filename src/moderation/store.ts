import type { Knex } from 'knex';
import {
  FINAL_STATUSES,
  QUEUE_STATUSES,
  type DecisionReason,
  type IsoDate,
  type QueueStatus,
  type ReportStatus,
} from '../reports/types';
import type { CodedFields } from '../reports/coded-fields';

// SQL for the desk: the queue, one report under review, coded corrections and decisions (each guarded by
// the report's version), and retention. Functions take the knex handle (a transaction inside one) first.

export interface QueueFilter {
  statuses: QueueStatus[];
  state?: string | undefined;
  fieldOffice?: string | undefined;
}

export interface QueueItem {
  id: string;
  status: QueueStatus;
  state: string;
  fieldOffice: string | null;
  incidentMonth: IsoDate;
  receivedOn: IsoDate;
  targetRole: string;
  version: number;
  hasNarrative: boolean;
}

export interface ReviewReport extends QueueItem {
  actionTypes: string[];
  activismTypes: string[];
  evidenceTypes: string[];
  narrativeSealed: Buffer | null;
  duplicateOf: string | null;
  hasReceipt: boolean;
}

const QUEUE_COLUMNS = [
  'r.id',
  'r.status',
  'r.state',
  'r.field_office',
  'r.target_role',
  'r.version',
] as const;

export interface QueueRow {
  id: string;
  status: QueueStatus;
  state: string;
  field_office: string | null;
  target_role: string;
  version: number;
  incident_month: string;
  received_on: string;
  has_narrative: boolean;
}

export function toQueueItem(row: QueueRow): QueueItem {
  return {
    id: row.id,
    status: row.status,
    state: row.state,
    fieldOffice: row.field_office,
    incidentMonth: row.incident_month,
    receivedOn: row.received_on,
    targetRole: row.target_role,
    version: row.version,
    hasNarrative: row.has_narrative,
  };
}

export function queueQuery(db: Knex) {
  return db('reports as r').select(
    ...QUEUE_COLUMNS,
    db.raw("to_char(r.incident_month, 'YYYY-MM') as incident_month"),
    db.raw("to_char(r.received_on, 'YYYY-MM-DD') as received_on"),
    db.raw('(r.narrative_sealed is not null) as has_narrative'),
  );
}

/** One report on the desk (pending or needs_info), with its codes; undefined for any other id. */
/** A report's coded answers, one sorted list per kind. */
export async function codeListsOf(
  db: Knex,
  id: string,
): Promise<Pick<ReviewReport, 'actionTypes' | 'activismTypes' | 'evidenceTypes'>> {
  const codes = (await db('report_codes')
    .select('kind', 'code')
    .where({ report_id: id })
    .orderBy(['kind', 'code'])) as { kind: string; code: string }[];
  const of = (kind: string) => codes.filter((code) => code.kind === kind).map((code) => code.code);
  return {
    actionTypes: of('action_type'),
    activismTypes: of('activism_type'),
    evidenceTypes: of('evidence_type'),
  };
}

export async function findReviewable(db: Knex, id: string): Promise<ReviewReport | undefined> {
  const row = (await queueQuery(db)
    .select(
      'r.narrative_sealed',
      'r.duplicate_of',
      db.raw('exists (select 1 from receipts rec where rec.report_id = r.id) as has_receipt'),
    )
    .where('r.id', id)
    .whereIn('r.status', QUEUE_STATUSES)
    .first()) as
    | (QueueRow & { narrative_sealed: Buffer | null; duplicate_of: string | null; has_receipt: boolean })
    | undefined;
  if (!row) return undefined;
  return {
    ...toQueueItem(row),
    ...(await codeListsOf(db, id)),
    narrativeSealed: row.narrative_sealed,
    duplicateOf: row.duplicate_of,
    hasReceipt: row.has_receipt,
  };
}

/** The status of any report, for checking the target of a duplicate mark. */
export async function findStatus(db: Knex, id: string): Promise<ReportStatus | undefined> {
  const row = (await db('reports').select('status').where({ id }).first()) as
    { status: ReportStatus } | undefined;
  return row?.status;
}

/**
 * Bumps the version of a report still on the desk if it is still at `version`, applying `changes`.
 * False when another moderator got there first (or the report left the desk): never a silent overwrite.
 */
export async function updateIfCurrent(
  trx: Knex,
  id: string,
  version: number,
  changes: Record<string, unknown>,
): Promise<boolean> {
  const updated = await trx('reports')
    .where({ id, version })
    .whereIn('status', QUEUE_STATUSES)
    .update({ ...changes, version: trx.raw('version + 1') });
  return updated === 1;
}

/** Replaces a report's multi-valued codes. */
export async function replaceCodes(trx: Knex, id: string, fields: CodedFields): Promise<void> {
  await trx('report_codes').where({ report_id: id }).del();
  const rows = [
    ...fields.actionTypes.map((code) => ({ report_id: id, kind: 'action_type', code })),
    ...fields.activismTypes.map((code) => ({ report_id: id, kind: 'activism_type', code })),
    ...fields.evidenceTypes.map((code) => ({ report_id: id, kind: 'evidence_type', code })),
  ];
  if (rows.length > 0) await trx('report_codes').insert(rows);
}

/** The column values of a final decision. */
export function decisionColumns(decision: {
  status: 'approved' | 'rejected' | 'duplicate';
  reason: DecisionReason | null;
  duplicateOf: string | null;
  decisionOn: IsoDate;
}): Record<string, unknown> {
  return {
    status: decision.status,
    decision_reason: decision.reason,
    duplicate_of: decision.duplicateOf,
    decision_on: decision.decisionOn,
  };
}

/** The public key that questions to this report's reporter are sealed to (stored with the receipt). */
export async function reporterPublicKey(db: Knex, reportId: string): Promise<Buffer | undefined> {
  const row = (await db('receipts').select('reporter_public_key').where({ report_id: reportId }).first()) as
    { reporter_public_key: Buffer } | undefined;
  return row?.reporter_public_key;
}

/**
 * Retention (promise 8): on final reports decided on or before `cutoff`, deletes the narrative and every
 * message, and deletes rejected reports whole (their codes, receipt and messages go with them by cascade).
 */
export async function applyRetention(
  trx: Knex,
  cutoff: IsoDate,
): Promise<{ rejectedDeleted: number; narrativesDeleted: number; messagesDeleted: number }> {
  const rejectedDeleted = await trx('reports')
    .where('status', 'rejected')
    .andWhere('decision_on', '<=', cutoff)
    .del();
  const expired = trx('reports')
    .select('id')
    .whereIn('status', FINAL_STATUSES)
    .andWhere('decision_on', '<=', cutoff);
  const messagesDeleted = await trx('report_messages').whereIn('report_id', expired).del();
  const narrativesDeleted = await trx('reports')
    .whereIn('status', FINAL_STATUSES)
    .andWhere('decision_on', '<=', cutoff)
    .whereNotNull('narrative_sealed')
    .update({ narrative_sealed: null });
  return { rejectedDeleted, narrativesDeleted, messagesDeleted };
}
