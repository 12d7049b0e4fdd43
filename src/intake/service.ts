import type { Db } from '../platform/db';
import type { Secrets } from '../platform/secrets';
import { open, seal, SealError } from '../reports/seal';
import { listReportMessages } from '../reports/store';
import { FINAL_STATUSES, type MessageDirection, type ReportStatus } from '../reports/types';
import { issueFormToken, verifyFormToken } from './form-token';
import type { NonceStore } from './nonces';
import { generateReceipt, hashReceipt, normalizeReceipt } from './receipt';
import { deriveReporterKeyPair } from './reporter-key';
import type { ReportAnswers } from './schema';
import type { DeskKey } from '../accounts/desk-keys';
import { findStaged, insertStagedUnderKey, type StagedRow } from './staged-store';
import {
  MAX_STAGED_MESSAGES,
  openStaged,
  sealStaged,
  stagedLookup,
  stagedLookups,
  stagingKey,
  type Staged,
  type StagedMessage,
  type StagedReport,
} from './staging';
import { findByReceiptHash, type ReceiptStatus } from './store';
import { isoDay } from '../platform/dates';

// Intake decisions: issuing and spending form tokens, staging a report or a follow-up message (the
// daily move in move.ts brings them into the tables: see staging.ts for why), and opening a report's
// status and thread with a receipt, whether it is still staged or already moved.

export interface IntakeDeps {
  db: Db;
  secrets: Secrets;
  /** Today's date, for received_on and sent_on (dates only). */
  today: () => Date;
  /** The current time, for form tokens only (kept to the minute inside the token, never stored). */
  now: () => Date;
  nonces: NonceStore;
  /**
   * The key new narratives and messages are sealed to (accounts' desk-key contract, wired by the
   * composition root): the newest desk key, only once it is authenticated; otherwise it throws a
   * translated 503 with one operator log line. Intake asks nowhere else.
   */
  currentDeskKey: () => Promise<DeskKey>;
}

export type TokenCheck = { ok: true; nonce: string; expiresAt: Date } | { ok: false };

export interface ThreadMessage {
  direction: MessageDirection;
  sentOn: string;
  /** Moderators' questions, opened with the key derived from the receipt; null for the reporter's own. */
  text: string | null;
}

export interface ReportStatusView extends Omit<ReceiptStatus, 'reportId' | 'reporterPublicKey'> {
  /** The canonical receipt, carried in the follow-up form of the page. */
  receipt: string;
  messages: ThreadMessage[];
  /** The first free slot for a follow-up message; null when the day's slots are used up. */
  freeSlot: number | null;
}

export type MessageOutcome =
  { kind: 'closed' | 'used' | 'full' } | { kind: 'sent'; status: ReportStatusView };

