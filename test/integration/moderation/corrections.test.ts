import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport } from '../../support/factories';
import { createModerator, csrfFrom, signIn } from '../../support/desk';

// Issue 16, item 3: a decided report can be corrected until the next release's cutoff, never after (a
// report counted in a published release stays as it was), and every correction is audited.

let database: TestDatabase;
let testApp: TestApp;
let agent: Awaited<ReturnType<typeof signIn>>;
let counted: string;
let open: string;
let rejected: string;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  const admin = await createModerator(database.db, 'admin');
  agent = await signIn(testApp.app, database.db, admin);
  await database
    .db('releases')
    .insert({ label: '2026-Q2', cutoff: '2026-06-30', threshold: 11, published_on: '2026-07-05' });
  const decided = (decisionOn: string, status: 'approved' | 'rejected' = 'approved') =>
    buildReport({ status, decisionOn, decisionReason: status === 'rejected' ? 'spam' : null });
  counted = await insertReport(database.db, decided('2026-06-30'));
  open = await insertReport(database.db, decided('2026-07-10'));
  rejected = await insertReport(database.db, decided('2026-08-01', 'rejected'));
});
afterAll(() => database.destroy());

const row = (id: string) => database.db('reports').where({ id }).first();

async function correct(
  id: string,
  status: number,
  changes: Record<string, string | string[]> = {},
  version?: string,
) {
  const page = await agent.get(`/moderate/decided/${open}`).expect(200);
  const current = (await row(id)) as { version: number };
  return agent
    .post(`/moderate/decided/${id}/codes`)
    .type('form')
    .send({
      _csrf: csrfFrom(page.text),
      version: version ?? String(current.version),
      state: 'VT',
      field_office: 'BOS',
      month: '2026-01',
      role: 'organizer',
      action: ['surveillance'],
      activism: ['organizing'],
      evidence: ['court_record'],
      ...changes,
    })
    .expect(status);
}

describe('correcting decided reports', () => {
  it('lists only those decided after the latest release’s cutoff, in both languages', async () => {
    const page = await agent.get('/moderate/decided').expect(200);
    expect(page.text).toContain(`data-report="${open}"`);
    expect(page.text).toContain(`data-report="${rejected}"`);
    expect(page.text).not.toContain(counted);
    expect(page.text).toContain('decided after 2026-06-30');
    const spanish = await agent.get('/es/moderate/decided').expect(200);
    expect(spanish.text).toContain('Reportes decididos');
  });

  it('corrects one, keeps its decision, and audits the fields changed without their values', async () => {
    const before = await row(open);
    await correct(open, 303, { state: 'MA', action: ['surveillance', 'arrest'] });
    const after = await row(open);
    expect(after).toMatchObject({ state: 'MA', status: 'approved', version: before.version + 1 });
    expect(after.decision_on).toEqual(before.decision_on);
    const codes = await database
      .db('report_codes')
      .where({ report_id: open, kind: 'action_type' })
      .pluck('code');
    expect(codes.sort()).toEqual(['arrest', 'surveillance']);
    const audit = await database
      .db('audit_events')
      .where({ report_id: open, action: 'decided_report_corrected' });
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toEqual({ status: 'approved', fields: ['state', 'action_types'] });
    expect(JSON.stringify(audit[0].detail)).not.toContain('MA');
  });

  it('refuses a report counted in a published release (422), and shows no form for it', async () => {
    const page = await agent.get(`/moderate/decided/${counted}`).expect(200);
    expect(page.text).toContain('data-locked');
    expect(page.text).not.toContain('/codes"');
    const before = await row(counted);
    const refused = await correct(counted, 422, { state: 'MA' });
    expect(refused.text).toContain('now counted in a published release');
    expect(await row(counted)).toEqual(before);
  });

  it('refuses a stale form (409), bad input (422) and a missing CSRF token (403)', async () => {
    const before = await row(rejected);
    await correct(rejected, 409, { state: 'MA' }, String(before.version + 5));
    await correct(rejected, 422, { month: '2031-01' });
    await agent.post(`/moderate/decided/${rejected}/codes`).type('form').send({ state: 'MA' }).expect(403);
    expect(await row(rejected)).toEqual(before);
  });

  it('closes corrections at the cutoff of a release being published now', async () => {
    await database
      .db('release_jobs')
      .insert({ kind: 'publish', cutoff: '2026-07-31', created_on: '2026-11-27' });
    await correct(open, 422, { state: 'VT' });
    await correct(rejected, 303, { state: 'MA' });
    await database.db('release_jobs').del();
  });
});
