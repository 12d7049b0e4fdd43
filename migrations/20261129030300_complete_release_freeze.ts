import type { Knex } from 'knex';

// Releases are never edited, and the database says so for every way of editing (the first freeze covered
// UPDATE and DELETE): cells can be added to a release only in the transaction that creates it, and neither
// table can be truncated. A cited number can then only change by someone dropping these triggers.

export async function up(knex: Knex): Promise<void> {
  // The release row's xmin is the creating transaction's id; pg_current_xact_id() is that of the current
  // (top-level) transaction, as a 64-bit value whose low 32 bits are the xid.
  await knex.raw(`
    create function refuse_cells_of_published_release() returns trigger language plpgsql as $$
    begin
      if not exists (
        select 1 from releases
         where id = new.release_id
           and xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text
      ) then
        raise exception 'releases are frozen: cells cannot be added to release %', new.release_id using errcode = 'P0001';
      end if;
      return new;
    end
    $$`);
  await knex.raw(
    'create trigger release_cells_insert_frozen before insert on release_cells for each row execute function refuse_cells_of_published_release()',
  );
  await knex.raw(
    'create trigger releases_truncate_frozen before truncate on releases for each statement execute function refuse_release_change()',
  );
  await knex.raw(
    'create trigger release_cells_truncate_frozen before truncate on release_cells for each statement execute function refuse_release_change()',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop trigger release_cells_truncate_frozen on release_cells');
  await knex.raw('drop trigger releases_truncate_frozen on releases');
  await knex.raw('drop trigger release_cells_insert_frozen on release_cells');
  await knex.raw('drop function refuse_cells_of_published_release()');
}