// Decisions are final for these: the thread stays readable but takes no new messages.
const CLOSED: ReadonlySet<ReportStatus> = new Set(FINAL_STATUSES);
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The intake service, built once in the router with its dependencies. */
export function createIntake(deps: IntakeDeps) {
  const secret = deps.secrets.receipt;
  const staging = stagingKey(secret);
  // Hashed in place of input that is not a receipt, so every lookup costs the same HMACs and queries;
  // random per process and never stored, so it matches no report.
  const decoy = generateReceipt();

  /**
   * Stages a row sealed to `key` (the current desk key, asked before the nonce was spent), recording the
   * key's id. A rotation's job destroys a retired key only while holding its row and after finding no row
   * sealed to it; the insert holds that row too (staged-store insertStagedUnderKey), so either this row
   * is committed first and the job re-seals it, or the job is first and this row is refused here and
   * sealed again to the key that replaced it.
   */
  async function stageSealed(key: DeskKey, build: (key: DeskKey) => Promise<StagedRow>): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (attempt > 0) key = await deps.currentDeskKey();
      const outcome = await insertStagedUnderKey(deps.db, { ...(await build(key)), sealedKeyId: key.id });
      if (outcome !== 'key_destroyed') return outcome === 'staged';
    }
    throw new Error('the desk key was replaced three times during one submission');
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
    const receipt = canonical ?? decoy;
    // The same three queries for a hit, a miss and input that is no receipt at all.
    const found = await findByReceiptHash(deps.db, hashReceipt(receipt, secret));
    const stagedRows = await findStaged(deps.db, stagedLookups(receipt, secret));
    const sealed = await listReportMessages(deps.db, found && canonical ? found.reportId : NIL_UUID);
    if (!canonical) return null;
    const staged = (
      await Promise.all(stagedRows.map((row) => openStaged(row.sealed, row.lookup, staging)))
    ).filter((item): item is Staged => item !== null);
    const stagedReport = staged.find((item): item is StagedReport => item.kind === 'report');
    if (!found && !stagedReport) return null;
    const keyPair = await deriveReporterKeyPair(canonical, secret);
    const moved = await Promise.all(
      sealed.map(async (message) => ({
        direction: message.direction,
        sentOn: message.sentOn,
        text: message.direction === 'to_reporter' ? await openOrNull(message.bodySealed, keyPair) : null,
      })),
    );
    // Messages not moved yet come after every moved one, in the order they were sent (their slots).
    const waiting = staged
      .filter((item): item is StagedMessage => item.kind === 'message')
      .sort((a, b) => a.slot - b.slot)
      .map((message) => ({ direction: 'from_reporter' as const, sentOn: message.sentOn, text: null }));
    const taken = new Set(staged.filter((item) => item.kind === 'message').map((item) => item.slot));
    const free = Array.from({ length: MAX_STAGED_MESSAGES }, (_, index) => index + 1).find(
      (slot) => !taken.has(slot),
    );
    const status = found ?? {
      // Received and waiting for the move: moderators see it after, so it reads as received.
      status: 'pending' as const,
      decisionReason: null,
      decisionOn: null,
      receivedOn: stagedReport!.receivedOn,
      releaseLabel: null,
    };
    return {
      status: status.status,
      decisionReason: status.decisionReason,
      decisionOn: status.decisionOn,
      receivedOn: status.receivedOn,
      releaseLabel: status.releaseLabel,
      receipt: canonical,
      messages: [...moved, ...waiting],
      freeSlot: free ?? null,
    };
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
     * Stages a valid report with its codes, receipt hash and sealed narrative as one opaque row and
     * returns the receipt, shown once (promise 7: only after the row is committed); null when the form's
     * token was already spent. The daily move makes it a report. The receipt's words come from the list
     * of the page's language and are returned as that list spells them; only their canonical form (no
     * accents) is hashed, and nothing stores which language it was.
     */
    async submit(
      answers: ReportAnswers,
      token: { nonce: string; expiresAt: Date },
      pageLang = 'en',
    ): Promise<string | null> {
      // Asked before the nonce is spent: a closed intake (no authenticated key) costs the reporter nothing.
      const key = await deps.currentDeskKey();
      return once(token, async () => {
        const shown = generateReceipt(pageLang);
        const receipt = normalizeReceipt(shown);
        // A receipt just drawn is 8 hyphenated words of one list: it always normalizes.
        if (receipt === null) throw new Error('a generated receipt did not normalize');
        const reporterKey = await deriveReporterKeyPair(receipt, secret);
        const lookup = stagedLookup(receipt, 0, secret);
        const staged = await stageSealed(key, async (desk) => ({
          lookup,
          sealed: await sealStaged(
            {
              kind: 'report',
              // A date, never a time (promise 1).
              receivedOn: isoDay(deps.today()),
              receiptHash: hashReceipt(receipt, secret),
              reporterPublicKey: Buffer.from(reporterKey.publicKey),
              state: answers.state,
              fieldOffice: answers.fieldOffice,
              incidentMonth: answers.incidentMonth,
              targetRole: answers.targetRole,
              actionTypes: answers.actionTypes,
              activismTypes: answers.activismTypes,
              evidenceTypes: answers.evidenceTypes,
              narrativeSealed:
                answers.narrative === null ? null : await seal(answers.narrative, desk.publicKey),
            },
            lookup,
            staging,
          ),
        }));
        // Slot 0 of a fresh 88-bit receipt is free; a collision would be a broken random generator.
        if (!staged) throw new Error('receipt collision');
        return shown;
      });
    },

    /** The status and thread a receipt opens; null for anything else, after the same work. */
    openStatus,

    /**
     * Stages a reporter's follow-up message, sealed to the desk key, in the thread's first free slot; the
     * daily move appends it to the thread. Messages are anonymous writes like reports, so they wait too.
     */
    async sendMessage(
      status: ReportStatusView,
      text: string,
      token: { nonce: string; expiresAt: Date },
    ): Promise<MessageOutcome> {
      if (CLOSED.has(status.status)) return { kind: 'closed' };
      const slot = status.freeSlot;
      if (slot === null) return { kind: 'full' };
      const key = await deps.currentDeskKey();
      const sent = await once(token, async () => {
        const lookup = stagedLookup(status.receipt, slot, secret);
        return stageSealed(key, async (desk) => ({
          lookup,
          sealed: await sealStaged(
            {
              kind: 'message',
              sentOn: isoDay(deps.today()),
              receiptHash: hashReceipt(status.receipt, secret),
              slot,
              bodySealed: await seal(text, desk.publicKey),
            },
            lookup,
            staging,
          ),
        }));
      });
      if (sent === null) return { kind: 'used' };
      if (!sent) {
        // Another message took the slot at the same moment: nothing was stored, the form can be sent again.
        await deps.nonces.release(token.nonce);
        return { kind: 'full' };
      }
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
