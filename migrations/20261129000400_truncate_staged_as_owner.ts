import type { Knex } from 'knex';

// The daily move empties intake_staged with TRUNCATE (its files are unlinked at commit, so no staged
// ciphertext lingers in dead tuples). TRUNCATE is a privilege a least-privilege application role does not
// have (deploy/postgres/roles.psql grants rows only), and granting it on every table would let the app
// truncate reports or the audit trail. So the owner, who runs the migrations, provides one function that
// truncates this table and nothing else. It stays executable by any role that may connect: such a role
// can already delete every staged row, so emptying the table gives it nothing new.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function truncate_intake_staged() returns void
      language sql security definer set search_path = pg_catalog, public
      as $$ truncate public.intake_staged $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop function truncate_intake_staged()');
}
