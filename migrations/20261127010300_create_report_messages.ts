import type { Knex } from 'knex';

// Follow-up messages between a reporter and the moderators, always sealed: messages from the reporter
// to the desk key, messages to the reporter to the key derived from their receipt.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('report_messages', (t) => {
    // Random, so ids reveal neither the order nor the number of messages across reports.
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.uuid('report_id').notNullable().references('reports.id').onDelete('CASCADE');
    // Order within one thread only; with sent_on a date, nothing records the time of day.
    t.integer('position').notNullable();
    t.text('direction').notNullable().checkIn(['from_reporter', 'to_reporter']);
    t.binary('body_sealed').notNullable();
    // A date, never a time: a timestamp could be matched against network logs.
    t.date('sent_on').notNullable();
    t.unique(['report_id', 'position']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_messages');
}
