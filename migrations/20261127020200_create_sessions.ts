import type { Knex } from 'knex';

// Moderator sessions (express-session, Postgres store in src/accounts/session-store.ts). Rows are keyed by
// a SHA-256 of the session id, never the id itself: the unlocked desk key inside `data` is encrypted under
// a key derived from the id and SESSION_SECRET, so a copy of this table cannot open it.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (t) => {
    t.text('sid_hash').primary();
    t.integer('moderator_id').nullable().references('moderators.id').onDelete('CASCADE');
    t.jsonb('data').notNullable();
    // 30 minutes after the last request.
    t.timestamp('idle_expires_at', { useTz: true }).notNullable();
    // 8 hours after the session began, however active.
    t.timestamp('absolute_expires_at', { useTz: true }).notNullable();
  });
  await knex.schema.raw('create index sessions_moderator on sessions (moderator_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
}
