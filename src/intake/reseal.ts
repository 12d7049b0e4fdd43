import type { Knex } from 'knex';
import { resealText, type Resealer } from '../reports/reseal';
import { openStaged, sealStaged, stagingKey } from './staging';

// Staged rows during a desk key rotation (issue 16). A staged row carries its narrative or message sealed
// to the desk key inside an AEAD under RECEIPT_SECRET, so a rotation must re-seal them too, or the day's
// submissions would reach the tables sealed to a destroyed key. Every row with the retired key's id is
// rewritten, narrative or not (a row without text is encrypted afresh under its new key id), so the
// rewrite says nothing about which rows hold text. The row keeps its fixed size.

/** The resealer for intake_staged, under this server's RECEIPT_SECRET. */
export function stagedResealer(receiptSecret: Buffer): Resealer {
  const key = stagingKey(receiptSecret);
  return {
    name: 'staged',
    async batch(trx, from, to, options) {
      const query = trx('intake_staged')
        .select('lookup', 'sealed', 'sealed_key_id')
        .where((where) => {
          void where.where('sealed_key_id', from.id);
          if (options.unknown) void where.orWhereNull('sealed_key_id');
        })
        .orderBy('lookup')
        .limit(options.limit)
        .forUpdate();
      if (options.after) void query.andWhere('lookup', '>', Buffer.from(options.after, 'hex'));
      const rows = (await query) as { lookup: Buffer; sealed: Buffer; sealed_key_id: number | null }[];
      let resealed = 0;
      let unreadable = 0;
      for (const row of rows) {
        const item = await openStaged(row.sealed, row.lookup, key);
        const text = !item ? null : item.kind === 'report' ? item.narrativeSealed : item.bodySealed;
        const next = text ? await resealText(text, from, to) : null;
        if (!item || (text && !next)) {
          unreadable += 1;
          if (row.sealed_key_id === from.id) await update(trx, row.lookup, { sealed_key_id: null });
          continue;
        }
        const changed =
          item.kind === 'report' ? { ...item, narrativeSealed: next } : { ...item, bodySealed: next! };
        await update(trx, row.lookup, {
          sealed: await sealStaged(changed, row.lookup, key),
          sealed_key_id: to.id,
        });
        resealed += 1;
      }
      const last = rows.length < options.limit ? null : rows[rows.length - 1]!.lookup.toString('hex');
      return { resealed, unreadable, last };
    },
    async remaining(trx, fromId) {
      const row = (await trx('intake_staged').where('sealed_key_id', fromId).count({ n: '*' }).first()) as
        { n: string | number } | undefined;
      return Number(row?.n ?? 0);
    },
    // New staged rows wait while the job decides whether any row is left with the retired key; the daily
    // move, which takes the table exclusively, waits too (or is waited for).
    async lockWriters(trx) {
      await trx.raw('lock table intake_staged in share mode');
    },
  };
}

async function update(trx: Knex.Transaction, lookup: Buffer, row: Record<string, unknown>): Promise<void> {
  await trx('intake_staged').where({ lookup }).update(row);
}
