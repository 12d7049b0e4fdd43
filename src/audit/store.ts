import type { Knex } from 'knex';

// The desk's audit trail: one writer every capability calls inside the transaction of the action it
// records (so an action never commits without its row), and one reader for the audit log page. A floor
// beside reports/: accounts, moderation, releases and cases all stand on it, none on each other for it.
// Codes only: a row never holds a narrative, a message or a coded answer (promise 1).

/** What an audit row records: who, what, which report or account, codes only (never report content). */
export interface AuditEvent {
  moderatorId: number | null;
  action: string;
  reportId?: string | null;
  subjectModeratorId?: number | null;
  detail?: Record<string, string | number | boolean | string[]>;
}

/**
 * Writes one audit row. Pass the action's own transaction, so the two commit or fail together. Codes only:
 * callers never pass narrative, message or coded-answer values.
 */
export async function recordAudit(db: Knex, event: AuditEvent): Promise<void> {
  await db('audit_events').insert({
    moderator_id: event.moderatorId,
    action: event.action,
    report_id: event.reportId ?? null,
    subject_moderator_id: event.subjectModeratorId ?? null,
    detail: JSON.stringify(event.detail ?? {}),
  });
}

/** One row of the audit log as the desk shows it, with usernames instead of ids. */
export interface AuditRow {
  id: number;
  occurredAt: Date;
  username: string | null;
  action: string;
  reportId: string | null;
  subjectUsername: string | null;
  detail: Record<string, unknown>;
}

/** The audit trail, newest first. */
export async function listAudit(db: Knex, options: { limit: number; offset: number }): Promise<AuditRow[]> {
  const rows = (await db('audit_events as a')
    .leftJoin('moderators as m', 'm.id', 'a.moderator_id')
    .leftJoin('moderators as s', 's.id', 'a.subject_moderator_id')
    .select(
      'a.id',
      'a.occurred_at',
      'm.username',
      'a.action',
      'a.report_id',
      's.username as subject',
      'a.detail',
    )
    .orderBy('a.id', 'desc')
    .limit(options.limit)
    .offset(options.offset)) as {
    id: string | number;
    occurred_at: Date;
    username: string | null;
    action: string;
    report_id: string | null;
    subject: string | null;
    detail: Record<string, unknown> | string;
  }[];
  return rows.map((row) => ({
    id: Number(row.id),
    occurredAt: row.occurred_at,
    username: row.username,
    action: row.action,
    reportId: row.report_id,
    subjectUsername: row.subject,
    detail: typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail,
  }));
}
