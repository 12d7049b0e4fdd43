import fc from 'fast-check';
import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';

// The public can only select published cells: anything else in an address is a 400 (bad parameter) or
// a 404 (no such release or table), in the page's language, and never a 500.

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  const reference = await loadReference(database.db);
  await insertTestRelease(database.db, reference, { label: '2026-Q3' });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const DATA_ROUTES = [
  '/map',
  '/map/states.svg',
  '/map/field-offices.svg',
  '/map/shapes.svg',
  '/data',
  '/data/releases',
  '/data/releases/2026-Q3',
  '/data/releases/2026-Q3/by_state.csv',
  '/data/releases/2026-Q3/all.zip',
  '/data/releases/2026-Q3/datapackage.json',
  '/data/releases/2026-Q3/codebook.csv',
  '/data/releases/2026-Q3/changes',
  '/data/releases/2026-Q3/changes.csv',
  '/data/releases.atom',
  '/data/boundaries/states.geojson',
  '/data/boundaries/field-offices.geojson',
  '/api/v1/releases',
  '/api/v1/releases/2026-Q3/tables/by_state',
];

// Query strings built from pieces a fuzzer or an attacker would try: known names with odd values,
// unknown names, repeated names, bracket syntax, broken percent-escapes, control and non-ASCII text.
const piece = fc.oneof(
  fc.constantFrom(
    'release',
    'view',
    'year',
    'action',
    'filter',
    'compare',
    '__proto__',
    'constructor',
    'a[b]',
    'release[]',
  ),
  fc.constantFrom(
    '2026-Q3',
    'state',
    'field_office',
    '2024',
    'arrest',
    'year:2024',
    'previous',
    '',
    '%',
    '%E0%A4%A',
    '%00',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map(encodeURIComponent),
);
const queryString = fc
  .array(fc.tuple(piece, fc.option(piece, { nil: undefined })), { minLength: 1, maxLength: 5 })
  .map((pairs) => pairs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&'));

describe('hostile query strings on every data route', () => {
  it.each(DATA_ROUTES)('%s answers 2xx/3xx, 400 or 404, never 5xx (property)', async (route) => {
    await fc.assert(
      fc.asyncProperty(queryString, fc.boolean(), async (query, spanish) => {
        const response = await request(testApp.app).get(`${spanish ? '/es' : ''}${route}?${query}`);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect([400, 404]).toContain(response.status);
      }),
      { numRuns: 40 },
    );
  });

  it.each([
    ['/map?foo=1', 400, 'The address has a parameter'],
    ['/es/map?foo=1', 400, 'La dirección tiene un parámetro'],
    ['/map?year=2024&action=arrest', 400, 'not both'],
    ['/map?view=county', 400, 'not valid here'],
    ['/map?year=1850', 400, 'no table for that year'],
    ['/es/map?action=nope', 400, 'no tiene tabla para ese tipo de acción'],
    ['/map?release=1999-Q1', 404, 'There is no release with that label'],
    ['/map?compare=previous', 404, 'This is the first release'],
    ['/map?compare=Previous', 400, 'not valid here'],
    ['/es/map/states.svg?compare=previous&compare=previous', 400, 'no es válido aquí'],
    ['/data/releases/1999-Q1/changes', 404, 'There is no release with that label'],
    ['/data/releases.atom?lang=es', 400, 'The address has a parameter'],
    ['/data/boundaries/..%2Fmaps%2Fboundaries.prebuilt.json', 404, 'There is no boundary file by that name'],
    ['/map?release=..%2F..%2Fetc', 400, 'not valid here'],
    ['/map?release=2026-Q3&release=2026-Q3', 400, 'not valid here'],
    ['/map/states.svg?view=field_office', 404, 'one kind of area'],
    ['/map/shapes.svg?v=../../etc', 400, 'not valid here'],
    ['/map/shapes.svg?release=2026-Q3', 400, 'The address has a parameter'],
    ['/data?release=2026-Q3', 400, 'The address has a parameter'],
    ['/data/releases/%E0%A4%A', 400, 'Something in the address or the form was not valid'],
    ['/data/releases/<script>', 404, 'There is no release'],
    ['/data/releases/2026-Q3/..%2F..%2Fpackage.json', 404, 'A release has no table by that name'],
  ])('%s answers %d with a translated explanation', async (path, status, text) => {
    const response = await request(testApp.app).get(path).expect(status);
    expect(response.text).toContain(text);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    '/data/releases',
    '/data/releases/2026-Q3',
    '/data/releases/2026-Q3/changes',
    '/data/boundaries',
    '/api/v1/releases/2026-Q3/tables/by_state',
  ])('answers random path segments under %s with 400 or 404 (property)', async (base) => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }), async (segment) => {
        const response = await request(testApp.app).get(`${base}/${encodeURIComponent(segment)}`);
        expect([400, 404]).toContain(response.status);
      }),
      { numRuns: 40 },
    );
  });
});
