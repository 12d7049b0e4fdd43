import type { Knex } from 'knex';

// A desk key is retired when a rotation replaces it and destroyed once every row sealed to it has been
// re-sealed to its successor (src/accounts/rotation-job.ts). Dates only, like every date in the schema.
// destroyed_on also closes the key to intake: a submission locks its key's row and refuses a destroyed one.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('desk_keys', (t) => {
    t.date('retired_on').nullable();
    t.date('destroyed_on').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('desk_keys', (t) => {
    t.dropColumn('retired_on');
    t.dropColumn('destroyed_on');
  });
}
