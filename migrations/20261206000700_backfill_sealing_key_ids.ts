import type { Knex } from 'knex';

// Data only: rows sealed before key ids were recorded were sealed to the newest desk key, the only one
// the app ever created before rotation existed. A row that does not open with it is found by the
// re-sealing job, which tries every row without a key id and counts the ones it cannot open.

export async function up(knex: Knex): Promise<void> {
  const newest = '(select max(id) from desk_keys)';
  await knex.raw(`update reports set narrative_key_id = ${newest} where narrative_sealed is not null`);
  await knex.raw(
    `update report_messages set body_key_id = ${newest} where direction = 'from_reporter' and body_key_id is null`,
  );
  await knex.raw(`update intake_staged set sealed_key_id = ${newest} where sealed_key_id is null`);
}

export async function down(): Promise<void> {
  // Nothing to undo: the columns are dropped by the migrations that added them.
}
