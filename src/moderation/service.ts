import type { UnlockedDesk } from '../accounts/service';
import { listAudit, recordAudit, type AuditRow } from '../audit/store';
import { isoDay } from '../platform/dates';
import type { Db } from '../platform/db';
import type { Reference } from '../reference/types';
import type { CodedFields } from '../reports/coded-fields';
import { open, seal } from '../reports/seal';
import { insertReportMessage, listReportMessages } from '../reports/store';
import type { DecisionReason } from '../reports/types';
import { listDuplicateCandidates, type DuplicateCandidate } from './duplicate-store';
import { deskNumbers } from './numbers-store';
import type { PageAt } from './queue-cursor';
import { listQueuePage } from './queue-store';
import * as store from './store';
import { changedFields, codedFieldsRefusal } from './coded-edit';
import type { QueueFilter, ReviewReport } from './store';

/** Reports per page of the queue: a screenful a moderator can scan, few enough to keep the page light. */
export const QUEUE_PAGE_SIZE = 50;

// Decisions on reports. Every change is guarded by the version the moderator's form was built from: a
// stale form gets the current state back (409), never a silent overwrite. Every action writes an audit
// row with codes only (never a narrative, a message or a coded answer).

export interface ModerationDeps {
  db: Db;
  reference: Reference;
  today: () => Date;
}

export type Moderation = ReturnType<typeof createModeration>;

/** The outcome of an edit: done, stale (someone else changed it: show the current state), or refused input. */
export type EditResult =
  { ok: true } | { ok: false; stale: true } | { ok: false; stale: false; error: string };

export interface OpenedReport extends ReviewReport {
  /** The narrative in plain text, 'locked' without a desk key, 'unreadable' if the key does not open it. */
  narrative: { text: string } | { problem: 'locked' | 'unreadable' } | null;
  messages: { direction: 'from_reporter' | 'to_reporter'; sentOn: string; text: string | null }[];
  /** Reports that may be the same incident, their narratives opened for comparison side by side. */
  candidates: (Omit<DuplicateCandidate, 'narrativeSealed'> & { narrative: OpenedReport['narrative'] })[];
}

/** How many duplicate candidates a report's page shows (and opens): the closest in the queue's order. */
const CANDIDATE_LIMIT = 10;

const STALE = { ok: false, stale: true } as const;
const refused = (error: string) => ({ ok: false, stale: false, error }) as const;

