import { geoAlbersUsa } from 'd3-geo';
import { feature, merge, mesh } from 'topojson-client';
import type { GeometryObject, MultiPolygon, Polygon } from 'topojson-specification';
import { loadAlbersCounties, loadLonLatStates, type CountiesTopology } from './atlas';
import { compactPath } from './compact-path';
import { buildInsets } from './insets';
import { ALBERS_SCALE, ALBERS_TRANSLATE } from './layout';
import type { AreaShape, FieldOfficeRef, MapGeometry, MapReference, OfficeMarker } from './types';

// Field-office areas are unions of counties, so the one counties topology serves both views: state and
// office borders come from the same arcs and line up exactly.

/** Builds every path string both map views need; call once at start-up, since it takes tens of milliseconds. */
export function buildMapGeometry(reference: MapReference): MapGeometry {
  const counties = loadAlbersCounties();
  // The atlas is already projected, so the path generator only formats coordinates.
  const path = compactPath();
  const stateObjects = new Map(counties.objects.states.geometries.map((g) => [String(g.id), g]));

  const states: AreaShape[] = [];
  for (const s of reference.states) {
    const object = stateObjects.get(s.fips);
    if (object)
      states.push({ key: s.usps, name: s.name, d: path(feature(counties, object as GeometryObject)) });
  }

  const officeCounties = assignCounties(counties, reference);
  const offices: AreaShape[] = reference.fieldOffices.map((office) => ({
    key: office.code,
    name: office.name,
    d: path(merge(counties, officeCounties.get(office.code) ?? [])),
  }));

  const projection = geoAlbersUsa().scale(ALBERS_SCALE).translate(ALBERS_TRANSLATE);
  const officeMarkers: OfficeMarker[] = [];
  for (const office of reference.fieldOffices) {
    const point = projection([office.lon, office.lat]);
    if (point)
      officeMarkers.push({
        key: office.code,
        name: office.name,
        city: office.city,
        x: point[0],
        y: point[1],
      });
  }

  const officeOf = (usps: string): string | null => officeCovering(reference.fieldOffices, usps);
  return {
    states,
    offices,
    officeMarkers,
    insets: buildInsets(loadLonLatStates(), reference.states, officeOf),
    stateBorders: path(mesh(counties, counties.objects.states, (a, b) => a !== b)),
    nationOutline: path(feature(counties, counties.objects.nation)),
  };
}

/** The first office whose area lists the state or territory, or null (American Samoa has none). */
export function officeCovering(offices: readonly FieldOfficeRef[], usps: string): string | null {
  return offices.find((o) => o.states.includes(usps))?.code ?? null;
}

type CountyShape = Polygon | MultiPolygon;

// Gives each office its counties: every county of the states it covers whole, and for states split
// between offices only the counties the split assigns to it. A county left unassigned would leave a hole
// in the map, so a mismatch between the reference data and the atlas stops the build. Only a place the
// reference says no office covers (American Samoa, which only the unprojected atlas holds) is left out.
export function assignCounties(
  counties: CountiesTopology,
  reference: MapReference,
): Map<string, CountyShape[]> {
  const fipsOf = new Map(reference.states.map((s) => [s.usps, s.fips]));
  const splitOffice = new Map(reference.splitCounties.map((c) => [c.countyFips, c.officeCode]));
  const splitStates = new Set(reference.splitCounties.map((c) => c.countyFips.slice(0, 2)));
  const wholeStateOffice = new Map<string, string>();
  for (const office of reference.fieldOffices) {
    for (const usps of office.states) {
      const fips = fipsOf.get(usps);
      if (fips && !splitStates.has(fips)) wholeStateOffice.set(fips, office.code);
    }
  }

  const covered = new Set(reference.fieldOffices.flatMap((o) => o.states));
  const uncovered = new Set(reference.states.filter((s) => !covered.has(s.usps)).map((s) => s.fips));
  const result = new Map<string, CountyShape[]>();
  const unassigned: string[] = [];
  for (const county of counties.objects.counties.geometries) {
    const id = String(county.id);
    const stateFips = id.slice(0, 2);
    if (uncovered.has(stateFips)) continue;
    const code = splitStates.has(stateFips) ? splitOffice.get(id) : wholeStateOffice.get(stateFips);
    if (!code) {
      unassigned.push(id);
      continue;
    }
    const list = result.get(code) ?? [];
    list.push(county as CountyShape);
    result.set(code, list);
  }
  if (unassigned.length > 0) {
    throw new Error(`No field office covers these atlas counties: ${unassigned.slice(0, 20).join(', ')}`);
  }
  return result;
}
