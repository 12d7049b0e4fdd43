import type { Knex } from 'knex';

// Which desk key sealed each narrative, so a rotation can find every row still sealed to a retired key
// (issue 16). Null when there is no narrative, or for rows from before this column (the re-sealing job
// tries those with the retired key). A key id says nothing about a reporter beyond the rotation era.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reports', (t) => {
    t.integer('narrative_key_id').nullable().references('id').inTable('desk_keys');
    t.index(['narrative_key_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('reports', (t) => {
    t.dropColumn('narrative_key_id');
  });
}