/** Builds the moderation service. */
export function createModeration(deps: ModerationDeps) {
  const { db, reference } = deps;
  const todayIso = () => isoDay(deps.today());
  const approvedColumns = () =>
    store.decisionColumns({ status: 'approved', reason: null, duplicateOf: null, decisionOn: todayIso() });

  async function openText(
    sealed: Buffer,
    desk: UnlockedDesk | null,
  ): Promise<OpenedReport['narrative'] & object> {
    if (!desk) return { problem: 'locked' as const };
    try {
      return { text: await open(sealed, desk.pair) };
    } catch {
      return { problem: 'unreadable' as const };
    }
  }

  /** Applies one versioned change and its audit row in one transaction. */
  async function edit(
    moderatorId: number,
    id: string,
    version: number,
    action: string,
    changes: Record<string, unknown>,
    detail: Record<string, string | string[]> = {},
    extra?: (trx: Db) => Promise<void>,
  ): Promise<EditResult> {
    return db.transaction(async (trx) => {
      if (!(await store.updateIfCurrent(trx, id, version, changes))) return STALE;
      await extra?.(trx);
      await recordAudit(trx, { moderatorId, action, reportId: id, detail });
      return { ok: true } as const;
    });
  }

  return {
    /** One page of the queue, oldest first (keyset paged: see queue-cursor.ts). */
    queue: (filter: QueueFilter, at: PageAt = {}, limit = QUEUE_PAGE_SIZE) =>
      listQueuePage(db, filter, at, limit),

    statusOf: (id: string) => store.findStatus(db, id),

    /** One page of the audit log (admins only), newest first, and whether an older page follows. */
    async auditLog(page: number, perPage: number): Promise<{ rows: AuditRow[]; hasMore: boolean }> {
      const rows = await listAudit(db, { limit: perPage + 1, offset: (page - 1) * perPage });
      return { rows: rows.slice(0, perPage), hasMore: rows.length > perPage };
    },

    /** The desk's own numbers: queue length, the oldest report's wait, decisions in each of 12 weeks. */
    numbers: () => deskNumbers(db, todayIso(), 12),

    /** A report on the desk, opened with the session's desk key; undefined when not on the desk. */
    async review(
      moderatorId: number,
      id: string,
      desk: UnlockedDesk | null,
    ): Promise<OpenedReport | undefined> {
      const report = await store.findReviewable(db, id);
      if (!report) return undefined;
      const narrative = report.narrativeSealed ? await openText(report.narrativeSealed, desk) : null;
      const thread = await listReportMessages(db, id);
      const messages: OpenedReport['messages'] = [];
      for (const message of thread) {
        // Questions to the reporter are sealed to the receipt's key: only the reporter can read them back.
        const opened =
          message.direction === 'from_reporter' ? await openText(message.bodySealed, desk) : null;
        messages.push({
          direction: message.direction,
          sentOn: message.sentOn,
          text: opened && 'text' in opened ? opened.text : null,
        });
      }
      await recordAudit(db, { moderatorId, action: 'report_viewed', reportId: id });
      const candidates: OpenedReport['candidates'] = [];
      for (const { narrativeSealed, ...candidate } of await listDuplicateCandidates(
        db,
        report,
        CANDIDATE_LIMIT,
      )) {
        const opened = narrativeSealed ? await openText(narrativeSealed, desk) : null;
        // Reading a candidate's narrative is reading that report: the audit trail says so.
        if (opened && 'text' in opened)
          await recordAudit(db, {
            moderatorId,
            action: 'report_viewed',
            reportId: candidate.id,
            detail: { as: 'duplicate_candidate', of: id },
          });
        candidates.push({ ...candidate, narrative: opened });
      }
      return { ...report, narrative, messages, candidates };
    },

    /** Corrects coded fields; audit names the fields changed, never their values. */
    async correct(
      moderatorId: number,
      id: string,
      version: number,
      fields: CodedFields,
    ): Promise<EditResult> {
      const refusal = codedFieldsRefusal(reference, fields, deps.today());
      if (refusal) return refused(refusal);
      const current = await store.findReviewable(db, id);
      if (!current) return STALE;
      const changed = changedFields(current, fields);
      return edit(
        moderatorId,
        id,
        version,
        'codes_corrected',
        {
          state: fields.state,
          field_office: fields.fieldOffice,
          incident_month: fields.incidentMonth,
          target_role: fields.targetRole,
        },
        { fields: changed },
        (trx) => store.replaceCodes(trx, id, fields),
      );
    },

    approve: (moderatorId: number, id: string, version: number) =>
      edit(moderatorId, id, version, 'approved', approvedColumns()),

    reject: (moderatorId: number, id: string, version: number, reason: DecisionReason) =>
      edit(
        moderatorId,
        id,
        version,
        'rejected',
        store.decisionColumns({ status: 'rejected', reason, duplicateOf: null, decisionOn: todayIso() }),
        { reason },
      ),

    /** Marks a report a duplicate of another (which must exist, not be itself, and not be a duplicate). */
    async markDuplicate(moderatorId: number, id: string, version: number, of: string): Promise<EditResult> {
      if (of === id) return refused('moderation.errors.duplicate_self');
      const target = await store.findStatus(db, of);
      if (!target || target === 'duplicate' || target === 'rejected')
        return refused('moderation.errors.duplicate_target');
      return edit(
        moderatorId,
        id,
        version,
        'marked_duplicate',
        store.decisionColumns({
          status: 'duplicate',
          reason: 'duplicate',
          duplicateOf: of,
          decisionOn: todayIso(),
        }),
        { duplicateOf: of },
      );
    },

    /**
     * Asks the reporter a question: the report goes to needs_info and the question is sealed to the key
     * derived from the reporter's receipt, so the reporter reads it on /status (intake opens it there).
     */
    async ask(moderatorId: number, id: string, version: number, question: string): Promise<EditResult> {
      const reporterKey = await store.reporterPublicKey(db, id);
      if (!reporterKey) return refused('moderation.errors.no_receipt');
      const sealed = await seal(question, reporterKey);
      return edit(moderatorId, id, version, 'question_asked', { status: 'needs_info' }, {}, (trx) =>
        sendQuestionToReporter(trx, id, sealed, todayIso()),
      );
    },

    /** Approves several reports at once, all or none: one stale row sends the whole batch back. */
    async approveBatch(moderatorId: number, items: { id: string; version: number }[]): Promise<EditResult> {
      return db
        .transaction(async (trx) => {
          for (const item of items) {
            const done = await store.updateIfCurrent(trx, item.id, item.version, approvedColumns());
            if (!done) throw new StaleBatch();
            await recordAudit(trx, {
              moderatorId,
              action: 'approved',
              reportId: item.id,
              detail: { batch: 'true' },
            });
          }
          return { ok: true } as const;
        })
        .catch((error: unknown) => {
          if (error instanceof StaleBatch) return STALE;
          throw error;
        });
    },
  };
}

class StaleBatch extends Error {}

/**
 * Stores a moderator's question for the reporter, already sealed to the receipt's key, through the
 * thread function intake reads on /status.
 */
export async function sendQuestionToReporter(
  trx: Db,
  reportId: string,
  bodySealed: Buffer,
  sentOn: string,
): Promise<void> {
  await insertReportMessage(trx as Parameters<typeof insertReportMessage>[0], {
    reportId,
    direction: 'to_reporter',
    bodySealed,
    sentOn,
  });
}
