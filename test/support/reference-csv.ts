import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CodeKind, Reference } from '../../src/reference/types';

// The one reader of reference/*.csv in the tests: the reference data as the migrations load it, for tests
// and benches without a database. Every other shape a test needs (the map input, the release universe, the
// demo seed's input) is derived from loadTestReference(), so no second parser can drift from this one.

const DIR = path.resolve(__dirname, '../../reference');
type Row = Record<string, string>;
const rows = (file: string): Row[] =>
  parse<Row>(readFileSync(path.join(DIR, file)), { columns: true, skip_empty_lines: true, trim: true });

/** Reference data from the repository's CSV files (a fresh copy each call: callers may change theirs). */
export function loadTestReference(): Reference {
  const stateRows = rows('states.csv');
  const fipsToUsps = new Map(stateRows.map((r) => [r.fips!, r.usps!]));
  const splits = rows('aor_split_counties.csv');
  const positions = new Map<string, number>();
  return {
    states: stateRows.map((r) => ({
      usps: r.usps!,
      nameEn: r.name!,
      fips: r.fips!,
      type: r.type as 'state',
    })),
    offices: rows('field_offices.csv').map((r) => ({
      code: r.code!,
      name: r.name!,
      city: r.city!,
      state: r.state!,
      lat: Number(r.lat),
      lon: Number(r.lon),
      states: r.aor_states!.split(';'),
    })),
    areas: [],
    splitCounties: splits.map((r) => ({
      countyFips: r.county_fips!,
      countyName: r.county_name!,
      state: fipsToUsps.get(r.state_fips!)!,
      office: r.office_code!,
    })),
    codes: rows('taxonomy.csv').map((r) => {
      const position = (positions.get(r.kind!) ?? 0) + 1;
      positions.set(r.kind!, position);
      return {
        kind: r.kind as CodeKind,
        code: r.code!,
        position,
        labelEn: r.label_en!,
        definitionEn: r.definition_en!,
      };
    }),
  };
}
