import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReport, insertTestReports } from '../../support/factories';
import { createModerator, signIn } from '../../support/desk';

// Issue 16, item 1: the queue at working volume. Keyset pages of 50, oldest first; another moderator's
// decisions between two pages neither skip nor repeat a report; counts per status; the filter kept
// across pages; both languages; plain links (no JavaScript).

let database: TestDatabase;
let testApp: TestApp;
let agent: Awaited<ReturnType<typeof signIn>>;
/** Every report inserted here in queue order (received_on, then id), with its state and status. */
let inserted: { id: string; state: string; status: string }[];

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  const admin = await createModerator(database.db, 'admin');
  agent = await signIn(testApp.app, database.db, admin);
  // 130 reports over 20 days, several per day (the id breaks ties), in two states and both statuses.
  const reports = Array.from({ length: 130 }, (_, index) =>
    buildReport({
      receivedOn: `2026-03-${String(1 + (index % 20)).padStart(2, '0')}`,
      state: index % 4 === 0 ? 'MA' : 'VT',
      status: index % 7 === 0 ? 'needs_info' : 'pending',
    }),
  );
  await insertTestReports(database.db, reports);
  inserted = reports
    .map((report) => ({ id: report.id!, state: report.state, status: report.status!, on: report.receivedOn }))
    .sort((a, b) => (a.on === b.on ? (a.id < b.id ? -1 : 1) : a.on < b.on ? -1 : 1));
});
afterAll(() => database.destroy());

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr data-report="([0-9a-f-]+)"/g)].map((match) => match[1]!);
const linkOf = (html: string, rel: 'next' | 'prev') =>
  new RegExp(`<a href="([^"]+)" rel="${rel}">`)
    .exec(html)?.[1]
    ?.replaceAll('&#x3D;', '=')
    .replaceAll('&amp;', '&');

async function decide(ids: string[]): Promise<void> {
  await database
    .db('reports')
    .whereIn('id', ids)
    .update({ status: 'approved', decision_on: '2026-11-27', version: database.db.raw('version + 1') });
}

describe('the queue, page by page', () => {
  it('pages oldest first and neither skips nor repeats a report when others decide between pages', async () => {
    const first = await agent.get('/moderate').expect(200);
    const page1 = rowsOf(first.text);
    expect(page1).toEqual(inserted.slice(0, 50).map((report) => report.id));
    expect(first.text).toContain('Showing 50 of 130 reports, oldest first.');
    const pending = inserted.filter((report) => report.status === 'pending').length;
    expect(first.text).toContain(`Pending: <strong>${pending}</strong>`);
    expect(linkOf(first.text, 'prev')).toBeUndefined();

    // Another moderator decides ten reports on this page and three further on, meanwhile.
    const decidedHere = page1.slice(5, 15);
    const decidedLater = inserted.slice(60, 63).map((report) => report.id);
    await decide([...decidedHere, ...decidedLater]);

    const seen: string[] = [];
    let next = linkOf(first.text, 'next');
    let previousOfSecond: string | undefined;
    while (next) {
      const page = await agent.get(next).expect(200);
      if (seen.length === 0) previousOfSecond = linkOf(page.text, 'prev');
      seen.push(...rowsOf(page.text));
      next = linkOf(page.text, 'next');
    }
    const later = new Set(decidedLater);
    expect(seen).toEqual(
      inserted
        .slice(50)
        .map((report) => report.id)
        .filter((id) => !later.has(id)),
    );

    // Back from the second page: the first page as it is now, without the decided reports.
    const back = await agent.get(previousOfSecond!).expect(200);
    const here = new Set(decidedHere);
    expect(rowsOf(back.text)).toEqual(page1.filter((id) => !here.has(id)));
    expect(back.text).toContain('Showing 40 of 117 reports, oldest first.');
  });

  it('keeps the filter on every page, in Spanish too', async () => {
    const page = await agent.get('/es/moderate?status=pending&state=VT').expect(200);
    const next = linkOf(page.text, 'next')!;
    expect(next).toMatch(/^\/es\/moderate\?status=pending&state=VT&after=/);
    expect(page.text).toContain('Página siguiente');
    const second = await agent.get(next).expect(200);
    expect(second.text).toContain('Primera página');
    const ids = new Set(rowsOf(second.text));
    expect(ids.size).toBeGreaterThan(0);
    const rows = await database
      .db('reports')
      .whereIn('id', [...ids])
      .select('state', 'status');
    expect(rows.every((row) => row.state === 'VT' && row.status === 'pending')).toBe(true);
    expect(second.text).toContain('value="VT" selected');
  });

  it('answers 400 to a cursor that is not one, never a 500', async () => {
    const id = inserted[0]!.id;
    await agent.get(`/moderate?after=2026-02-30.${id}`).expect(400);
    await agent.get('/moderate?after=yesterday').expect(400);
    await agent.get(`/moderate?after=2026-03-01.${id}&before=2026-03-01.${id}`).expect(400);
    await agent.get(`/moderate?before=2026-03-01.${id}`).expect(200);
  });
});
