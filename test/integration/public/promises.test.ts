import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildApprovedReport, insertTestReports } from '../../support/factories';
import { insertTestRelease } from '../../support/public-release';

// Promise 6: public numbers come only from published releases. The public site never reads a report,
// and nothing it shows moves when reports are added between releases.

let database: TestDatabase;
let testApp: TestApp;

const PATHS = [
  '/',
  '/map',
  '/map?view=field_office&year=2024',
  '/map/states.svg',
  '/data',
  '/data/releases',
  '/data/releases/2026-Q3',
  '/data/releases/2026-Q3/by_state.csv',
  '/api/v1/releases',
  '/api/v1/releases/2026-Q3/tables/by_field_office',
  '/codebook',
  '/methodology',
];

beforeAll(async () => {
  database = await createTestDatabase();
  const reference = await loadReference(database.db);
  await insertTestRelease(database.db, reference, { label: '2026-Q3' });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

describe('the public site and reports', () => {
  it('never queries a reports table', async () => {
    const statements: string[] = [];
    const listener = (query: { sql: string }): void => {
      statements.push(query.sql);
    };
    database.db.on('query', listener);
    try {
      for (const path of PATHS) {
        await request(testApp.app).get(path).expect(200);
        await request(testApp.app)
          .get(`/es${path === '/' ? '/' : path}`)
          .expect(200);
      }
    } finally {
      database.db.off('query', listener);
    }
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) {
      expect(sql).toMatch(/"releases"|"release_cells"/);
      expect(sql).not.toMatch(/\breports?\b|report_codes|receipts|report_messages/);
    }
  });

  it('shows the same bytes after reports are approved between releases (no live count)', async () => {
    const before = await Promise.all(PATHS.map(async (p) => (await request(testApp.app).get(p)).text));
    await insertTestReports(
      database.db,
      Array.from({ length: 30 }, () =>
        buildApprovedReport('2026-10-01', { state: 'NC', fieldOffice: 'ATL' }),
      ),
    );
    // A fresh app, so nothing comes from a cache.
    const fresh = await buildTestApp(database.db);
    const after = await Promise.all(PATHS.map(async (p) => (await request(fresh.app).get(p)).text));
    expect(after).toEqual(before);
  });
});
