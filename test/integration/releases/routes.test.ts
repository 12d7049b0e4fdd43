import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import request from 'supertest';
import { buildSystem } from '../../../src/releases/disclosure/system';
import { runBuild } from '../../../src/releases/run-in-worker';
import { listReleases } from '../../../src/releases/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createModerator, csrfFrom, signIn } from '../../support/desk';
import { buildApprovedReport, insertTestReports } from '../../support/factories';

// The desk's release pages over HTTP: admins only, CSRF on every POST, work in the background with a page
// that refreshes itself, and the independent gate refusing what a broken suppression would publish.

let database: TestDatabase;
let testApp: TestApp;
let brokenApp: TestApp;
let admin: Awaited<ReturnType<typeof createModerator>>;
let moderator: Awaited<ReturnType<typeof createModerator>>;

// Publishes the truth for every cell of at least k, forgetting the increments and the cells it must protect.
const publishEverythingAboveK: typeof runBuild = async (input, onProgress) => {
  const honest = await runBuild(input, onProgress);
  const release = buildSystem([...input.history, input.current]).releases.at(-1)!;
  const truth = new Map(release.cells.map((c) => [`${c.table}|${JSON.stringify(c.keys)}`, c.count]));
  const cells = honest.cells.map((c) => {
    const n = truth.get(`${c.table}|${JSON.stringify(c.keys)}`)!;
    return n >= 11 ? { ...c, status: 'published' as const, value: n } : c;
  });
  return { ...honest, cells };
};

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  brokenApp = await buildTestApp(database.db, {}, { buildRelease: publishEverythingAboveK });
  admin = await createModerator(database.db, 'admin');
  moderator = await createModerator(database.db, 'moderator');
  // Georgia's 40 reports hide Vermont's 6 only if something else is withheld with it.
  await insertTestReports(database.db, [
    ...Array.from({ length: 40 }, () =>
      buildApprovedReport('2025-06-10', { state: 'GA', fieldOffice: 'ATL', incidentMonth: '2025-02-01' }),
    ),
    ...Array.from({ length: 6 }, () =>
      buildApprovedReport('2025-06-10', { state: 'VT', fieldOffice: 'BOS', incidentMonth: '2025-04-01' }),
    ),
  ]);
});
afterAll(() => database.destroy());

/** Follows a job's page until it stops refreshing itself; returns the final page. */
async function finished(agent: ReturnType<typeof request.agent>, location: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const page = await agent.get(location).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    if (!page.text.includes('http-equiv="refresh"')) return page.text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`job at ${location} did not finish`);
}

async function startJob(
  agent: ReturnType<typeof request.agent>,
  path: string,
  form: Record<string, string>,
  prefix = '',
): Promise<string> {
  const page = await agent.get(`${prefix}/moderate/releases`).expect(200);
  const response = await agent
    .post(`${prefix}${path}`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...form })
    .expect(303);
  expect(response.headers.location).toMatch(new RegExp(`^${prefix}/moderate/releases/jobs/[0-9a-f-]{36}$`));
  return response.headers.location as string;
}

