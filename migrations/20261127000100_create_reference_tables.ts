import type { Knex } from 'knex';

// Reference tables: states and territories, ICE field offices, which office covers which state (and, for
// states split between offices, which counties), and the four code lists. Filled by the next migration.

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('states', (t) => {
    t.string('usps', 2).primary();
    t.text('name_en').notNullable();
    t.text('name_es').notNullable();
    t.string('fips', 2).notNullable().unique();
    t.text('type').notNullable().checkIn(['state', 'district', 'territory']);
  });
  await knex.schema.createTable('field_offices', (t) => {
    t.string('code', 3).primary();
    t.text('name').notNullable();
    t.text('city').notNullable();
    t.string('state', 2).notNullable().references('states.usps');
    t.decimal('lat', 8, 4).notNullable();
    t.decimal('lon', 8, 4).notNullable();
  });
  await knex.schema.createTable('field_office_areas', (t) => {
    t.string('office', 3).notNullable().references('field_offices.code');
    t.string('state', 2).notNullable().references('states.usps');
    // False where the state is split between offices by county (TX, CA, NY).
    t.boolean('whole_state').notNullable();
    t.primary(['office', 'state']);
  });
  await knex.schema.createTable('aor_split_counties', (t) => {
    t.string('county_fips', 5).primary();
    t.text('county_name').notNullable();
    t.string('state', 2).notNullable().references('states.usps');
    t.string('office', 3).notNullable();
    t.foreign(['office', 'state']).references(['office', 'state']).inTable('field_office_areas');
  });
  await knex.schema.createTable('codes', (t) => {
    t.text('kind').notNullable().checkIn(['action_type', 'activism_type', 'evidence_type', 'target_role']);
    t.text('code').notNullable();
    t.integer('position').notNullable();
    t.text('label_en').notNullable();
    t.text('label_es').notNullable();
    t.text('definition_en').notNullable();
    t.text('definition_es').notNullable();
    t.primary(['kind', 'code']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['codes', 'aor_split_counties', 'field_office_areas', 'field_offices', 'states']) {
    await knex.schema.dropTable(table);
  }
}
