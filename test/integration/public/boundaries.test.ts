import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import request from 'supertest';
import { toMapReference } from '../../../src/maps/reference';
import { buildBoundaries, signedArea } from '../../../src/maps/boundaries';
import { loadBoundaries } from '../../../src/maps/prebuilt';
import type { MapReference } from '../../../src/maps/types';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';

// The map geometry as data: valid GeoJSON (RFC 7946) that joins to the tables on their codes, built at
// maps:build time from the same topology as the maps, and never served stale.

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;
let mapReference: MapReference;

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  mapReference = toMapReference(reference);
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

type Area = Feature<Polygon | MultiPolygon, Record<string, unknown>>;
const polygonsOf = (f: Area): Position[][][] =>
  f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
const areaOf = (f: Area): number =>
  polygonsOf(f).reduce((sum, p) => sum + p.reduce((s, ring) => s + signedArea(ring), 0), 0);

type Collection = FeatureCollection<Polygon | MultiPolygon, Record<string, unknown>>;

async function collection(path: string): Promise<Collection> {
  const response = await request(testApp.app).get(path).expect(200);
  expect(response.headers['content-type']).toBe('application/geo+json');
  return JSON.parse(response.text) as Collection;
}

// What RFC 7946 asks of every polygon: closed rings of four or more positions, in range, exterior rings
// counterclockwise and holes clockwise.
function expectValidGeoJson(fc: Collection): void {
  expect(fc.type).toBe('FeatureCollection');
  for (const f of fc.features as Area[]) {
    expect(f.type).toBe('Feature');
    expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    for (const polygon of polygonsOf(f)) {
      polygon.forEach((ring, i) => {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]);
        for (const [lon, lat] of ring) {
          expect(Math.abs(lon!)).toBeLessThanOrEqual(180);
          expect(Math.abs(lat!)).toBeLessThanOrEqual(90);
        }
        expect(i === 0 ? signedArea(ring) > 0 : signedArea(ring) < 0).toBe(true);
      });
    }
  }
}

describe('GET /data/boundaries/*.geojson', () => {
  it("serves the 56 states and territories, keyed by the tables' state codes", async () => {
    const states = await collection('/data/boundaries/states.geojson');
    expectValidGeoJson(states);
    expect(states.features.map((f) => String(f.properties.state)).sort()).toEqual(
      reference.states.map((s) => s.usps).sort(),
    );
    expect(states.features).toHaveLength(56);
    const texas = states.features.find((f) => f.properties.state === 'TX')!;
    expect(texas.properties).toEqual({ state: 'TX', name: 'Texas', fips: '48' });
  });

  it('serves the 25 field offices, dissolved from counties where states are split, covering what the states cover', async () => {
    const offices = await collection('/data/boundaries/field-offices.geojson');
    expectValidGeoJson(offices);
    expect(offices.features).toHaveLength(25);
    const houston = offices.features.find((f) => f.properties.field_office === 'HOU')!;
    expect(houston.properties).toEqual({ field_office: 'HOU', name: 'Houston Field Office', states: ['TX'] });
    // Texas's five offices together are Texas; every office is a fraction of it.
    const states = await collection('/data/boundaries/states.geojson');
    const texas = areaOf(states.features.find((f) => f.properties.state === 'TX') as Area);
    const inTexas = offices.features.filter((f) => (f.properties.states as string[]).join() === 'TX');
    expect(inTexas.map((f) => String(f.properties.field_office)).sort()).toEqual(['HLG', 'HOU', 'SNA']);
    for (const f of inTexas) expect(areaOf(f)).toBeLessThan(texas * 0.6);
    // All offices cover every state but American Samoa (the atlas's own borders overlap by a hair).
    const officesTotal = offices.features.reduce((s, f) => s + areaOf(f), 0);
    const statesTotal = states.features
      .filter((f) => f.properties.state !== 'AS')
      .reduce((s, f) => s + areaOf(f), 0);
    expect(Math.abs(officesTotal - statesTotal) / statesTotal).toBeLessThan(1e-4);
  });

  it('is the same file under /es, cached and compressed like every public file', async () => {
    const english = await request(testApp.app).get('/data/boundaries/states.geojson');
    const spanish = await request(testApp.app).get('/es/data/boundaries/states.geojson');
    expect(spanish.text).toBe(english.text);
    expect(english.headers.etag).toMatch(/^"[\w.-]+"$/);
    await request(testApp.app)
      .get('/data/boundaries/states.geojson')
      .set('If-None-Match', english.headers.etag as string)
      .expect(304);
    expect(english.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    ['/data/boundaries/counties.geojson', 404, 'There is no boundary file by that name'],
    ['/es/data/boundaries/states.json', 404, 'No hay ningún archivo de límites'],
    ['/data/boundaries/states.geojson?simplify=0', 400, 'The address has a parameter'],
  ])('%s answers %d with a translated explanation', async (path, status, text) => {
    expect((await request(testApp.app).get(path).expect(status)).text).toContain(text);
  });
});

describe('the prebuilt boundaries', () => {
  it('are what the app would build from its reference data (if not: npm run maps:build)', () => {
    const loaded = loadBoundaries(mapReference);
    expect(loaded.prebuilt).toBe(true);
    expect(loaded.boundaries).toEqual(buildBoundaries(mapReference));
  });

  it('are built on the spot when the file does not fit', () => {
    const loaded = loadBoundaries(mapReference, '/nonexistent/boundaries.prebuilt.json');
    expect(loaded.prebuilt).toBe(false);
    expect(loaded.boundaries.fieldOffices.features).toHaveLength(25);
  });
});
