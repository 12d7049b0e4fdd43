import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport } from '../../support/factories';
import { createModerator, csrfFrom, signIn } from '../../support/desk';

let database: TestDatabase;
let testApp: TestApp;
let reportId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  await createModerator(database.db, 'admin');
  reportId = await insertReport(database.db, buildReport());
});
afterAll(() => database.destroy());

const ROUTES = (id: string): Array<[method: 'get' | 'post', path: string]> => [
  ['get', '/moderate'],
  ['post', '/moderate/approve'],
  ['get', `/moderate/reports/${id}`],
  ['post', `/moderate/reports/${id}/codes`],
  ['post', `/moderate/reports/${id}/approve`],
  ['post', `/moderate/reports/${id}/reject`],
  ['post', `/moderate/reports/${id}/duplicate`],
  ['post', `/moderate/reports/${id}/question`],
  ['get', '/moderate/password'],
  ['post', '/moderate/password'],
  ['post', '/moderate/logout'],
  ['get', '/moderate/admin/moderators'],
  ['post', '/moderate/admin/moderators'],
  ['post', '/moderate/admin/moderators/1/reset'],
  ['post', '/moderate/admin/moderators/1/role'],
  ['post', '/moderate/admin/moderators/1/status'],
  ['get', '/moderate/admin/audit'],
];
const ADMIN_ROUTES = ROUTES('x').filter(([, path]) => path.startsWith('/moderate/admin'));

describe('without a session', () => {
  it.each(
    ROUTES(randomUUID()).flatMap(
      ([method, path]) =>
        [
          [method, path],
          [method, `/es${path}`],
        ] as const,
    ),
  )('%s %s redirects to the login page and changes nothing', async (method, path) => {
    const before = await database.db('reports').where({ id: reportId }).first();
    const response = await request(testApp.app)
      [method](path)
      .type('form')
      .send({ version: '1', reason: 'spam' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(path.startsWith('/es') ? '/es/moderate/login' : '/moderate/login');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(await database.db('reports').where({ id: reportId }).first()).toEqual(before);
  });

  it('also redirects with the report id of a real report, and the page carries no report data', async () => {
    const response = await request(testApp.app).get(`/moderate/reports/${reportId}`).expect(303);
    expect(response.text).not.toContain('Vermont');
  });
});

describe('a moderator (not admin)', () => {
  let agent: Awaited<ReturnType<typeof signIn>>;
  let csrf: string;
  beforeAll(async () => {
    agent = await signIn(testApp.app, database.db, await createModerator(database.db, 'moderator'));
    csrf = csrfFrom((await agent.get('/moderate').expect(200)).text);
  });

  it.each(ADMIN_ROUTES)('gets 403 on %s %s', async (method, path) => {
    const count = await database.db('moderators').count({ n: '*' }).first();
    const response = await agent[method](path)
      .type('form')
      .send({ _csrf: csrf, username: 'intruder', role: 'admin', disabled: 'true' });
    expect(response.status).toBe(403);
    expect(await database.db('moderators').count({ n: '*' }).first()).toEqual(count);
  });

  it('does not see the admin links', async () => {
    const page = await agent.get('/moderate').expect(200);
    expect(page.text).not.toContain('/moderate/admin/');
  });
});

describe('moderation pages', () => {
  it('use no inline script or style and the same CSP', async () => {
    const agent = await signIn(testApp.app, database.db, await createModerator(database.db, 'admin'));
    for (const path of [
      '/moderate',
      `/moderate/reports/${reportId}`,
      '/moderate/admin/moderators',
      '/moderate/admin/audit',
      '/es/moderate/password',
      '/moderate/login',
    ]) {
      const client = path === '/moderate/login' ? request(testApp.app) : agent;
      const response = await client.get(path).expect(200);
      expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(response.text).not.toMatch(/\sstyle=|<style/);
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });
});
