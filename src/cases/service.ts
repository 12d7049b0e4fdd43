import type { Knex } from 'knex';
import { recordAudit } from '../audit/store';
import type { Reference } from '../reference/types';
import { parseCaseFile, sourceKey, type LineProblem } from './csv-file';
import * as store from './store';
import * as writes from './store-writes';
import type { CaseFields, CaseFilter, CaseSource, Problem, PublicCase } from './types';
import { validateCase, validateRetraction, type RawCase } from './validate';
import { isoDay } from '../platform/dates';

// The public record's decisions: what the public pages read, and the desk's and the importer's writes.
// Every write and its audit row commit in one transaction; audit rows hold the case number and the names
// of what changed, never the text. Nothing here reads or writes a report or a release.

export type CaseEdit =
  { ok: true } | { ok: false; stale: true } | { ok: false; stale: false; problems: Problem[] };

export type ImportOutcome =
  | {
      ok: true;
      dryRun: boolean;
      /** New cases, with the file lines that made each. */
      created: { caseId: number; lines: number[] }[];
      /** Cases already in the record that gained sources from the file. */
      extended: { caseId: number; lines: number[] }[];
      /** Lines whose source the record already cites for that month and state. */
      skipped: { caseId: number; line: number }[];
    }
  | { ok: false; problems: LineProblem[] };

class Rollback extends Error {}

