import type { Knex } from 'knex';

// The moderation desk's public keys (promise 5): intake seals narratives and reporter messages to the
// newest one. Only public halves live here; the private key is stored wrapped per moderator by the
// accounts capability, never in this table.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('desk_keys', (t) => {
    // Serial on purpose: "newest" must be unambiguous, and a key id says nothing about any reporter.
    t.increments('id').primary();
    t.binary('public_key').notNullable().unique();
    // A date, never a time, like every date in the schema.
    t.date('created_on').notNullable();
  });
  await knex.raw(
    'alter table desk_keys add constraint desk_keys_public_key_length check (octet_length(public_key) = 32)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('desk_keys');
}