describe('/moderate/releases', () => {
  const ROUTES: [method: 'get' | 'post', path: string][] = [
    ['get', '/moderate/releases'],
    ['post', '/moderate/releases/preview'],
    ['post', '/moderate/releases'],
    ['get', `/moderate/releases/jobs/${randomUUID()}`],
  ];

  it.each(ROUTES)('%s %s sends anyone signed out to the login page', async (method, path) => {
    const response = await request(testApp.app)
      [method](path)
      .type('form')
      .send({ cutoff: '2025-12-31', label: 'x' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/moderate/login');
  });

  it.each(ROUTES)('%s %s is refused to a moderator who is not an admin', async (method, path) => {
    const agent = await signIn(testApp.app, database.db, moderator);
    const page = await agent.get('/moderate').expect(200);
    const response = await agent[method](path)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), cutoff: '2025-12-31', label: 'x' });
    expect(response.status).toBe(403);
    expect(await listReleases(database.db)).toEqual([]);
  });

  it('refuses a POST without the CSRF token', async () => {
    const agent = await signIn(testApp.app, database.db, admin);
    await agent
      .post('/moderate/releases')
      .type('form')
      .send({ cutoff: '2025-12-31', label: '2025-Q4' })
      .expect(403);
    await agent.post('/moderate/releases/preview').type('form').send({ cutoff: '2025-12-31' }).expect(403);
    expect(await database.db('release_jobs')).toEqual([]);
  });

  it('answers 422 in the page language when the form is incomplete, and starts nothing', async () => {
    const agent = await signIn(testApp.app, database.db, admin, '/es');
    const page = await agent.get('/es/moderate/releases').expect(200);
    const response = await agent
      .post('/es/moderate/releases')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), cutoff: '2025-12-31', label: 'not a label!' })
      .expect(422);
    expect(response.text).toContain('Indique una fecha de corte');
    expect(response.text).toContain('value="2025-12-31"');
    await agent
      .post('/es/moderate/releases/preview')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), cutoff: '31/12/2025' })
      .expect(422);
    expect(await database.db('release_jobs')).toEqual([]);
  });

  it('previews in the background, then shows what would be withheld and why, with the information loss', async () => {
    const agent = await signIn(testApp.app, database.db, admin);
    const location = await startJob(agent, '/moderate/releases/preview', {
      cutoff: '2025-12-31',
      label: '2025-Q4',
    });
    const page = await finished(agent, location);
    expect(page).toContain('The independent auditor passed this release');
    expect(page).toMatch(/information loss: \d+ of \d+ publishable cells withheld \([\d.]+ %\)/);
    expect(page).toContain('Below the threshold');
    expect(page).toContain('Protects another cell');
    // The form to publish what was previewed, filled in.
    expect(page).toContain('value="2025-Q4"');
    expect(await listReleases(database.db)).toEqual([]);
  }, 300_000);

  it('refuses, over HTTP, what a broken suppression would publish: the failing cells, and nothing published', async () => {
    const agent = await signIn(brokenApp.app, database.db, admin);
    const location = await startJob(agent, '/moderate/releases', { cutoff: '2025-12-31', label: '2025-Q4' });
    const page = await finished(agent, location);
    expect(page).toContain('The independent auditor refused this release');
    // Vermont's 6 reports can no longer reach k: the national total minus Georgia's caps them at 6.
    expect(page).toContain(
      'level 2025-Q4 by_state state&#x3D;VT</span>: could be worked out as between 0 and 6',
    );
    expect(await listReleases(database.db)).toEqual([]);
  }, 300_000);

  it('publishes in the background with an audit row, and refuses the same label again', async () => {
    const agent = await signIn(testApp.app, database.db, admin, '/es');
    const location = await startJob(
      agent,
      '/moderate/releases',
      { cutoff: '2025-12-31', label: '2025-Q4', notes_en: 'First.', notes_es: 'Primera.' },
      '/es',
    );
    const page = await finished(agent, location);
    expect(page).toContain('La publicación 2025-Q4 está publicada.');
    expect(page).toContain('href="/es/data/releases/2025-Q4"');
    expect((await listReleases(database.db)).map((r) => [r.label, r.notesEs])).toEqual([
      ['2025-Q4', 'Primera.'],
    ]);
    const audit = await database
      .db('audit_events')
      .where({ action: 'release_published', moderator_id: admin.id });
    expect(audit).toHaveLength(1);
    // The desk's list of releases shows it, linked to its public page, with the date it was published.
    const list = await agent.get('/es/moderate/releases').expect(200);
    expect(list.headers['cache-control']).toBe('no-store');
    expect(list.text).toContain(
      '<a href="/es/data/releases/2025-Q4">2025-Q4</a></th><td>2025-12-31</td><td>2026-11-27</td><td class="num">11</td>',
    );

    const again = await startJob(
      agent,
      '/moderate/releases',
      { cutoff: '2026-06-30', label: '2025-Q4' },
      '/es',
    );
    expect(await finished(agent, again)).toContain('Ya existe una publicación con esta etiqueta.');
    expect(await listReleases(database.db)).toHaveLength(1);
  }, 300_000);

  it('answers hostile release forms with a translated 4xx, never a 500, and starts no job', async () => {
    const agent = await signIn(testApp.app, database.db, admin);
    const csrf = csrfFrom((await agent.get('/moderate/releases').expect(200)).text);
    const jobsBefore = (await database.db('release_jobs')).length;
    const notADate = fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s.trim()));
    const field = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constant('x'.repeat(5000)),
      fc.constant('__proto__'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/moderate/releases', '/moderate/releases/preview', '/es/moderate/releases'),
        fc.record({ cutoff: notADate, label: field, notes_en: field, notes_es: field }, { requiredKeys: [] }),
        async (path, form) => {
          const response = await agent
            .post(path)
            .type('form')
            .send({ _csrf: csrf, ...form });
          expect(response.status).toBe(422);
          expect(response.text).toMatch(/Please give a cutoff date|Indique una fecha de corte/);
        },
      ),
      { numRuns: 60, seed: 20261129 },
    );
    expect(await database.db('release_jobs')).toHaveLength(jobsBefore);
  });

  it('answers 404 for a job that does not exist or an id that is not one', async () => {
    const agent = await signIn(testApp.app, database.db, admin);
    await agent.get(`/moderate/releases/jobs/${randomUUID()}`).expect(404);
    await agent.get('/moderate/releases/jobs/not-an-id').expect(404);
  });
});
