import type { Knex } from 'knex';

// Which desk key sealed each message from a reporter (issue 16); null for questions to the reporter,
// which are sealed to the receipt's key and never re-sealed, and for rows from before this column.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('report_messages', (t) => {
    t.integer('body_key_id').nullable().references('id').inTable('desk_keys');
    t.index(['body_key_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('report_messages', (t) => {
    t.dropColumn('body_key_id');
  });
}
