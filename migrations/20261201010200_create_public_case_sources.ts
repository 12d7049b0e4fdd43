import type { Knex } from 'knex';

// The sources of a public case: one or more links to what documented it. Each row carries its case's
// month and state (kept in step by the foreign key's ON UPDATE CASCADE), so the database itself refuses
// a second case citing the same source for the same month and state: the importer's "never duplicates
// on re-import" holds even against two imports at once or a desk edit racing one.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('public_case_sources', (t) => {
    t.increments('id').primary();
    t.integer('case_id').notNullable();
    t.date('case_month').notNullable();
    t.string('case_state', 2).notNullable();
    // Order of the sources on the page, as the desk or the file gave them.
    t.smallint('position').notNullable();
    // The URL parser's serialization of a well-formed https URL; nothing is ever fetched from it.
    t.text('url').notNullable();
    t.text('title').notNullable();
    t.text('publisher').nullable();
    // The source's own publication date: public information, and what a citation needs.
    t.date('published_on').nullable();
    t.text('kind').notNullable().checkIn(['news', 'court_record', 'foia', 'published_report', 'other']);
    t.foreign(['case_id', 'case_month', 'case_state'])
      .references(['id', 'month', 'state'])
      .inTable('public_cases')
      .onUpdate('CASCADE')
      .onDelete('CASCADE');
    t.unique(['url', 'case_month', 'case_state']);
  });
  await knex.raw(
    "alter table public_case_sources add constraint public_case_sources_https check (url like 'https://%' and length(url) <= 2048)",
  );
  await knex.schema.raw('create index public_case_sources_case on public_case_sources (case_id, position)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('public_case_sources');
}
