import type { Knex } from 'knex';

// The public record: cases already documented in news, court filings and reports. A collection of its own,
// apart from the anonymous reports: no key here points at a report and no report points here, so neither
// dataset can be counted in the other (releases read reports only; the public record reads these only).
// Codes are held to the codebook by foreign keys, as reports' are.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('public_cases', (t) => {
    // A plain serial: everything about a public case is public, its place in the list included.
    t.increments('id').primary();
    // The month of the incident (first of the month), the granularity of the codebook and of the reports,
    // so the two datasets line up by year; the sources carry their exact publication dates.
    t.date('month').notNullable();
    t.string('state', 2).notNullable();
    // Null where the state is split between offices and the sources do not settle which one.
    t.string('field_office', 3).nullable();
    t.text('target_role').notNullable();
    t.text('target_role_kind').notNullable().defaultTo('target_role').checkIn(['target_role']);
    // Written by the desk from the public sources; never text from a sealed narrative.
    t.text('summary_en').notNullable();
    t.text('summary_es').nullable();
    // A retracted case stays visible, marked so, with the desk's reason (never deleted: it was public).
    t.date('retracted_on').nullable();
    t.text('retraction_reason_en').nullable();
    t.text('retraction_reason_es').nullable();
    // Optimistic concurrency for two admins editing one case.
    t.integer('version').notNullable().defaultTo(1);
    t.foreign('state').references('usps').inTable('states');
    t.foreign(['field_office', 'state']).references(['office', 'state']).inTable('field_office_areas');
    t.foreign(['target_role_kind', 'target_role']).references(['kind', 'code']).inTable('codes');
    // The sources table keys its uniqueness on (url, month, state) through this triple.
    t.unique(['id', 'month', 'state']);
  });
  await knex.raw(
    'alter table public_cases add constraint public_cases_month_first_day check (extract(day from month) = 1)',
  );
  await knex.raw(
    'alter table public_cases add constraint public_cases_retraction_has_reason check ((retracted_on is null) = (retraction_reason_en is null))',
  );
  await knex.raw(
    'alter table public_cases add constraint public_cases_summary_present check (length(btrim(summary_en)) > 0)',
  );
  await knex.schema.raw('create index public_cases_month on public_cases (month desc, id desc)');

  // Action and activism types, several per case, each one a code of the codebook.
  await knex.schema.createTable('public_case_codes', (t) => {
    t.integer('case_id').notNullable().references('public_cases.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['action_type', 'activism_type']);
    t.text('code').notNullable();
    t.primary(['case_id', 'kind', 'code']);
    t.foreign(['kind', 'code']).references(['kind', 'code']).inTable('codes');
  });
  await knex.schema.raw('create index public_case_codes_kind_code on public_case_codes (kind, code)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('public_case_codes');
  await knex.schema.dropTable('public_cases');
}
