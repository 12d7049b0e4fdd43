import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, merge } from 'topojson-client';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryObject } from 'topojson-specification';
import { loadLonLatCounties } from './atlas';
import { assignCounties } from './geometry';
import type { MapReference } from './types';

// The map geometry as data (/data/boundaries/*.geojson), for researchers who join a release's tables to
// shapes in R, pandas or QGIS. Built from the same atlas, the same county-to-office table and the same
// merge as the drawn maps, but from the atlas's unprojected twin: GeoJSON is longitude/latitude on
// WGS 84 (RFC 7946), and the drawn maps' Albers coordinates with Alaska and Hawaii moved would mislead.

/**
 * How the boundaries are simplified, stated on /methodology and in every data package. Visvalingam's
 * algorithm on the sphere: a point goes when the triangle it makes with its neighbours covers less than
 * this many square kilometres, about what a 1:10,000,000 source can resolve anyway. Shared borders are
 * simplified once (the atlas is a topology), so offices and states still meet exactly.
 */
export const BOUNDARY_SIMPLIFICATION_KM2 = 10;
/** Decimal places kept in coordinates: 4 is about 11 metres, finer than the source's grid. */
export const BOUNDARY_DECIMALS = 4;
const EARTH_RADIUS_KM = 6371.0088;

export interface StateProperties {
  state: string;
  name: string;
  fips: string;
}

export interface OfficeProperties {
  field_office: string;
  name: string;
  /** The states and territories the office covers, wholly or in part (USPS codes). */
  states: string[];
}

export type Area = Polygon | MultiPolygon;

export interface Boundaries {
  states: FeatureCollection<Area, StateProperties>;
  fieldOffices: FeatureCollection<Area, OfficeProperties>;
}

/** Builds both boundary collections from the atlas and the reference data; maps:build runs it. */
export function buildBoundaries(reference: MapReference): Boundaries {
  const atlas = loadLonLatCounties();
  const weight = BOUNDARY_SIMPLIFICATION_KM2 / (EARTH_RADIUS_KM * EARTH_RADIUS_KM);
  const counties = simplify(presimplify(atlas, sphericalTriangleArea), weight);
  const stateObjects = new Map(counties.objects.states.geometries.map((g) => [String(g.id), g]));
  const byKey = <T extends { key: string }>(list: T[]): T[] =>
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const states = byKey(
    reference.states.flatMap((s) => {
      const object = stateObjects.get(s.fips);
      if (!object) throw new Error(`us-atlas has no shape for ${s.usps} (FIPS ${s.fips})`);
      const shape = feature(counties, object as GeometryObject) as Feature<Area>;
      return [
        { key: s.usps, properties: { state: s.usps, name: s.name, fips: s.fips }, shape: shape.geometry },
      ];
    }),
  );
  const officeCounties = assignCounties(counties, reference);
  const offices = byKey(
    reference.fieldOffices.map((o) => ({
      key: o.code,
      properties: { field_office: o.code, name: o.name, states: [...o.states].sort() },
      shape: merge(counties, officeCounties.get(o.code) ?? []),
    })),
  );
  return {
    states: collection(states.map((s) => toFeature(s.shape, s.properties))),
    fieldOffices: collection(offices.map((o) => toFeature(o.shape, o.properties))),
  };
}

function collection<P>(features: Feature<Area, P>[]): FeatureCollection<Area, P> {
  return { type: 'FeatureCollection', features };
}

function toFeature<P>(shape: Area, properties: P): Feature<Area, P> {
  const polygons = (shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates)
    .map(cleanPolygon)
    .filter((p): p is Position[][] => p !== null);
  if (polygons.length === 0) throw new Error('a boundary lost every ring to simplification');
  const geometry: Area =
    polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0]! }
      : { type: 'MultiPolygon', coordinates: polygons };
  return { type: 'Feature', properties, geometry };
}

const FACTOR = 10 ** BOUNDARY_DECIMALS;
const round = (value: number): number => Math.round(value * FACTOR) / FACTOR;

// Rounds a polygon's rings, closes them, drops points repeated by rounding and rings that simplification
// reduced to a line (GeoJSON needs four positions and an area), and winds them as RFC 7946 asks: exterior
// rings counterclockwise, holes clockwise. Null when the exterior ring itself is gone.
function cleanPolygon(rings: Position[][]): Position[][] | null {
  const cleaned: Position[][] = [];
  for (const [index, ring] of rings.entries()) {
    const points: Position[] = [];
    for (const [lon, lat] of ring) {
      const point = [round(lon!), round(lat!)];
      const last = points[points.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) points.push(point);
    }
    // The atlas holds one ring that does not quite close (in Illinois); GeoJSON needs every ring closed.
    const [first, end] = [points[0], points[points.length - 1]];
    if (first && end && (first[0] !== end[0] || first[1] !== end[1])) points.push([...first]);
    const area = signedArea(points);
    if (points.length < 4 || area === 0) {
      if (index === 0) return null;
      continue;
    }
    const exterior = index === 0;
    cleaned.push((exterior ? area > 0 : area < 0) ? points : points.reverse());
  }
  return cleaned;
}

/** Twice the signed planar area of a closed ring in longitude/latitude: positive when counterclockwise. */
export function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    sum += x1! * y2! - x2! * y1!;
  }
  return sum;
}
