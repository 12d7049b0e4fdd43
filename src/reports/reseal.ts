import type { Knex } from 'knex';
import { open, seal, SealError, type DeskKeyPair } from './seal';

// Re-sealing free text from a retired desk key to its successor (issue 16: a rotation after a moderator
// leaves). The rotation job (accounts/rotation-job.ts) walks every table holding text sealed to the desk
// key through one Resealer each: narratives and reporters' messages here, staged rows in intake. The text
// is opened and sealed again in memory, one batch per transaction, and the row records its new key id.

/** A desk key pair with the id of its desk_keys row. */
export interface SealingKey {
  id: number;
  pair: DeskKeyPair;
}

export interface ResealBatch {
  /** Rows now sealed to the new key. */
  resealed: number;
  /** Rows the retired key does not open (damaged, or sealed to some other key): left as they were. */
  unreadable: number;
  /** The cursor for the next batch; null when this was the last. */
  last: string | null;
}

export interface ResealOptions {
  after: string | null;
  limit: number;
  /** Also try rows with no recorded key (sealed before key ids existed, or inserted by the demo seed). */
  unknown: boolean;
}

/** One table's share of a rotation. */
export interface Resealer {
  name: string;
  batch(
    trx: Knex.Transaction,
    from: SealingKey,
    to: SealingKey,
    options: ResealOptions,
  ): Promise<ResealBatch>;
  /** How many rows still record `fromId` as their key: the old key is destroyed only at zero. */
  remaining(trx: Knex.Transaction, fromId: number): Promise<number>;
  /**
   * Takes the locks that keep new rows sealed to a retired key from appearing, before the job locks the
   * key's own row (the order every writer takes them in, so the two never deadlock).
   */
  lockWriters?(trx: Knex.Transaction): Promise<void>;
}

/** Opens sealed text with the retired key and seals it to the new one; null when the old key cannot open it. */
export async function resealText(sealed: Buffer, from: SealingKey, to: SealingKey): Promise<Buffer | null> {
  let text: string;
  try {
    text = await open(sealed, from.pair);
  } catch (error) {
    if (error instanceof SealError) return null;
    throw error;
  }
  return seal(text, to.pair.publicKey);
}

/** A resealer over one table's sealed column and key id column, keyed by a uuid `id`. */
function columnResealer(
  name: string,
  table: string,
  sealedColumn: string,
  keyColumn: string,
  unknownScope: Record<string, string>,
): Resealer {
  return {
    name,
    async batch(trx, from, to, options) {
      const query = trx(table)
        .select('id', sealedColumn, keyColumn)
        .where((where) => {
          void where.where(keyColumn, from.id);
          if (options.unknown)
            void where.orWhere((unknown) => {
              void unknown.whereNull(keyColumn).where(unknownScope);
            });
        })
        .whereNotNull(sealedColumn)
        .orderBy('id')
        .limit(options.limit)
        .forUpdate();
      if (options.after) void query.andWhere('id', '>', options.after);
      const rows = (await query) as Record<string, unknown>[];
      let resealed = 0;
      let unreadable = 0;
      for (const row of rows) {
        const next = await resealText(row[sealedColumn] as Buffer, from, to);
        if (next) {
          await trx(table)
            .where({ id: row.id })
            .update({ [sealedColumn]: next, [keyColumn]: to.id });
          resealed += 1;
        } else {
          unreadable += 1;
          // Not sealed to the retired key after all: recording it as such would block the key's destruction.
          if (row[keyColumn] === from.id)
            await trx(table)
              .where({ id: row.id })
              .update({ [keyColumn]: null });
        }
      }
      const last = rows.length < options.limit ? null : (rows[rows.length - 1]!.id as string);
      return { resealed, unreadable, last };
    },
    async remaining(trx, fromId) {
      const row = (await trx(table).where(keyColumn, fromId).count({ n: '*' }).first()) as
        { n: string | number } | undefined;
      return Number(row?.n ?? 0);
    },
  };
}

/** Narratives in reports. */
export const narrativeResealer = columnResealer(
  'narratives',
  'reports',
  'narrative_sealed',
  'narrative_key_id',
  {},
);

/** Reporters' messages (questions to reporters are sealed to their receipt's key, not the desk's). */
export const messageResealer = columnResealer('messages', 'report_messages', 'body_sealed', 'body_key_id', {
  direction: 'from_reporter',
});
