import type { Knex } from 'knex';
import type { IsoDate, MessageDirection, NewReport, ReportMessage } from './types';

// SQL for reports. Functions take the knex handle (a transaction inside one) as their first argument.

const INSERT_CHUNK = 500;

/**
 * Inserts reports and their codes in bulk; returns their ids in input order and how many were new. Rows
 * whose id already exists are left alone, which is what makes the demo seed idempotent.
 */
export async function insertReports(
  db: Knex,
  reports: NewReport[],
): Promise<{ ids: string[]; newCount: number }> {
  const ids: string[] = [];
  let newCount = 0;
  for (let start = 0; start < reports.length; start += INSERT_CHUNK) {
    const chunk = reports.slice(start, start + INSERT_CHUNK);
    const rows = chunk.map((report) => ({
      ...(report.id ? { id: report.id } : {}),
      status: report.status ?? 'pending',
      state: report.state,
      field_office: report.fieldOffice,
      incident_month: report.incidentMonth,
      target_role: report.targetRole,
      consent_to_count: report.consentToCount,
      received_on: report.receivedOn,
      narrative_sealed: report.narrativeSealed,
      narrative_key_id: report.narrativeSealed ? (report.narrativeKeyId ?? null) : null,
      decision_reason: report.decisionReason ?? null,
      decision_on: report.decisionOn ?? null,
    }));
    const inserted: { id: string }[] = await db('reports')
      .insert(rows)
      .onConflict('id')
      .ignore()
      .returning('id');
    const insertedIds = new Set(inserted.map((row) => row.id));
    newCount += inserted.length;
    const chunkIds = chunk.map((report, index) => report.id ?? inserted[index]?.id ?? '');
    const codeRows = chunk.flatMap((report, index) => {
      const id = chunkIds[index] ?? '';
      if (!insertedIds.has(id)) return [];
      return [
        ...report.actionTypes.map((code) => ({ report_id: id, kind: 'action_type', code })),
        ...report.activismTypes.map((code) => ({ report_id: id, kind: 'activism_type', code })),
        ...report.evidenceTypes.map((code) => ({ report_id: id, kind: 'evidence_type', code })),
      ];
    });
    for (let codeStart = 0; codeStart < codeRows.length; codeStart += INSERT_CHUNK * 3) {
      await db('report_codes').insert(codeRows.slice(codeStart, codeStart + INSERT_CHUNK * 3));
    }
    ids.push(...chunkIds);
  }
  return { ids, newCount };
}

/** Whether any report exists: the first start seeds demo data only into an empty database. */
export async function hasAnyReport(db: Knex): Promise<boolean> {
  const row = (await db('reports').select(db.raw('1')).first()) as unknown;
  return row !== undefined;
}

/**
 * Appends a sealed message to a report's thread. Locks the report row first, so two messages sent at
 * once get distinct positions; call it inside a transaction.
 */
export async function insertReportMessage(
  trx: Knex.Transaction,
  message: { reportId: string; direction: MessageDirection; bodySealed: Buffer; sentOn: IsoDate },
): Promise<void> {
  await trx('reports').select('id').where({ id: message.reportId }).forUpdate();
  const row = (await trx('report_messages')
    .where({ report_id: message.reportId })
    .max<{ last: number | null }>('position as last')
    .first()) ?? { last: null };
  await trx('report_messages').insert({
    report_id: message.reportId,
    position: (row.last ?? 0) + 1,
    direction: message.direction,
    body_sealed: message.bodySealed,
    sent_on: message.sentOn,
  });
}

/**
 * The last position of each report's thread, locking the reports first (as insertReportMessage does) so
 * a message appended meanwhile cannot take the same position; call it inside a transaction.
 */
export async function lastMessagePositions(
  trx: Knex.Transaction,
  reportIds: string[],
): Promise<Map<string, number>> {
  const last = new Map<string, number>();
  if (reportIds.length === 0) return last;
  await trx('reports').select('id').whereIn('id', reportIds).forUpdate();
  const found: unknown = await trx('report_messages')
    .select('report_id')
    .max('position as last')
    .whereIn('report_id', reportIds)
    .groupBy('report_id');
  const rows = found as { report_id: string; last: number }[];
  for (const row of rows) last.set(row.report_id, Number(row.last));
  return last;
}

/** Inserts messages whose positions are already worked out (lastMessagePositions), in the order given. */
export async function insertReportMessages(
  trx: Knex.Transaction,
  messages: (ReportMessage & { reportId: string; position: number; bodyKeyId: number | null })[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += INSERT_CHUNK) {
    await trx('report_messages').insert(
      messages.slice(start, start + INSERT_CHUNK).map((message) => ({
        report_id: message.reportId,
        position: message.position,
        direction: message.direction,
        body_sealed: message.bodySealed,
        body_key_id: message.bodyKeyId,
        sent_on: message.sentOn,
      })),
    );
  }
}

/** A report's thread in order, still sealed. */
export async function listReportMessages(db: Knex, reportId: string): Promise<ReportMessage[]> {
  const found: unknown = await db('report_messages')
    .select('direction', 'body_sealed', db.raw("to_char(sent_on, 'YYYY-MM-DD') as sent_on"))
    .where({ report_id: reportId })
    .orderBy('position');
  const rows = found as { direction: MessageDirection; body_sealed: Buffer; sent_on: string }[];
  return rows.map((row) => ({ direction: row.direction, bodySealed: row.body_sealed, sentOn: row.sent_on }));
}
