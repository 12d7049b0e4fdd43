import type { MapReference } from '../../../src/maps/types';
import { loadTestReference } from '../../support/reference-csv';

// The map input built from the repository's reference CSVs, as the app builds it from its database.

/** States, field offices and the county split, from the one reader of reference/*.csv. */
export function loadMapReference(): MapReference {
  const reference = loadTestReference();
  return {
    states: reference.states.map((s) => ({ usps: s.usps, name: s.nameEn, fips: s.fips, type: s.type })),
    fieldOffices: reference.offices.map((o) => ({
      code: o.code,
      name: o.name,
      city: o.city,
      lat: o.lat,
      lon: o.lon,
      states: o.states,
    })),
    splitCounties: reference.splitCounties.map((c) => ({ countyFips: c.countyFips, officeCode: c.office })),
  };
}
