import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertReport, sealNarrative } from '../../support/factories';
import { createModerator, csrfFrom, deskPublicKey, signIn } from '../../support/desk';
import type { NewReport } from '../../../src/reports/types';

// Issue 16, item 2: on a report's page, the reports that may be the same incident (same state, same
// field office, incident month at most one month apart; open or approved), with what they share marked
// and their narratives opened beside this one, each with a one-click "mark as duplicate of this" that
// follows the duplicate action's rules (409 when stale, 422 for a target that cannot be one).

let database: TestDatabase;
let testApp: TestApp;
let agent: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  const admin = await createModerator(database.db, 'admin');
  agent = await signIn(testApp.app, database.db, admin);
});
afterAll(() => database.destroy());

async function add(overrides: Partial<NewReport>, narrative?: string): Promise<string> {
  const key = await deskPublicKey(database.db);
  return insertReport(
    database.db,
    buildReport({
      state: 'VT',
      fieldOffice: 'BOS',
      incidentMonth: '2026-03-01',
      ...(narrative ? { narrativeSealed: await sealNarrative(narrative, key) } : {}),
      ...overrides,
    }),
  );
}

const articleOf = (html: string, id: string) =>
  new RegExp(`<article class="desk-candidate" data-candidate="${id}">[\\s\\S]*?</article>`).exec(html)?.[0];

describe('duplicate candidates on a report’s page', () => {
  it('lists same state, office and month ±1 (open or approved), marks what matches, and opens their narratives', async () => {
    const mine = await add({ actionTypes: ['surveillance', 'arrest'] }, 'They waited outside the church.');
    const before = await add(
      { incidentMonth: '2026-02-01', actionTypes: ['surveillance'], targetRole: 'journalist' },
      'A van outside the church, again.',
    );
    const approved = await add({ incidentMonth: '2026-04-01', status: 'approved', decisionOn: '2026-11-01' });
    const excluded = [
      await add({ incidentMonth: '2026-05-01' }),
      await add({ incidentMonth: '2026-01-01' }),
      await add({ fieldOffice: null }),
      await add({ state: 'NH' }),
      await add({ status: 'rejected', decisionReason: 'spam', decisionOn: '2026-11-01' }),
      await add({ status: 'duplicate', decisionReason: 'duplicate', decisionOn: '2026-11-01' }),
    ];
    const page = await agent.get(`/moderate/reports/${mine}`).expect(200);
    const listed = [...page.text.matchAll(/data-candidate="([0-9a-f-]+)"/g)].map((match) => match[1]);
    expect(listed.sort()).toEqual([before, approved].sort());
    for (const id of excluded) expect(page.text).not.toContain(id);

    const article = articleOf(page.text, before)!;
    expect(article).toContain('A van outside the church, again.');
    expect(article).toContain('They waited outside the church.'); // side by side
    const marks = [...article.matchAll(/<mark>([^<]+)<\/mark>/g)].map((match) => match[1]);
    // Surveillance, activism and evidence are shared; arrest, the month (February) and the role are not.
    expect(marks).toEqual(['Surveillance or monitoring', 'Community or labour organizing', 'Court record']);
    expect(article).toContain('2026-02</dd>');
    // The approved one has no desk page to link to, but can still be marked as the original.
    expect(articleOf(page.text, approved)).not.toContain(`href="/moderate/reports/${approved}"`);
    expect(articleOf(page.text, approved)).toContain(`name="duplicate_of" value="${approved}"`);

    // Reading a candidate's narrative is recorded against that report.
    const viewed = await database.db('audit_events').where({ report_id: before, action: 'report_viewed' });
    expect(viewed).toHaveLength(1);
    expect(viewed[0].detail).toMatchObject({ as: 'duplicate_candidate', of: mine });

    const spanish = await agent.get(`/es/moderate/reports/${mine}`).expect(200);
    expect(spanish.text).toContain('Posibles duplicados');
  });

  it('marks the report a duplicate of a candidate in one click', async () => {
    const mine = await add({ incidentMonth: '2026-08-01' });
    const original = await add({ incidentMonth: '2026-08-01' });
    const page = await agent.get(`/moderate/reports/${mine}`).expect(200);
    const article = articleOf(page.text, original)!;
    const version = /name="version" value="(\d+)"/.exec(article)![1]!;
    await agent
      .post(`/moderate/reports/${mine}/duplicate`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, duplicate_of: original })
      .expect(303);
    expect(await database.db('reports').where({ id: mine }).first()).toMatchObject({
      status: 'duplicate',
      duplicate_of: original,
    });
    const audit = await database.db('audit_events').where({ report_id: mine, action: 'marked_duplicate' });
    expect(audit).toHaveLength(1);
  });

  it('follows the duplicate rules: 409 on a stale page, 422 when the candidate was rejected meanwhile', async () => {
    const mine = await add({ incidentMonth: '2026-10-01' });
    const first = await add({ incidentMonth: '2026-10-01' });
    const page = await agent.get(`/moderate/reports/${mine}`).expect(200);
    const version = /name="version" value="(\d+)"/.exec(articleOf(page.text, first)!)![1]!;
    await database
      .db('reports')
      .where({ id: first })
      .update({ status: 'rejected', decision_reason: 'spam', decision_on: '2026-11-01' });
    const refused = await agent
      .post(`/moderate/reports/${mine}/duplicate`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, duplicate_of: first })
      .expect(422);
    // The page again, with the candidates as they are now: the rejected one is no longer offered.
    expect(refused.text).toContain('Possible duplicates');
    expect(articleOf(refused.text, first)).toBeUndefined();
    const second = await add({ incidentMonth: '2026-10-01' });
    await database
      .db('reports')
      .where({ id: mine })
      .update({ version: database.db.raw('version + 1') });
    await agent
      .post(`/moderate/reports/${mine}/duplicate`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), version, duplicate_of: second })
      .expect(409);
    expect((await database.db('reports').where({ id: mine }).first()).status).toBe('pending');
  });
});
