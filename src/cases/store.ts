import type { Knex } from 'knex';
import {
  UNKNOWN_OFFICE_KEY,
  type CaseFilter,
  type CaseSource,
  type PublicCase,
  type SourceKind,
} from './types';

// SQL for the public record: reads here, writes in store-writes.ts. Touches public_cases, public_case_codes
// and public_case_sources only: never a report, never a release (the two datasets stay apart). Functions
// take the knex handle (a transaction inside one) first; dates leave as text, never a shifted Date.

interface CaseRow {
  id: number;
  month: string;
  state: string;
  field_office: string | null;
  target_role: string;
  summary_en: string;
  summary_es: string | null;
  retracted_on: string | null;
  retraction_reason_en: string | null;
  retraction_reason_es: string | null;
  version: number;
}

const CASE_COLUMNS = (db: Knex) => [
  'c.id',
  db.raw("to_char(c.month, 'YYYY-MM-DD') as month"),
  'c.state',
  'c.field_office',
  'c.target_role',
  'c.summary_en',
  'c.summary_es',
  db.raw("to_char(c.retracted_on, 'YYYY-MM-DD') as retracted_on"),
  'c.retraction_reason_en',
  'c.retraction_reason_es',
  'c.version',
];

// The filters as SQL on public_cases aliased c; each value was checked against the reference before.
function applyFilter(db: Knex, query: Knex.QueryBuilder, filter: CaseFilter): Knex.QueryBuilder {
  if (filter.state) void query.where('c.state', filter.state);
  if (filter.office === UNKNOWN_OFFICE_KEY) void query.whereNull('c.field_office');
  else if (filter.office) void query.where('c.field_office', filter.office);
  if (filter.year) {
    void query
      .where('c.month', '>=', `${filter.year}-01-01`)
      .andWhere('c.month', '<', `${Number(filter.year) + 1}-01-01`);
  }
  if (filter.action) {
    void query.whereExists(
      db('public_case_codes as k')
        .select(db.raw('1'))
        .whereRaw('k.case_id = c.id')
        .andWhere({ 'k.kind': 'action_type', 'k.code': filter.action }),
    );
  }
  return query;
}

/** Cases matching a filter, newest incident first; a page of them when `page` is given, with the total. */
export async function listCases(
  db: Knex,
  filter: CaseFilter,
  page?: { limit: number; offset: number },
): Promise<{ cases: PublicCase[]; total: number }> {
  const query = applyFilter(db, db('public_cases as c').select<CaseRow[]>(CASE_COLUMNS(db)), filter)
    .orderBy('c.month', 'desc')
    .orderBy('c.id', 'desc');
  if (page) void query.limit(page.limit).offset(page.offset);
  const rows = (await query) as CaseRow[];
  const total = page
    ? Number(
        (
          (await applyFilter(db, db('public_cases as c').count({ n: '*' }), filter)) as {
            n: string | number;
          }[]
        )[0]?.n ?? 0,
      )
    : rows.length;
  return { cases: await withDetails(db, rows), total };
}

/** One case by id, or undefined. */
export async function findCase(db: Knex, id: number): Promise<PublicCase | undefined> {
  const rows = (await db('public_cases as c').select(CASE_COLUMNS(db)).where('c.id', id)) as CaseRow[];
  return (await withDetails(db, rows))[0];
}

async function withDetails(db: Knex, rows: CaseRow[]): Promise<PublicCase[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [codes, sources] = await Promise.all([
    // In the codebook's order, so every page and download lists a case's codes the same way.
    db('public_case_codes as k')
      .join('codes as r', function () {
        this.on('r.kind', 'k.kind').andOn('r.code', 'k.code');
      })
      .select<{ case_id: number; kind: string; code: string }[]>('k.case_id', 'k.kind', 'k.code')
      .whereIn('k.case_id', ids)
      .orderBy('r.position'),
    db('public_case_sources')
      .select<SourceRow[]>(
        'case_id',
        'url',
        'title',
        'publisher',
        'kind',
        db.raw("to_char(published_on, 'YYYY-MM-DD') as published_on"),
      )
      .whereIn('case_id', ids)
      .orderBy(['case_id', 'position', 'id']),
  ]);
  const codesOf = (id: number, kind: string) =>
    codes.filter((row) => row.case_id === id && row.kind === kind).map((row) => row.code);
  const bySource = new Map<number, CaseSource[]>();
  for (const row of sources) {
    const list = bySource.get(row.case_id) ?? [];
    list.push({
      url: row.url,
      title: row.title,
      publisher: row.publisher,
      publishedOn: row.published_on,
      kind: row.kind,
    });
    bySource.set(row.case_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    version: row.version,
    month: row.month,
    state: row.state,
    fieldOffice: row.field_office,
    actionTypes: codesOf(row.id, 'action_type'),
    activismTypes: codesOf(row.id, 'activism_type'),
    targetRole: row.target_role,
    summaryEn: row.summary_en,
    summaryEs: row.summary_es,
    sources: bySource.get(row.id) ?? [],
    retraction: row.retracted_on
      ? { on: row.retracted_on, reasonEn: row.retraction_reason_en ?? '', reasonEs: row.retraction_reason_es }
      : null,
  }));
}

