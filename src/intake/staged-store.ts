import type { Knex } from 'knex';

// SQL for staged submissions (intake_staged): opaque rows found only by their lookup key. Functions take
// the knex handle (a transaction inside one) as their first argument.

export interface StagedRow {
  lookup: Buffer;
  sealed: Buffer;
  /**
   * The desk key the text inside was sealed to (issue 16). Set on every row, narrative or not, so that it
   * says nothing about what the row holds.
   */
  sealedKeyId?: number | null;
}

interface Row {
  lookup: Buffer;
  sealed: Buffer;
  sealed_key_id: number | null;
}

const toRow = (row: StagedRow): Row => ({
  lookup: row.lookup,
  sealed: row.sealed,
  sealed_key_id: row.sealedKeyId ?? null,
});
const fromRow = (row: Row): StagedRow => ({
  lookup: row.lookup,
  sealed: row.sealed,
  sealedKeyId: row.sealed_key_id,
});

/**
 * Stages one submission sealed to a desk key, in one statement that also holds the key's row (FOR SHARE)
 * until it commits, so a rotation's job cannot destroy the key in between (issue 16). One statement
 * rather than a transaction of two: intake's throughput budget counts round trips. The INSERT takes
 * intake_staged's lock before the SELECT locks the key's row, the order the rotation job takes them in.
 * 'taken' when the slot is already taken (a message sent twice at once), 'key_destroyed' when a rotation
 * destroyed the key meanwhile (seal again to the new one).
 */
export async function insertStagedUnderKey(
  db: Knex,
  row: StagedRow & { sealedKeyId: number },
): Promise<'staged' | 'taken' | 'key_destroyed'> {
  const inserted = await db.raw<{ rows: unknown[] }>(
    `insert into intake_staged (lookup, sealed, sealed_key_id)
     select ?, ?, id from desk_keys where id = ? and destroyed_on is null for share
     on conflict (lookup) do nothing
     returning lookup`,
    [row.lookup, row.sealed, row.sealedKeyId],
  );
  if (inserted.rows.length === 1) return 'staged';
  const key: unknown = await db('desk_keys')
    .select('id')
    .where({ id: row.sealedKeyId })
    .whereNull('destroyed_on')
    .first();
  return key === undefined ? 'key_destroyed' : 'taken';
}

/** The staged rows under any of these lookup keys, in one indexed query whatever the answer. */
export async function findStaged(db: Knex, lookups: Buffer[]): Promise<StagedRow[]> {
  const rows: unknown = await db('intake_staged').select('lookup', 'sealed').whereIn('lookup', lookups);
  return rows as StagedRow[];
}

/**
 * Takes the table for the move: concurrent submissions wait (they are not refused) until the move
 * commits, so no row is staged while the batch is read and the table emptied.
 */
export async function lockStaged(trx: Knex.Transaction): Promise<void> {
  await trx.raw('lock table intake_staged in access exclusive mode');
}

/**
 * One page of staged rows in lookup order, after `after` (call it under lockStaged). Paged because each
 * row weighs 24 KiB: a busy day's table read at once would not fit the process's memory budget.
 */
export async function listStagedPage(
  trx: Knex.Transaction,
  after: Buffer | null,
  limit: number,
): Promise<StagedRow[]> {
  const query = trx('intake_staged')
    .select('lookup', 'sealed', 'sealed_key_id')
    .orderBy('lookup')
    .limit(limit);
  const rows: unknown = await (after ? query.where('lookup', '>', after) : query);
  return (rows as Row[]).map(fromRow);
}

/**
 * Empties the table. TRUNCATE rather than DELETE: the table gets new files and the old ones are unlinked
 * at commit, so the staged ciphertexts do not linger in dead tuples until a vacuum reuses their space.
 * Through the owner's function, since the application's role may not truncate tables itself.
 */
export async function truncateStaged(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select truncate_intake_staged()');
}

/** Puts back rows that stay staged (in the order given). */
export async function insertStagedRows(trx: Knex.Transaction, rows: StagedRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 100) {
    await trx('intake_staged').insert(rows.slice(start, start + 100).map(toRow));
  }
}

/** How many submissions wait for the move (for operators and tests; says nothing about any one). */
export async function countStaged(db: Knex): Promise<number> {
  const row = (await db('intake_staged').count({ n: '*' }).first()) as { n: string | number } | undefined;
  return Number(row?.n ?? 0);
}
