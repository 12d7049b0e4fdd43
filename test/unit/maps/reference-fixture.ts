import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { MapReference, StateRef } from '../../../src/public/maps/types';

// The map input built from the repository's reference CSVs, as the app builds it from its database.

const DIR = path.resolve(__dirname, '../../../reference');

function rows(file: string): Record<string, string>[] {
  return parse(readFileSync(path.join(DIR, file), 'utf8'), { columns: true, skip_empty_lines: true });
}

/** Reads states, field offices and the county split from reference/*.csv. */
export function loadMapReference(): MapReference {
  return {
    states: rows('states.csv').map((r) => ({
      usps: r.usps!,
      name: r.name!,
      fips: r.fips!,
      type: r.type as StateRef['type'],
    })),
    fieldOffices: rows('field_offices.csv').map((r) => ({
      code: r.code!,
      name: r.name!,
      city: r.city!,
      lat: Number(r.lat),
      lon: Number(r.lon),
      states: r.aor_states!.split(';'),
    })),
    splitCounties: rows('aor_split_counties.csv').map((r) => ({
      countyFips: r.county_fips!,
      officeCode: r.office_code!,
    })),
  };
}