interface SourceRow {
  case_id: number;
  url: string;
  title: string;
  publisher: string | null;
  kind: SourceKind;
  published_on: string | null;
}

/** The years that hold at least one case, newest first, for the filter forms. */
export async function caseYears(db: Knex): Promise<string[]> {
  const rows = (await db('public_cases')
    .distinct(db.raw("to_char(month, 'YYYY') as year"))
    .orderBy('year', 'desc')) as { year: string }[];
  return rows.map((row) => row.year);
}

/** Cases not retracted, counted by state or by field office (the unknown office under its key). */
export async function countCases(
  db: Knex,
  by: 'state' | 'field_office',
  filter: CaseFilter,
): Promise<Map<string, number>> {
  const key = by === 'state' ? 'c.state' : db.raw('coalesce(c.field_office, ?)', [UNKNOWN_OFFICE_KEY]);
  const rows = (await applyFilter(
    db,
    db('public_cases as c')
      .select({ key })
      .count<{ key: string; n: string }[]>({ n: '*' })
      .whereNull('c.retracted_on')
      // By position: the same expression bound twice would be two parameters, which Postgres cannot match.
      .groupByRaw('1'),
    filter,
  )) as { key: string; n: string }[];
  return new Map(rows.map((row) => [row.key, Number(row.n)]));
}

/** The public record's revision: it moves whenever any of its tables changes (a trigger keeps it). */
export async function recordRevision(db: Knex): Promise<number> {
  const row = await db('public_record_revision').first<{ revision: string | number } | undefined>('revision');
  return Number(row?.revision ?? 0);
}

/** Whether a case of this number exists (retracted ones included). */
export async function caseExists(db: Knex, id: number): Promise<boolean> {
  return (await db('public_cases').select(db.raw('1')).where({ id }).first()) !== undefined;
}

/** Whether the record holds any case at all: the demo's starter cases go only into an empty one. */
export async function hasAnyCase(db: Knex): Promise<boolean> {
  return (await db('public_cases').select(db.raw('1')).first()) !== undefined;
}

/**
 * Holds off every other writer of sources (imports, desk edits) until this transaction ends, so the check
 * for a source already cited and the insert that follows cannot interleave with another's. Readers wait for
 * nobody. (The unique index would refuse a race anyway; the lock turns it into a clean answer.)
 */
export async function lockSources(trx: Knex.Transaction): Promise<void> {
  await trx.raw('lock table public_case_sources in share row exclusive mode');
}

const CHUNK = 500;

/** Splits a list for statements that must stay under Postgres's parameter limit. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Which case already cites each source key (url, month, state) among those asked about. */
export async function sourceOwners(
  db: Knex,
  keys: { url: string; month: string; state: string }[],
): Promise<{ url: string; month: string; state: string; caseId: number }[]> {
  const wanted = new Set(keys.map((key) => `${key.url}\u0000${key.month}\u0000${key.state}`));
  const found: { url: string; month: string; state: string; caseId: number }[] = [];
  for (const urls of chunks([...new Set(keys.map((key) => key.url))], 1000)) {
    const rows = (await db('public_case_sources')
      .select('url', 'case_state as state', 'case_id', db.raw("to_char(case_month, 'YYYY-MM-DD') as month"))
      .whereIn('url', urls)) as { url: string; month: string; state: string; case_id: number }[];
    for (const row of rows) {
      if (wanted.has(`${row.url}\u0000${row.month}\u0000${row.state}`))
        found.push({ url: row.url, month: row.month, state: row.state, caseId: row.case_id });
    }
  }
  return found;
}
