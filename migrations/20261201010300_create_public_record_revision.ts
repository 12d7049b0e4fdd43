import type { Knex } from 'knex';

// One counter that moves whenever the public record changes: a statement-level trigger on each of its
// tables bumps it, whatever code path wrote (the importer, the desk, an operator's psql). The public
// pages cache what they built per revision, so a change shows at once on every instance and nothing is
// rebuilt while nothing changed. It counts writes to already-public cases only, never anything about a
// report, and leaves the server only hashed (in an ETag).

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table public_record_revision (
      only_row boolean primary key default true check (only_row),
      revision bigint not null default 0
    )`);
  await knex.raw('insert into public_record_revision default values');
  await knex.raw(`
    create function bump_public_record_revision() returns trigger language plpgsql as $$
    begin
      update public_record_revision set revision = revision + 1;
      return null;
    end
    $$`);
  for (const table of ['public_cases', 'public_case_codes', 'public_case_sources']) {
    await knex.raw(
      `create trigger ${table}_revision after insert or update or delete or truncate on ${table} for each statement execute function bump_public_record_revision()`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['public_cases', 'public_case_codes', 'public_case_sources']) {
    await knex.raw(`drop trigger ${table}_revision on ${table}`);
  }
  await knex.raw('drop function bump_public_record_revision()');
  await knex.raw('drop table public_record_revision');
}
