import type { Knex } from 'knex';

// A release preview or publication takes from seconds to minutes, so the desk runs it in the background and
// shows its progress on a page that refreshes itself. Jobs live in the database, not in one process's
// memory, so any instance behind a load balancer can show any job. Only admins' work is recorded here.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('release_jobs', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('kind').notNullable().checkIn(['preview', 'publish']);
    t.date('cutoff').notNullable();
    t.text('label').nullable();
    t.text('notes_en').notNullable().defaultTo('');
    t.text('notes_es').notNullable().defaultTo('');
    t.integer('requested_by').nullable().references('moderators.id').onDelete('SET NULL');
    t.text('state').notNullable().defaultTo('running').checkIn(['running', 'done', 'failed']);
    // Stage and counts while running (cells built, suppression rounds, numbers proven, elapsed time).
    t.jsonb('progress').notNullable().defaultTo('{}');
    // The preview's summary (counts per table, information loss, the gate's verdict) or the published label.
    t.jsonb('result').nullable();
    // A translation key with its parameters, and the gate's failing cells when it refused.
    t.jsonb('error').nullable();
    // An admin's job, not a reporter's: the clock time tells a job whose process stopped from a running one.
    t.timestamp('heartbeat_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.date('created_on').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('release_jobs');
}
