import type { Knex } from 'knex';

// Reports and their codes. Privacy by schema: no column can hold a time of day, an address, a name or
// anything about the reporter's browser; dates are calendar dates and the incident is a month.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reports', (t) => {
    // Random, so ids reveal neither order nor count of submissions.
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('status')
      .notNullable()
      .defaultTo('pending')
      .checkIn(['pending', 'needs_info', 'approved', 'rejected', 'duplicate']);
    t.string('state', 2).notNullable().references('states.usps');
    // Null means "don't know" where the state does not settle it.
    t.string('field_office', 3).nullable();
    // Month only: an exact date narrows the reporter to a handful of people.
    t.date('incident_month').notNullable();
    t.text('target_role').notNullable();
    t.text('target_role_kind').notNullable().defaultTo('target_role').checkIn(['target_role']);
    // The reporter agreed that the coded answers may be counted in published aggregates.
    t.boolean('consent_to_count').notNullable();
    // A date, never a time: a timestamp could be matched against network logs.
    t.date('received_on').notNullable();
    // Sealed to the moderation desk's public key (promise 5); null when no narrative was given or after retention.
    t.binary('narrative_sealed').nullable();
    t.text('decision_reason')
      .nullable()
      .checkIn(['spam', 'not_retaliation', 'insufficient', 'duplicate', 'other']);
    t.date('decision_on').nullable();
    t.uuid('duplicate_of').nullable().references('reports.id').onDelete('SET NULL');
    // Optimistic concurrency for two moderators editing one report.
    t.integer('version').notNullable().defaultTo(1);
    t.foreign(['field_office', 'state']).references(['office', 'state']).inTable('field_office_areas');
    t.foreign(['target_role_kind', 'target_role']).references(['kind', 'code']).inTable('codes');
  });
  await knex.raw(
    'alter table reports add constraint reports_incident_month_first_day check (extract(day from incident_month) = 1)',
  );
  await knex.raw(
    "alter table reports add constraint reports_decision_when_final check ((status in ('pending', 'needs_info')) = (decision_on is null))",
  );
  await knex.schema.raw('create index reports_status_received on reports (status, received_on)');
  await knex.schema.raw(
    "create index reports_approved_decision on reports (decision_on) where status = 'approved'",
  );

  // Multi-valued codes (actions, activism, evidence) in one join table keyed by kind.
  await knex.schema.createTable('report_codes', (t) => {
    t.uuid('report_id').notNullable().references('reports.id').onDelete('CASCADE');
    t.text('kind').notNullable().checkIn(['action_type', 'activism_type', 'evidence_type']);
    t.text('code').notNullable();
    t.primary(['report_id', 'kind', 'code']);
    t.foreign(['kind', 'code']).references(['kind', 'code']).inTable('codes');
  });
  await knex.schema.raw('create index report_codes_kind_code on report_codes (kind, code)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_codes');
  await knex.schema.dropTable('reports');
}
