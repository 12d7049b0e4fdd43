import type { Knex } from 'knex';

// Receipts: a keyed hash of the words the reporter holds, pointing at their report. The words
// themselves are never stored, and the hash (HMAC with a server secret) cannot be computed from a
// report id, so the link cannot be walked backwards from a report to a usable receipt.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('receipts', (t) => {
    // HMAC-SHA-256 of the canonical receipt; the primary key, so a lookup is one index probe.
    t.binary('hash').primary();
    t.uuid('report_id').notNullable().unique().references('reports.id').onDelete('CASCADE');
    // X25519 public key derived from the receipt: moderators seal their questions to it, and only
    // someone holding the receipt can derive the private half and read them.
    t.binary('reporter_public_key').notNullable();
  });
  await knex.raw(
    'alter table receipts add constraint receipts_key_lengths check (octet_length(hash) = 32 and octet_length(reporter_public_key) = 32)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('receipts');
}
