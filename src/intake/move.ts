import { randomInt } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../platform/db';
import { insertReportMessages, insertReports, lastMessagePositions } from '../reports/store';
import {
  openStaged,
  stagedDay,
  stagingKey,
  type Staged,
  type StagedMessage,
  type StagedReport,
} from './staging';
import { insertStagedRows, listStagedPage, lockStaged, truncateStaged, type StagedRow } from './staged-store';
import { insertReceipts, reportIdsByReceiptHash } from './store';
import { isoDay } from '../platform/dates';

// The daily move (promise 1 against what PostgreSQL records by itself): every staged submission of the
// past days goes into reports, report_codes, receipts and report_messages in ONE transaction, in random
// order, and the staged rows are truncated in the same transaction. So all the reports of a day share
// one inserting transaction id (xmin), one WAL commit record and its time (the move's, not theirs), and
// their physical order, their statement order (cmin) and the order of index entries that tie on a key
// are a random permutation, not the order in which they arrived. Ids are random UUIDs; received_on and
// sent_on are dates. Crash safety comes with the transaction: until it commits, every row is still
// staged; once it commits, every row is moved.

export interface MoveResult {
  reports: number;
  messages: number;
  /** Messages whose report no longer exists (deleted by retention meanwhile): dropped. */
  orphanMessages: number;
  /** Rows left staged: today's (unless `all`), and any that cannot be opened with this secret. */
  waiting: number;
  unreadable: number;
}

const NOTHING: MoveResult = { reports: 0, messages: 0, orphanMessages: 0, waiting: 0, unreadable: 0 };
const PAGE = 500;

/**
 * Moves staged submissions of days before `today` (every staged submission with `all`, for operators
 * and tests), in one transaction; returns counts only.
 */
export async function moveStagedSubmissions(
  db: Db,
  options: { receiptSecret: Buffer; today: Date; all?: boolean },
): Promise<MoveResult> {
  const key = stagingKey(options.receiptSecret);
  const cutoff = isoDay(options.today);
  return db.transaction(async (trx) => {
    await lockStaged(trx);
    const due: (Staged & { keyId: number | null })[] = [];
    const staying: StagedRow[] = [];
    let unreadable = 0;
    // Decrypted, a row keeps only what it holds (most narratives are far below the staged size).
    for (let page = await listStagedPage(trx, null, PAGE); page.length > 0;) {
      for (const row of page) {
        const item = await openStaged(row.sealed, row.lookup, key);
        // Never dropped: a row this secret cannot open may open with the right one (a misconfiguration).
        if (!item) unreadable += 1;
        if (item && (options.all || stagedDay(item) < cutoff))
          due.push({ ...item, keyId: row.sealedKeyId ?? null });
        else staying.push(row);
      }
      page = page.length < PAGE ? [] : await listStagedPage(trx, page[page.length - 1]!.lookup, PAGE);
    }
    if (due.length === 0) return { ...NOTHING, waiting: staying.length, unreadable };
    await truncateStaged(trx);
    await insertStagedRows(trx, shuffled(staying));

    const reports = shuffled(due.filter((item): item is Keyed<StagedReport> => item.kind === 'report'));
    const { ids } = await insertReports(
      trx,
      reports.map((report) => ({
        state: report.state,
        fieldOffice: report.fieldOffice,
        incidentMonth: report.incidentMonth,
        targetRole: report.targetRole,
        actionTypes: report.actionTypes,
        activismTypes: report.activismTypes,
        evidenceTypes: report.evidenceTypes,
        consentToCount: true,
        receivedOn: report.receivedOn,
        narrativeSealed: report.narrativeSealed,
        narrativeKeyId: report.keyId,
      })),
    );
    // A second, independent permutation: receipts in report order would repeat the reports' order.
    await insertReceipts(
      trx,
      shuffled(
        reports.map((report, index) => ({
          hash: report.receiptHash,
          reportId: ids[index] ?? '',
          reporterPublicKey: report.reporterPublicKey,
        })),
      ),
    );
    const moved = await moveMessages(
      trx,
      due.filter((item): item is Keyed<StagedMessage> => item.kind === 'message'),
    );
    return {
      reports: reports.length,
      messages: moved.messages,
      orphanMessages: moved.orphans,
      waiting: staying.length,
      unreadable,
    };
  });
}

/** A staged item with the desk key its text was sealed to (issue 16), carried into the tables. */
type Keyed<T> = T & { keyId: number | null };

// Appends each thread's staged messages after its last message, in slot order, inserting all of them in
// random order across threads.
async function moveMessages(
  trx: Knex.Transaction,
  messages: Keyed<StagedMessage>[],
): Promise<{ messages: number; orphans: number }> {
  if (messages.length === 0) return { messages: 0, orphans: 0 };
  const reportIds = await reportIdsByReceiptHash(
    trx,
    messages.map((message) => message.receiptHash),
  );
  const threads = new Map<string, Keyed<StagedMessage>[]>();
  let orphans = 0;
  for (const message of messages) {
    const reportId = reportIds.get(message.receiptHash.toString('hex'));
    if (!reportId) {
      orphans += 1;
      continue;
    }
    threads.set(reportId, [...(threads.get(reportId) ?? []), message]);
  }
  const last = await lastMessagePositions(trx, [...threads.keys()]);
  const rows = [...threads].flatMap(([reportId, thread]) =>
    thread
      .sort((a, b) => a.slot - b.slot)
      .map((message, index) => ({
        reportId,
        position: (last.get(reportId) ?? 0) + index + 1,
        direction: 'from_reporter' as const,
        bodySealed: message.bodySealed,
        bodyKeyId: message.keyId,
        sentOn: message.sentOn,
      })),
  );
  await insertReportMessages(trx, shuffled(rows));
  return { messages: rows.length, orphans };
}

/** A uniformly random permutation (Fisher–Yates with the OS CSPRNG), leaving the input alone. */
export function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
