import type { Knex } from 'knex';

// Who did what to which report, and when. Never report content: no narrative, message, or coded value,
// only the names of fields changed and the decision reason code. The time is the moderator's, not the
// reporter's. report_id has no foreign key so that the trail outlives reports deleted by retention.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id').primary();
    t.integer('moderator_id').nullable().references('moderators.id');
    t.text('action').notNullable();
    t.uuid('report_id').nullable();
    // The account acted upon, for account actions (add, reset, role, disable).
    t.integer('subject_moderator_id').nullable().references('moderators.id');
    // Codes only (a reason, a role, field names); never free text or a coded answer.
    t.jsonb('detail').notNullable().defaultTo('{}');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.raw('create index audit_events_occurred on audit_events (occurred_at desc)');
  await knex.schema.raw('create index audit_events_report on audit_events (report_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_events');
}
