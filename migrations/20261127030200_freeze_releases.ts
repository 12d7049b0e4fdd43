import type { Knex } from 'knex';

// Releases are never edited: corrections go into the next one. The database itself refuses updates and
// deletes of releases and their cells, so no code path (or operator typo) can rewrite a cited number.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function refuse_release_change() returns trigger language plpgsql as $$
    begin
      raise exception 'releases are frozen: % on % refused', tg_op, tg_table_name using errcode = 'P0001';
    end
    $$`);
  await knex.raw(
    'create trigger releases_frozen before update or delete on releases for each row execute function refuse_release_change()',
  );
  await knex.raw(
    'create trigger release_cells_frozen before update or delete on release_cells for each row execute function refuse_release_change()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger release_cells_frozen on release_cells');
  await knex.raw('drop trigger releases_frozen on releases');
  await knex.raw('drop function refuse_release_change()');
}
