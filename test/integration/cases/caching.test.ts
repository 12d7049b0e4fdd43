import request from 'supertest';
import { seedDemoCases } from '../../../seeds/demo-cases';
import { createCases, type Cases } from '../../../src/cases/service';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { rawCase } from '../../unit/cases/support';

// The record's pages are built once per revision and revalidated by ETag, yet a change (through the
// service or straight in SQL) shows on the next request, and the ETag never gives away a write counter.

let database: TestDatabase;
let testApp: TestApp;
let cases: Cases;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCases(database.db, { NODE_ENV: 'test' });
  cases = createCases({
    db: database.db,
    reference: await loadReference(database.db),
    today: () => new Date('2026-11-27T00:00:00Z'),
  });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const PATHS = [
  '/cases',
  '/es/cases/1',
  '/cases/map?view=field_office',
  '/cases.csv',
  '/api/v1/cases',
  '/cases/map/states.svg',
];

describe('caching the public record', () => {
  it.each(PATHS)('%s answers 304 to its own ETag, which is a hash and not a counter', async (path) => {
    const first = await request(testApp.app).get(path).expect(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"cases-[A-Za-z0-9_-]{16}(-[A-Za-z0-9_-]{8})?(-(br|gzip))?"$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    await request(testApp.app).get(path).set('If-None-Match', etag).expect(304);
  });

  it('sends the list compressed when the client accepts it', async () => {
    const response = await request(testApp.app).get('/cases').set('Accept-Encoding', 'br').expect(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.text).toContain('Documented public cases');
  });

  it('shows a desk change on the next request, with a new ETag', async () => {
    const before = await request(testApp.app).get('/cases?state=OR').expect(200);
    expect(before.text).toContain('No documented case matches these filters.');
    const created = await cases.create(
      null,
      rawCase({ state: 'OR', summaryEn: 'Synthetic example: Oregon.' }),
    );
    expect(created.ok).toBe(true);
    const after = await request(testApp.app)
      .get('/cases?state=OR')
      .set('If-None-Match', String(before.headers.etag))
      .expect(200);
    expect(after.text).toContain('Synthetic example: Oregon.');
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('moves the revision on a write made straight in SQL, as an operator might', async () => {
    const before = await cases.revision();
    await database
      .db('public_cases')
      .where({ id: 1 })
      .update({ summary_en: 'Synthetic example: corrected by hand.' });
    expect(await cases.revision()).toBeGreaterThan(before);
    expect((await request(testApp.app).get('/cases/1').expect(200)).text).toContain('corrected by hand');
  });
});
