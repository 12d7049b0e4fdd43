import type { Db } from '../platform/db';
import type { Code, CodeKind, FieldOffice, OfficeArea, Reference, SplitCounty, State } from './types';

/** Reads all reference tables, mapped from snake_case rows in this one place. */
export async function loadReference(db: Db): Promise<Reference> {
  const [stateRows, officeRows, areaRows, countyRows, codeRows] = await Promise.all([
    db('states').select('usps', 'name_en', 'fips', 'type').orderBy('name_en'),
    db('field_offices').select('code', 'name', 'city', 'state', 'lat', 'lon').orderBy('name'),
    db('field_office_areas').select('office', 'state', 'whole_state').orderBy(['office', 'state']),
    db('aor_split_counties').select('county_fips', 'county_name', 'state', 'office').orderBy(['county_name', 'county_fips']),
    db('codes').select('kind', 'code', 'position', 'label_en', 'definition_en').orderBy(['kind', 'position']),
  ]);
  const areas: OfficeArea[] = areaRows.map((row: Record<string, unknown>) => ({
    office: String(row.office),
    state: String(row.state),
    wholeState: Boolean(row.whole_state),
  }));
  const states: State[] = stateRows.map((row: Record<string, unknown>) => ({
    usps: String(row.usps),
    nameEn: String(row.name_en),
    fips: String(row.fips),
    type: row.type as State['type'],
  }));
  const offices: FieldOffice[] = officeRows.map((row: Record<string, unknown>) => ({
    code: String(row.code),
    name: String(row.name),
    city: String(row.city),
    state: String(row.state),
    lat: Number(row.lat),
    lon: Number(row.lon),
    states: areas.filter((area) => area.office === row.code).map((area) => area.state),
  }));
  const splitCounties: SplitCounty[] = countyRows.map((row: Record<string, unknown>) => ({
    countyFips: String(row.county_fips),
    countyName: String(row.county_name),
    state: String(row.state),
    office: String(row.office),
  }));
  const codes: Code[] = codeRows.map((row: Record<string, unknown>) => ({
    kind: row.kind as CodeKind,
    code: String(row.code),
    position: Number(row.position),
    labelEn: String(row.label_en),
    definitionEn: String(row.definition_en),
  }));
  return { states, offices, areas, splitCounties, codes };
}
