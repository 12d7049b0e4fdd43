import { recordAudit } from '../audit/store';
import type { Db } from '../platform/db';
import type { Reference } from '../reference/types';
import type { CodedFields } from '../reports/coded-fields';
import {
  correctionCutoff,
  findDecided,
  listCorrectable,
  updateDecidedIfCurrent,
  type DecidedReport,
} from './decided-store';
import { changedFields, codedFieldsRefusal } from './coded-edit';
import type { EditResult } from './service';
import { replaceCodes } from './store';

// Corrections to decided reports (issue 16), allowed only until a published release counts them: the
// next release's cutoff is the last moment. Every correction is audited with the fields it changed,
// never their values, in the transaction that makes it.

export interface CorrectionsDeps {
  db: Db;
  reference: Reference;
  today: () => Date;
}

export type Corrections = ReturnType<typeof createCorrections>;

/** How many decided reports the corrections page lists (the latest decisions first). */
const LIST_LIMIT = 100;

/** Builds the corrections service. */
export function createCorrections(deps: CorrectionsDeps) {
  const { db } = deps;
  return {
    /** Decided reports that may still be corrected, and the cutoff they come after. */
    async correctable() {
      const cutoff = await correctionCutoff(db);
      return { cutoff, items: await listCorrectable(db, cutoff, LIST_LIMIT) };
    },

    /** One decided report and whether it may still be corrected; undefined when it is not decided. */
    async decided(
      id: string,
    ): Promise<{ report: DecidedReport; open: boolean; cutoff: string | null } | undefined> {
      const report = await findDecided(db, id);
      if (!report) return undefined;
      const cutoff = await correctionCutoff(db);
      return { report, open: cutoff === null || report.decisionOn > cutoff, cutoff };
    },

    /** Corrects the coded fields of a decided report not yet counted in a release. */
    async correct(
      moderatorId: number,
      id: string,
      version: number,
      fields: CodedFields,
    ): Promise<EditResult> {
      const refusal = codedFieldsRefusal(deps.reference, fields, deps.today());
      if (refusal) return { ok: false, stale: false, error: refusal };
      return db.transaction(async (trx): Promise<EditResult> => {
        // A publication inserts into releases: it waits for this correction, or this one sees its cutoff.
        await trx.raw('lock table releases in share mode');
        const cutoff = await correctionCutoff(trx);
        const current = await findDecided(trx, id);
        if (!current) return { ok: false, stale: true };
        if (cutoff !== null && current.decisionOn <= cutoff)
          return { ok: false, stale: false, error: 'moderation.errors.released' };
        const changes = {
          state: fields.state,
          field_office: fields.fieldOffice,
          incident_month: fields.incidentMonth,
          target_role: fields.targetRole,
        };
        if (!(await updateDecidedIfCurrent(trx, id, version, cutoff, changes)))
          return { ok: false, stale: true };
        await replaceCodes(trx, id, fields);
        await recordAudit(trx, {
          moderatorId,
          action: 'decided_report_corrected',
          reportId: id,
          detail: { status: current.decidedStatus, fields: changedFields(current, fields) },
        });
        return { ok: true };
      });
    },
  };
}
