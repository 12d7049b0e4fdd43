import type { Knex } from 'knex';

// Submissions waiting for the daily move into reports, receipts and report_messages (src/intake/move.ts).
// Opaque by schema: a lookup key and one fixed-size ciphertext, nothing else. No time, no serial, no
// plaintext column: the row says neither what was sent nor when, and the move truncates the table, so
// the day's rows leave the data files with it.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('intake_staged', (t) => {
    // HMAC of (receipt, slot) under RECEIPT_SECRET, domain-separated from receipts.hash.
    t.binary('lookup').primary();
    // nonce | XChaCha20-Poly1305 under a key derived from RECEIPT_SECRET; every row the same length.
    t.binary('sealed').notNullable();
  });
  await knex.raw(
    'alter table intake_staged add constraint intake_staged_lookup_length check (octet_length(lookup) = 32)',
  );
  // Ciphertext does not compress: skip the attempt and store it out of line as it is.
  await knex.raw('alter table intake_staged alter column sealed set storage external');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('intake_staged');
}
