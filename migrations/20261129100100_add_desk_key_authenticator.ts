import type { Knex } from 'knex';

// Intake seals every narrative to the newest desk key, so whoever can write one row to desk_keys (a
// compelled managed-database provider) could read every later narrative. Each key now carries an
// authenticator: HMAC-SHA-256 under a key derived from SESSION_SECRET, which lives outside the database,
// over the key's id, public half and date (src/accounts/desk-keys.ts). Intake refuses a key without a
// valid one. Existing rows stay null here: a migration cannot know SESSION_SECRET, and must not vouch
// for a key it cannot check. `npm run desk-key:confirm` authenticates them once, after a check outside
// the database.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('desk_keys', (t) => {
    t.binary('authenticator').nullable();
  });
  await knex.raw(
    'alter table desk_keys add constraint desk_keys_authenticator_length check (authenticator is null or octet_length(authenticator) = 32)',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('desk_keys', (t) => {
    t.dropColumn('authenticator');
  });
}