/** Builds the public record's service. */
export function createCases(deps: { db: Knex; reference: Reference; today: () => Date }) {
  const { db, reference } = deps;
  const todayIso = () => isoDay(deps.today());

  // Sources of `fields` that another case already cites for the same month and state.
  async function citedElsewhere(trx: Knex, fields: CaseFields, self: number | null): Promise<Problem[]> {
    const owners = await store.sourceOwners(
      trx,
      fields.sources.map((source) => ({ url: source.url, month: fields.month, state: fields.state })),
    );
    return fields.sources.flatMap((source, index) => {
      const owner = owners.find((o) => o.url === source.url && o.caseId !== self);
      return owner
        ? [
            {
              field: 'source_url',
              key: 'cases.errors.source_cited',
              params: { source: index + 1, case: owner.caseId },
            },
          ]
        : [];
    });
  }

  async function versioned(
    moderatorId: number | null,
    id: number,
    version: number,
    action: string,
    change: (
      trx: Knex.Transaction,
      current: PublicCase,
    ) => Promise<Problem[] | Record<string, string[]> | false>,
  ): Promise<CaseEdit> {
    return db.transaction(async (trx) => {
      await store.lockSources(trx);
      const current = await store.findCase(trx, id);
      if (!current || current.version !== version) return { ok: false, stale: true } as const;
      const outcome = await change(trx, current);
      if (outcome === false) return { ok: false, stale: true } as const;
      if (Array.isArray(outcome)) return { ok: false, stale: false, problems: outcome } as const;
      await recordAudit(trx, { moderatorId, action, detail: { case: String(id), ...outcome } });
      return { ok: true } as const;
    });
  }

  return {
    list: (filter: CaseFilter, page?: { limit: number; offset: number }) => store.listCases(db, filter, page),
    get: (id: number) => store.findCase(db, id),
    exists: (id: number) => store.caseExists(db, id),
    /** Moves whenever the record changes: what the public pages cache by. */
    revision: () => store.recordRevision(db),
    years: () => store.caseYears(db),
    /** Cases not retracted, by state or field office, for the map's public-record layer. */
    counts: (by: 'state' | 'field_office', filter: CaseFilter) => store.countCases(db, by, filter),

    /** Adds one case from the desk's form. */
    async create(
      moderatorId: number | null,
      raw: RawCase,
    ): Promise<{ ok: true; id: number } | { ok: false; problems: Problem[] }> {
      const checked = validateCase(reference, raw, todayIso());
      if (!checked.ok) return checked;
      return db.transaction(async (trx) => {
        await store.lockSources(trx);
        const cited = await citedElsewhere(trx, checked.value, null);
        if (cited.length > 0) return { ok: false, problems: cited } as const;
        const id = await writes.insertCase(trx, checked.value);
        await recordAudit(trx, {
          moderatorId,
          action: 'case_added',
          detail: { case: String(id), sources: String(checked.value.sources.length) },
        });
        return { ok: true, id } as const;
      });
    },

    /** Replaces a case's fields and sources; stale when someone changed it since the form was built. */
    async update(moderatorId: number | null, id: number, version: number, raw: RawCase): Promise<CaseEdit> {
      const checked = validateCase(reference, raw, todayIso());
      if (!checked.ok) return { ok: false, stale: false, problems: checked.problems };
      return versioned(moderatorId, id, version, 'case_edited', async (trx, current) => {
        const cited = await citedElsewhere(trx, checked.value, id);
        if (cited.length > 0) return cited;
        if (!(await writes.updateCaseIfCurrent(trx, id, version, checked.value))) return false;
        return { fields: changedFields(current, checked.value) };
      });
    },

    /** Marks a case retracted with the desk's reason; it stays on the public pages, marked so. */
    async retract(
      moderatorId: number | null,
      id: number,
      version: number,
      reasonEn: string,
      reasonEs: string,
    ): Promise<CaseEdit> {
      const checked = validateRetraction(reasonEn, reasonEs);
      if (!checked.ok) return { ok: false, stale: false, problems: checked.problems };
      return versioned(moderatorId, id, version, 'case_retracted', async (trx, current) => {
        if (current.retraction) return false;
        const retraction = { on: todayIso(), ...checked.value };
        return (await writes.setRetractionIfCurrent(trx, id, version, retraction)) ? {} : false;
      });
    },

    /** Undoes a retraction made in error. */
    reinstate: (moderatorId: number | null, id: number, version: number): Promise<CaseEdit> =>
      versioned(moderatorId, id, version, 'case_reinstated', async (trx, current) => {
        if (!current.retraction) return false;
        return (await writes.setRetractionIfCurrent(trx, id, version, null)) ? {} : false;
      }),

    /**
     * Imports a CSV file whole or not at all: every line is checked first, then one transaction adds the
     * new cases and sources and one audit row. A line whose source the record already cites for that
     * month and state is skipped, so importing a file twice adds nothing the second time.
     */
    async importFile(bytes: Uint8Array, options: { dryRun?: boolean } = {}): Promise<ImportOutcome> {
      const parsed = parseCaseFile(bytes, reference, todayIso());
      if (!parsed.ok) return parsed;
      const result = { created: [], extended: [], skipped: [] } as Omit<
        ImportOutcome & { ok: true },
        'ok' | 'dryRun'
      >;
      try {
        await db.transaction(async (trx) => {
          await store.lockSources(trx);
          // Every line's key looked up at once, then every write in a few bulk statements.
          const owners = await store.sourceOwners(
            trx,
            parsed.cases.flatMap(({ fields }) =>
              fields.sources.map((s) => ({ url: s.url, month: fields.month, state: fields.state })),
            ),
          );
          const ownerOf = new Map(owners.map((o) => [sourceKey(o.url, o.month, o.state), o.caseId]));
          const toCreate: { fields: CaseFields; lines: number[] }[] = [];
          const toExtend: { caseId: number; fields: CaseFields; lines: number[] }[] = [];
          for (const { fields, lines } of parsed.cases) {
            const fresh: { source: CaseSource; line: number }[] = [];
            let existing: number | undefined;
            fields.sources.forEach((source, index) => {
              const owner = ownerOf.get(sourceKey(source.url, fields.month, fields.state));
              if (owner === undefined) return fresh.push({ source, line: lines[index]! });
              existing ??= owner;
              result.skipped.push({ caseId: owner, line: lines[index]! });
            });
            if (fresh.length === 0) continue;
            const part = {
              fields: { ...fields, sources: fresh.map((f) => f.source) },
              lines: fresh.map((f) => f.line),
            };
            if (existing === undefined) toCreate.push(part);
            else toExtend.push({ caseId: existing, ...part });
          }
          const ids = await writes.insertCases(
            trx,
            toCreate.map((c) => c.fields),
          );
          toCreate.forEach((c, i) => result.created.push({ caseId: ids[i]!, lines: c.lines }));
          const counts = await writes.sourceCounts(
            trx,
            toExtend.map((c) => c.caseId),
          );
          await writes.insertSources(
            trx,
            toExtend.flatMap(({ caseId, fields }) => {
              const start = counts.get(caseId) ?? 0;
              counts.set(caseId, start + fields.sources.length);
              return fields.sources.map((source, i) => ({
                caseId,
                month: fields.month,
                state: fields.state,
                position: start + i,
                source,
              }));
            }),
          );
          await writes.bumpVersions(
            trx,
            toExtend.map((c) => c.caseId),
          );
          for (const { caseId, lines } of toExtend) result.extended.push({ caseId, lines });
          // The operator's terminal, not a desk account: the row says what was imported, never from whom.
          await recordAudit(trx, {
            moderatorId: null,
            action: 'cases_imported',
            detail: {
              created: String(result.created.length),
              extended: String(result.extended.length),
              skipped: String(result.skipped.length),
            },
          });
          if (options.dryRun) throw new Rollback();
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
      return { ok: true, dryRun: Boolean(options.dryRun), ...result };
    },
  };
}

export type Cases = ReturnType<typeof createCases>;

function changedFields(current: PublicCase, next: CaseFields): string[] {
  const same = (a: readonly string[], b: readonly string[]) =>
    [...a].sort().join('\n') === [...b].sort().join('\n');
  const changed: string[] = [];
  if (current.month !== next.month) changed.push('month');
  if (current.state !== next.state) changed.push('state');
  if (current.fieldOffice !== next.fieldOffice) changed.push('field_office');
  if (!same(current.actionTypes, next.actionTypes)) changed.push('action_types');
  if (!same(current.activismTypes, next.activismTypes)) changed.push('activism_types');
  if (current.targetRole !== next.targetRole) changed.push('target_role');
  if (current.summaryEn !== next.summaryEn) changed.push('summary_en');
  if (current.summaryEs !== next.summaryEs) changed.push('summary_es');
  if (JSON.stringify(current.sources) !== JSON.stringify(next.sources)) changed.push('sources');
  return changed;
}
