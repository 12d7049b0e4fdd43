import request from 'supertest';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport } from '../../support/factories';
import { createModerator, signIn } from '../../support/desk';

// Issue 16, item 5: the desk's own numbers (queue length, oldest wait in days, decisions per week), for
// signed-in moderators only. Today is Friday 2026-11-27 in the test app; weeks start on Monday.

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  const add = (overrides: Parameters<typeof buildReport>[0]) =>
    insertReport(database.db, buildReport(overrides));
  await add({ receivedOn: '2026-11-07' });
  await add({ receivedOn: '2026-11-20', status: 'needs_info' });
  await add({ status: 'approved', decisionOn: '2026-11-24' });
  await add({ status: 'rejected', decisionOn: '2026-11-23', decisionReason: 'spam' });
  await add({ status: 'duplicate', decisionOn: '2026-11-22', decisionReason: 'duplicate' });
  await add({ status: 'approved', decisionOn: '2026-08-01' });
});
afterAll(() => database.destroy());

describe('GET /moderate/numbers', () => {
  it('shows the queue length, the oldest wait in days and twelve weeks of decisions', async () => {
    const agent = await signIn(testApp.app, database.db, await createModerator(database.db, 'moderator'));
    const page = await agent.get('/moderate/numbers').expect(200);
    expect(page.text).toContain('data-number="queue">2<');
    expect(page.text).toContain('received 20 days ago');
    const weeks = [
      ...page.text.matchAll(/<tr data-week="([\d-]+)"><th scope="row">[\d-]+<\/th><td>(\d+)</g),
    ].map((match) => [match[1], Number(match[2])]);
    expect(weeks).toHaveLength(12);
    expect(weeks[0]).toEqual(['2026-09-07', 0]);
    expect(weeks.slice(-2)).toEqual([
      ['2026-11-16', 1],
      ['2026-11-23', 2],
    ]);
    expect(weeks.reduce((sum, [, n]) => sum + Number(n), 0)).toBe(3);
    expect(page.headers['cache-control']).toBe('no-store');
    const spanish = await agent.get('/es/moderate/numbers').expect(200);
    expect(spanish.text).toContain('recibido hace 20 días');
  });

  it('is for signed-in moderators only', async () => {
    const anonymous = await request(testApp.app).get('/moderate/numbers').expect(303);
    expect(anonymous.headers.location).toBe('/moderate/login');
    await request(testApp.app).get('/numbers').expect(404);
  });
});
