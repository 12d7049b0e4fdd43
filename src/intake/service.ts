import type { Db } from '../platform/db';
import type { Secrets } from '../platform/secrets';
import { open, seal, SealError } from '../reports/seal';
import { insertReportMessage, insertReports, listReportMessages } from '../reports/store';
import type { MessageDirection, ReportStatus } from '../reports/types';
import { issueFormToken, verifyFormToken } from './form-token';
import type { NonceStore } from './nonces';
import { generateReceipt, hashReceipt, normalizeReceipt } from './receipt';
import { deriveReporterKeyPair } from './reporter-key';
import type { ReportAnswers } from './schema';
import { currentDeskKey } from '../accounts/desk-keys';
import { findByReceiptHash, insertReceipt, type ReceiptStatus } from './store';

// Intake decisions: issuing and spending form tokens, storing a report in one transaction, and opening
// a report's status and thread with a receipt.

export interface IntakeDeps {
  db: Db;
  secrets: Secrets;
  /** Today's date, for received_on and sent_on (dates only). */
  today: () => Date;
  /** The current time, for form tokens only (kept to the minute inside the token, never stored). */
  now: () => Date;
  nonces: NonceStore;
}

export type TokenCheck = { ok: true; nonce: string; expiresAt: Date } | { ok: false };

export interface ThreadMessage {
  direction: MessageDirection;
  sentOn: string;
  /** Moderators' questions, opened with the key derived from the receipt; null for the reporter's own. */
  text: string | null;
}

export interface ReportStatusView extends ReceiptStatus {
  /** The canonical receipt, carried in the follow-up form of the page. */
  receipt: string;
  messages: ThreadMessage[];
}

export type MessageOutcome = { kind: 'closed' | 'used' } | { kind: 'sent'; status: ReportStatusView };

// Decisions are final for these: the thread stays readable but takes no new messages.
const CLOSED: ReadonlySet<ReportStatus> = new Set(['approved', 'rejected', 'duplicate']);
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The intake service, built once in the router with its dependencies. */
export function createIntake(deps: IntakeDeps) {
  const secret = deps.secrets.receipt;
  // Hashed in place of input that is not a receipt, so every lookup costs one HMAC and one query;
  // random per process and never stored, so it matches no report.
  const decoy = generateReceipt();

  async function deskKey(db: Db): Promise<Buffer> {
    // New narratives and messages are sealed to the newest desk key, only once it is authenticated
    // (accounts/desk-keys.ts); otherwise a translated 503 and one operator log line.
    return (await currentDeskKey(db, deps.secrets)).publicKey;
  }

  // Spends the token's nonce around `work`, and gives it back when the work fails before committing,
  // so the reporter can send the same form again.
  async function once<T>(
    token: { nonce: string; expiresAt: Date },
    work: () => Promise<T>,
  ): Promise<T | null> {
    if (!(await deps.nonces.consume(token.nonce, token.expiresAt))) return null;
    try {
      return await work();
    } catch (error) {
      await deps.nonces.release(token.nonce);
      throw error;
    }
  }

  async function openStatus(typed: string): Promise<ReportStatusView | null> {
    const canonical = normalizeReceipt(typed);
    const found = await findByReceiptHash(deps.db, hashReceipt(canonical ?? decoy, secret));
    const sealed = await listReportMessages(deps.db, found && canonical ? found.reportId : NIL_UUID);
    if (!found || !canonical) return null;
    const keyPair = await deriveReporterKeyPair(canonical, secret);
    const messages = await Promise.all(
      sealed.map(async (message) => ({
        direction: message.direction,
        sentOn: message.sentOn,
        text: message.direction === 'to_reporter' ? await openOrNull(message.bodySealed, keyPair) : null,
      })),
    );
    return { ...found, receipt: canonical, messages };
  }

  return {
    /** A fresh signed form token for a rendered form. */
    issueToken: (): string => issueFormToken(secret, deps.now()),

    /** Checks the token a form came back with, without spending it. */
    checkToken(token: string): TokenCheck {
      const check = verifyFormToken(token, secret, deps.now());
      return check.ok ? { ok: true, nonce: check.nonce, expiresAt: check.expiresAt } : { ok: false };
    },

    /**
     * Stores a valid report with its codes, receipt hash and sealed narrative in one transaction and
     * returns the receipt, shown once; null when the form's token was already spent.
     */
    async submit(answers: ReportAnswers, token: { nonce: string; expiresAt: Date }): Promise<string | null> {
      const desk = await deskKey(deps.db);
      return once(token, async () => {
        const receipt = generateReceipt();
        const reporterKey = await deriveReporterKeyPair(receipt, secret);
        const narrativeSealed = answers.narrative === null ? null : await seal(answers.narrative, desk);
        await deps.db.transaction(async (trx) => {
          const { ids } = await insertReports(trx, [
            {
              state: answers.state,
              fieldOffice: answers.fieldOffice,
              incidentMonth: answers.incidentMonth,
              targetRole: answers.targetRole,
              actionTypes: answers.actionTypes,
              activismTypes: answers.activismTypes,
              evidenceTypes: answers.evidenceTypes,
              consentToCount: answers.consentToCount,
              // A date, never a time (promise 1).
              receivedOn: isoDate(deps.today()),
              narrativeSealed,
            },
          ]);
          const reportId = ids[0];
          if (!reportId) throw new Error('the report was not inserted');
          await insertReceipt(trx, {
            hash: hashReceipt(receipt, secret),
            reportId,
            reporterPublicKey: reporterKey.publicKey,
          });
        });
        return receipt;
      });
    },

    /** The status and thread a receipt opens; null for anything else, after the same work. */
    openStatus,

    /** Adds a reporter's follow-up message, sealed to the desk key, to the thread a receipt opened. */
    async sendMessage(
      status: ReportStatusView,
      text: string,
      token: { nonce: string; expiresAt: Date },
    ): Promise<MessageOutcome> {
      if (CLOSED.has(status.status)) return { kind: 'closed' };
      const desk = await deskKey(deps.db);
      const sent = await once(token, async () => {
        const bodySealed = await seal(text, desk);
        await deps.db.transaction((trx) =>
          insertReportMessage(trx, {
            reportId: status.reportId,
            direction: 'from_reporter',
            bodySealed,
            sentOn: isoDate(deps.today()),
          }),
        );
        return true;
      });
      if (!sent) return { kind: 'used' };
      return { kind: 'sent', status: (await openStatus(status.receipt)) ?? status };
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;

async function openOrNull(sealed: Buffer, keyPair: Awaited<ReturnType<typeof deriveReporterKeyPair>>) {
  try {
    return await open(sealed, keyPair);
  } catch (error) {
    // A damaged message is shown as unreadable rather than failing the whole page.
    if (error instanceof SealError) return null;
    throw error;
  }
}
