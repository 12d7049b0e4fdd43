import type { Knex } from 'knex';
import type { CodeAtom, GeoAtom, PairAtom } from './atoms';
import type { ReleaseCell } from './audit';
import { PERIOD_SQL } from './periods';
import { tableByName } from './tables';
import { addDays } from '../platform/dates';

// SQL for releases: the atoms a release is computed from (aggregated in Postgres, so a million reports
// never cross the wire) and the frozen releases themselves.

export interface ReleaseRecord {
  id: number;
  label: string;
  cutoff: string;
  threshold: number;
  publishedOn: string;
  notesEn: string;
  notesEs: string;
}

// The reports a release counts: approved, decided on or before the cutoff, and consented to be counted. Each
// query aggregates once for several cutoffs at a time: a report's bucket is the number of cutoffs before its
// decision date (width_bucket over the days after each cutoff), so the atoms as of the n-th cutoff are the
// sum of buckets 0 to n. One pass over a million reports instead of one per release.
const COUNTED = `r.status = 'approved' and r.decision_on <= ? and r.consent_to_count`;
const BUCKET = `width_bucket(r.decision_on, ?::date[]) as bucket`;

export interface AtomSet {
  geo: GeoAtom[];
  codes: CodeAtom[];
  pairs: PairAtom[];
}

/** The atoms as of each cutoff (ascending), aggregated in SQL in one pass per kind of atom. */
export async function loadAtomsThrough(db: Knex, cutoffs: readonly string[]): Promise<AtomSet[]> {
  if (cutoffs.length === 0) return [];
  const last = cutoffs.at(-1)!;
  // The day after each cutoff, as the thresholds width_bucket counts.
  const after = cutoffs.map((c) => addDays(c, 1));
  const bindings = [`{${after.join(',')}}`, last];
  type Bucketed = { bucket: number; count: number };
  type Rows<T> = { rows: (T & Bucketed)[] };
  const [geo, codes, pairs] = (await Promise.all([
    db.raw(
      `select ${BUCKET}, state, field_office as office, ${PERIOD_SQL} as quarter, count(*)::int as count
         from reports r where ${COUNTED} group by 1, 2, 3, 4`,
      bindings,
    ),
    db.raw(
      `select ${BUCKET}, rc.kind, rc.code, r.state, r.field_office as office, count(*)::int as count
           from report_codes rc join reports r on r.id = rc.report_id
          where ${COUNTED}
          group by 1, 2, 3, 4, 5
         union all
         select ${BUCKET}, 'target_role', target_role, state, field_office, count(*)::int
           from reports r where ${COUNTED} group by 1, 3, 4, 5`,
      [...bindings, ...bindings],
    ),
    db.raw(
      `select ${BUCKET}, a.code as action, b.code as activism, count(*)::int as count
         from reports r
         join report_codes a on a.report_id = r.id and a.kind = 'action_type'
         join report_codes b on b.report_id = r.id and b.kind = 'activism_type'
        where ${COUNTED}
        group by 1, 2, 3`,
      bindings,
    ),
  ])) as [Rows<GeoAtom>, Rows<CodeAtom>, Rows<PairAtom>];
  const cumulate = <T extends Bucketed>(rows: T[], key: (row: T) => string): Omit<T, 'bucket'>[][] =>
    cutoffs.map((_, n) => {
      const sums = new Map<string, Omit<T, 'bucket'>>();
      for (const row of rows) {
        if (row.bucket > n) continue;
        const id = key(row);
        const existing = sums.get(id);
        const atom: Omit<T, 'bucket'> & { bucket?: number } = { ...row };
        delete atom.bucket;
        sums.set(id, existing ? { ...existing, count: existing.count + row.count } : atom);
      }
      return [...sums.values()];
    });
  const geoBy = cumulate(geo.rows, (r) => `${r.state}|${r.office}|${r.quarter}`);
  const codeBy = cumulate(codes.rows, (r) => `${r.kind}|${r.code}|${r.state}|${r.office}`);
  const pairBy = cumulate(pairs.rows, (r) => `${r.action}|${r.activism}`);
  return cutoffs.map((_, n) => ({
    geo: geoBy[n] as GeoAtom[],
    codes: codeBy[n] as CodeAtom[],
    pairs: pairBy[n] as PairAtom[],
  }));
}

function toRecord(row: Record<string, unknown>): ReleaseRecord {
  return {
    id: Number(row.id),
    label: String(row.label),
    cutoff: String(row.cutoff),
    threshold: Number(row.threshold),
    publishedOn: String(row.published_on),
    notesEn: String(row.notes_en),
    notesEs: String(row.notes_es),
  };
}

/** Every release, oldest first. */
export async function listReleases(db: Knex): Promise<ReleaseRecord[]> {
  // Dates leave the database as YYYY-MM-DD text: a JavaScript Date would shift with the server's time zone.
  const rows = await db('releases')
    .select<Record<string, unknown>[]>(
      'id',
      'label',
      'threshold',
      'notes_en',
      'notes_es',
      db.raw("to_char(cutoff, 'YYYY-MM-DD') as cutoff"),
      db.raw("to_char(published_on, 'YYYY-MM-DD') as published_on"),
    )
    .orderBy('cutoff')
    .orderBy('id');
  return rows.map(toRecord);
}

/** One release by label, or undefined. */
export async function findRelease(db: Knex, label: string): Promise<ReleaseRecord | undefined> {
  return (await listReleases(db)).find((release) => release.label === label);
}

/** The cells of a release, optionally of one table, with dimension keys named by the table's dimensions. */
export async function loadReleaseCells(db: Knex, releaseId: number, table?: string): Promise<ReleaseCell[]> {
  type Row = {
    table_name: string;
    key1: string;
    key2: string;
    value: number | null;
    status: 'published' | 'suppressed';
  };
  const query = db('release_cells')
    .select<Row[]>('table_name', 'key1', 'key2', 'value', 'status')
    .where({ release_id: releaseId })
    .orderBy(['table_name', 'key1', 'key2']);
  if (table) void query.andWhere({ table_name: table });
  const rows = await query;
  return rows.map((row) => {
    const dimensions = tableByName(row.table_name).dimensions;
    const keys: Record<string, string> = {};
    if (dimensions[0]) keys[dimensions[0]] = row.key1;
    if (dimensions[1]) keys[dimensions[1]] = row.key2;
    return { table: row.table_name, keys, status: row.status, value: row.value };
  });
}

/** Writes a new release and its cells; the caller holds the transaction and has run the audit. */
export async function insertRelease(
  trx: Knex.Transaction,
  release: Omit<ReleaseRecord, 'id'>,
  cells: readonly ReleaseCell[],
): Promise<number> {
  const [row]: { id: number }[] = await trx('releases')
    .insert({
      label: release.label,
      cutoff: release.cutoff,
      threshold: release.threshold,
      published_on: release.publishedOn,
      notes_en: release.notesEn,
      notes_es: release.notesEs,
    })
    .returning('id');
  const id = row!.id;
  const rows = cells.map((cell) => {
    const dimensions = tableByName(cell.table).dimensions;
    return {
      release_id: id,
      table_name: cell.table,
      key1: dimensions[0] ? (cell.keys[dimensions[0]] ?? '') : '',
      key2: dimensions[1] ? (cell.keys[dimensions[1]] ?? '') : '',
      value: cell.status === 'published' ? cell.value : null,
      status: cell.status,
    };
  });
  await trx.batchInsert('release_cells', rows, 1000).transacting(trx);
  return id;
}
