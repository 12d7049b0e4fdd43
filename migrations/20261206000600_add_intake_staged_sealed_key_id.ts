import type { Knex } from 'knex';

// Which desk key sealed the text inside each staged row (issue 16), so a rotation re-seals staged rows
// too and none waits for the move sealed to a destroyed key. What it adds to an opaque row: only whether
// it was staged before or after a rotation, a date the desk chooses, and the re-sealing job rewrites
// every older row to the new key within minutes anyway.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intake_staged', (t) => {
    t.integer('sealed_key_id').nullable().references('id').inTable('desk_keys');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intake_staged', (t) => {
    t.dropColumn('sealed_key_id');
  });
}
