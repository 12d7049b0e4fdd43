import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';

// Loads the reference data from the CSV files kept in the repository (copied from the project's shared
// reference folder, plus the Spanish names and definitions we translated). Data, not schema: its own file.

type Row = Record<string, string>;

// The reference folder at the project root, found by walking up: the same from migrations/ under tsx and
// from the compiled dist/migrations/.
function referenceDir(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'reference', 'states.csv'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('reference data folder not found');
    dir = parent;
  }
  return path.join(dir, 'reference');
}

function readCsv(name: string): Row[] {
  const file = path.join(referenceDir(), name);
  return parse<Row>(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true });
}

function byKey(rows: Row[], key: (row: Row) => string): Map<string, Row> {
  return new Map(rows.map((row) => [key(row), row]));
}

function required(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new Error(`reference data: missing ${what}`);
  return value;
}

export async function up(knex: Knex): Promise<void> {
  const statesEs = byKey(readCsv('states_es.csv'), (row) => required(row.usps, 'usps'));
  const states = readCsv('states.csv');
  await knex('states').insert(
    states.map((row) => ({
      usps: row.usps,
      name_en: row.name,
      name_es: required(statesEs.get(required(row.usps, 'usps'))?.name_es, `Spanish name of ${row.usps}`),
      fips: row.fips,
      type: row.type,
    })),
  );

  const offices = readCsv('field_offices.csv');
  await knex('field_offices').insert(
    offices.map((row) => ({
      code: row.code,
      name: row.name,
      city: row.city,
      state: row.state,
      lat: row.lat,
      lon: row.lon,
    })),
  );

  const splits = readCsv('aor_split_counties.csv');
  const fipsToUsps = new Map(states.map((row) => [row.fips, row.usps]));
  const splitStates = new Set(splits.map((row) => fipsToUsps.get(required(row.state_fips, 'state_fips'))));
  await knex('field_office_areas').insert(
    offices.flatMap((office) =>
      required(office.aor_states, `states of ${office.code}`)
        .split(';')
        .map((state) => ({ office: office.code, state, whole_state: !splitStates.has(state) })),
    ),
  );
  await knex.batchInsert(
    'aor_split_counties',
    splits.map((row) => ({
      county_fips: row.county_fips,
      county_name: row.county_name,
      state: required(fipsToUsps.get(required(row.state_fips, 'state_fips')), `state of ${row.county_fips}`),
      office: row.office_code,
    })),
    200,
  );

  const definitionsEs = byKey(readCsv('taxonomy_es.csv'), (row) => `${row.kind}/${row.code}`);
  const codes = readCsv('taxonomy.csv');
  const positions = new Map<string, number>();
  await knex('codes').insert(
    codes.map((row) => {
      const kind = required(row.kind, 'kind');
      const position = (positions.get(kind) ?? 0) + 1;
      positions.set(kind, position);
      return {
        kind,
        code: row.code,
        position,
        label_en: row.label_en,
        label_es: row.label_es,
        definition_en: row.definition_en,
        definition_es: required(
          definitionsEs.get(`${kind}/${row.code}`)?.definition_es,
          `definition of ${row.code}`,
        ),
      };
    }),
  );
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['codes', 'aor_split_counties', 'field_office_areas', 'field_offices', 'states']) {
    await knex(table).del();
  }
}
