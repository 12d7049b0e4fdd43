import type { Reference } from '../reference/types';
import type { MapReference } from './types';

/** The reference data in the shape the map core takes: the core knows places, not the app's tables. */
export function toMapReference(reference: Reference): MapReference {
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
