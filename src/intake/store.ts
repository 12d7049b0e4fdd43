import type { Knex } from 'knex';
import type { DecisionReason, ReportStatus } from '../reports/types';

// SQL for receipts and the desk key as intake sees them. Functions take the knex handle (a transaction
// inside one) as their first argument.

/** What the status page needs about the report a receipt opens. */
export interface ReceiptStatus {
  reportId: string;
  status: ReportStatus;
  decisionReason: DecisionReason | null;
  decisionOn: string | null;
  receivedOn: string;
  /** Approved reports: the first release that counts them, if one is published yet. */
  releaseLabel: string | null;
  reporterPublicKey: Buffer;
}

/** Links a receipt hash to its report, with the public key that messages to the reporter are sealed to. */
export async function insertReceipt(
  trx: Knex,
  receipt: { hash: Buffer; reportId: string; reporterPublicKey: Uint8Array },
): Promise<void> {
  await trx('receipts').insert({
    hash: receipt.hash,
    report_id: receipt.reportId,
    reporter_public_key: Buffer.from(receipt.reporterPublicKey),
  });
}

/** Links many receipts to their reports in bulk, in the order given (the daily move shuffles it). */
export async function insertReceipts(
  trx: Knex,
  receipts: { hash: Buffer; reportId: string; reporterPublicKey: Uint8Array }[],
): Promise<void> {
  for (let start = 0; start < receipts.length; start += 500) {
    await trx('receipts').insert(
      receipts.slice(start, start + 500).map((receipt) => ({
        hash: receipt.hash,
        report_id: receipt.reportId,
        reporter_public_key: Buffer.from(receipt.reporterPublicKey),
      })),
    );
  }
}

/** The report id behind each of these receipt hashes (hex of the hash → id); unknown hashes are absent. */
export async function reportIdsByReceiptHash(trx: Knex, hashes: Buffer[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let start = 0; start < hashes.length; start += 500) {
    const rows = (await trx('receipts')
      .select('hash', 'report_id')
      .whereIn('hash', hashes.slice(start, start + 500))) as { hash: Buffer; report_id: string }[];
    for (const row of rows) found.set(row.hash.toString('hex'), row.report_id);
  }
  return found;
}

/**
 * The report behind a receipt hash, in one indexed query whatever the answer, so a miss costs the same
 * as a hit. Approved reports are counted from the earliest release whose cutoff is on or after the decision.
 */
export async function findByReceiptHash(db: Knex, hash: Buffer): Promise<ReceiptStatus | undefined> {
  const found: unknown = await db('receipts as rec')
    .join('reports as r', 'r.id', 'rec.report_id')
    .where('rec.hash', hash)
    .first(
      'r.id',
      'r.status',
      'r.decision_reason',
      'rec.reporter_public_key',
      db.raw("to_char(r.decision_on, 'YYYY-MM-DD') as decision_on"),
      db.raw("to_char(r.received_on, 'YYYY-MM-DD') as received_on"),
      db.raw(
        `(select rel.label from releases rel
           where r.status = 'approved' and rel.cutoff >= r.decision_on
           order by rel.cutoff, rel.published_on, rel.id limit 1) as release_label`,
      ),
    );
  const row = found as
    | {
        id: string;
        status: ReportStatus;
        decision_reason: DecisionReason | null;
        reporter_public_key: Buffer;
        decision_on: string | null;
        received_on: string;
        release_label: string | null;
      }
    | undefined;
  if (!row) return undefined;
  return {
    reportId: row.id,
    status: row.status,
    decisionReason: row.decision_reason,
    decisionOn: row.decision_on,
    receivedOn: row.received_on,
    releaseLabel: row.release_label,
    reporterPublicKey: row.reporter_public_key,
  };
}
