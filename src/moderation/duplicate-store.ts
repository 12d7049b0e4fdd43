import type { Knex } from 'knex';
import type { IsoDate, ReportStatus } from '../reports/types';

// SQL for duplicate candidates (issue 16): reports that could be the same incident as the one under
// review, found on coded fields only. The narrative is sealed, so it is never compared in SQL; the desk
// opens each candidate's narrative with the session's key and moderators compare them side by side.

/** Statuses a report may be marked a duplicate of (the same rule as the duplicate action's 409s). */
export const CANDIDATE_STATUSES = ['pending', 'needs_info', 'approved'] as const;

export interface DuplicateCandidate {
  id: string;
  status: ReportStatus;
  receivedOn: IsoDate;
  /** YYYY-MM */
  incidentMonth: string;
  targetRole: string;
  actionTypes: string[];
  activismTypes: string[];
  evidenceTypes: string[];
  narrativeSealed: Buffer | null;
}

/**
 * Reports other than `of` in the same state and field office ("don't know" matches "don't know"), with an
 * incident month at most one month either side, oldest first; at most `limit`.
 */
export async function listDuplicateCandidates(
  db: Knex,
  of: { id: string; state: string; fieldOffice: string | null; incidentMonth: string },
  limit: number,
): Promise<DuplicateCandidate[]> {
  const month = `${of.incidentMonth}-01`;
  const rows = (await db('reports as r')
    .select(
      'r.id',
      'r.status',
      'r.target_role',
      'r.narrative_sealed',
      db.raw("to_char(r.received_on, 'YYYY-MM-DD') as received_on"),
      db.raw("to_char(r.incident_month, 'YYYY-MM') as incident_month"),
    )
    .whereNot('r.id', of.id)
    .whereIn('r.status', CANDIDATE_STATUSES)
    .where('r.state', of.state)
    .whereRaw('r.field_office is not distinct from ?', [of.fieldOffice])
    .whereRaw("r.incident_month between ?::date - interval '1 month' and ?::date + interval '1 month'", [
      month,
      month,
    ])
    .orderBy([
      { column: 'r.received_on', order: 'asc' },
      { column: 'r.id', order: 'asc' },
    ])
    .limit(limit)) as {
    id: string;
    status: ReportStatus;
    target_role: string;
    narrative_sealed: Buffer | null;
    received_on: string;
    incident_month: string;
  }[];
  if (rows.length === 0) return [];
  const codes = (await db('report_codes')
    .select('report_id', 'kind', 'code')
    .whereIn(
      'report_id',
      rows.map((row) => row.id),
    )
    .orderBy(['kind', 'code'])) as { report_id: string; kind: string; code: string }[];
  const codesOf = (id: string, kind: string) =>
    codes.filter((code) => code.report_id === id && code.kind === kind).map((code) => code.code);
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    receivedOn: row.received_on,
    incidentMonth: row.incident_month,
    targetRole: row.target_role,
    actionTypes: codesOf(row.id, 'action_type'),
    activismTypes: codesOf(row.id, 'activism_type'),
    evidenceTypes: codesOf(row.id, 'evidence_type'),
    narrativeSealed: row.narrative_sealed,
  }));
}
