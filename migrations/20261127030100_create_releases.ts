import type { Knex } from 'knex';

// Releases: frozen snapshots of the fixed tables (DESIGN section 6). The public site reads only these.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('releases', (t) => {
    t.increments('id').primary();
    // Such as 2026-Q3; cited by researchers, so unique and never reused.
    t.text('label').notNullable().unique();
    t.date('cutoff').notNullable();
    t.integer('threshold').notNullable();
    t.date('published_on').notNullable();
    t.text('notes_en').notNullable().defaultTo('');
    t.text('notes_es').notNullable().defaultTo('');
  });
  await knex.raw(
    "alter table releases add constraint releases_label_format check (label ~ '^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$')",
  );
  await knex.schema.createTable('release_cells', (t) => {
    t.integer('release_id').notNullable().references('releases.id');
    t.text('table_name').notNullable();
    // Dimension keys; '' where the table has fewer dimensions (the national total has none).
    t.text('key1').notNullable().defaultTo('');
    t.text('key2').notNullable().defaultTo('');
    // Null exactly when suppressed: a suppressed cell's true count is never stored anywhere public.
    t.integer('value').nullable();
    t.text('status').notNullable().checkIn(['published', 'suppressed']);
    t.primary(['release_id', 'table_name', 'key1', 'key2']);
  });
  await knex.raw(
    "alter table release_cells add constraint release_cells_value_iff_published check ((status = 'published') = (value is not null))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('release_cells');
  await knex.schema.dropTable('releases');
}
