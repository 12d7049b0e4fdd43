import type { Knex } from 'knex';
import { chunks } from './store';
import type { CaseFields, CaseSource, Retraction } from './types';

// The public record's writes (the reads are in store.ts): cases with their codes and sources, in bulk for
// the importer, and the desk's versioned edits. Always inside the service's transaction.

/** Inserts a case with its codes and sources; returns its id. */
export async function insertCase(trx: Knex, fields: CaseFields): Promise<number> {
  return (await insertCases(trx, [fields]))[0]!;
}

/**
 * Inserts cases with their codes and sources in a few statements whatever their number; returns their
 * ids in order. The ids are drawn from the sequence first, so each case's codes and sources are tied to
 * it without relying on the order RETURNING happens to give.
 */
export async function insertCases(trx: Knex, cases: readonly CaseFields[]): Promise<number[]> {
  if (cases.length === 0) return [];
  const drawn = await trx.raw<{ rows: { id: number }[] }>(
    "select nextval(pg_get_serial_sequence('public_cases', 'id'))::int as id from generate_series(1, ?)",
    [cases.length],
  );
  const ids = drawn.rows.map((row) => row.id);
  for (const part of chunks(cases.map((fields, i) => ({ fields, id: ids[i]! })))) {
    await trx('public_cases').insert(
      part.map(({ fields, id }) => ({
        id,
        month: fields.month,
        state: fields.state,
        field_office: fields.fieldOffice,
        target_role: fields.targetRole,
        summary_en: fields.summaryEn,
        summary_es: fields.summaryEs,
      })),
    );
  }
  const codes = cases.flatMap((fields, i) => [
    ...fields.actionTypes.map((code) => ({ case_id: ids[i]!, kind: 'action_type', code })),
    ...fields.activismTypes.map((code) => ({ case_id: ids[i]!, kind: 'activism_type', code })),
  ]);
  for (const part of chunks(codes)) await trx('public_case_codes').insert(part);
  await insertSources(
    trx,
    cases.flatMap((fields, i) =>
      fields.sources.map((source, position) => ({
        caseId: ids[i]!,
        month: fields.month,
        state: fields.state,
        position,
        source,
      })),
    ),
  );
  return ids;
}

/** Adds sources to cases, each at the position given (after a case's existing sources when extending). */
export async function insertSources(
  trx: Knex,
  rows: { caseId: number; month: string; state: string; position: number; source: CaseSource }[],
): Promise<void> {
  for (const part of chunks(rows)) {
    await trx('public_case_sources').insert(
      part.map(({ caseId, month, state, position, source }) => ({
        case_id: caseId,
        case_month: month,
        case_state: state,
        position,
        url: source.url,
        title: source.title,
        publisher: source.publisher,
        published_on: source.publishedOn,
        kind: source.kind,
      })),
    );
  }
}

/** How many sources each of some cases has (where the next ones go). */
export async function sourceCounts(trx: Knex, caseIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const ids of chunks([...new Set(caseIds)], 1000)) {
    const rows = await trx('public_case_sources')
      .select('case_id')
      .count<{ case_id: number; n: string | number }[]>({ n: '*' })
      .whereIn('case_id', ids)
      .groupBy('case_id');
    for (const row of rows) counts.set(row.case_id, Number(row.n));
  }
  return counts;
}

/** Replaces a case's fields, codes and sources if its version is still the one the form was built from. */
export async function updateCaseIfCurrent(
  trx: Knex,
  id: number,
  version: number,
  fields: CaseFields,
): Promise<boolean> {
  const updated = await trx('public_cases')
    .where({ id, version })
    .update({
      month: fields.month,
      state: fields.state,
      field_office: fields.fieldOffice,
      target_role: fields.targetRole,
      summary_en: fields.summaryEn,
      summary_es: fields.summaryEs,
      version: trx.raw('version + 1'),
    });
  if (updated !== 1) return false;
  await trx('public_case_codes').where({ case_id: id }).delete();
  const codes = [
    ...fields.actionTypes.map((code) => ({ case_id: id, kind: 'action_type', code })),
    ...fields.activismTypes.map((code) => ({ case_id: id, kind: 'activism_type', code })),
  ];
  await trx('public_case_codes').insert(codes);
  await trx('public_case_sources').where({ case_id: id }).delete();
  await insertSources(
    trx,
    fields.sources.map((source, position) => ({
      caseId: id,
      month: fields.month,
      state: fields.state,
      position,
      source,
    })),
  );
  return true;
}

/** Sets or clears a case's retraction if its version is current. */
export async function setRetractionIfCurrent(
  trx: Knex,
  id: number,
  version: number,
  retraction: Retraction | null,
): Promise<boolean> {
  const updated = await trx('public_cases')
    .where({ id, version })
    .update({
      retracted_on: retraction?.on ?? null,
      retraction_reason_en: retraction?.reasonEn ?? null,
      retraction_reason_es: retraction?.reasonEs ?? null,
      version: trx.raw('version + 1'),
    });
  return updated === 1;
}

/** Marks cases changed (new sources from an import), so a desk form built before is stale, not obeyed. */
export async function bumpVersions(trx: Knex, caseIds: number[]): Promise<void> {
  for (const ids of chunks([...new Set(caseIds)], 1000)) {
    await trx('public_cases').whereIn('id', ids).increment('version', 1);
  }
}
