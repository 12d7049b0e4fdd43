import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import type { TestDatabase } from '../../support/database';
import {
  moveStaged,
  receiptOf,
  setUpIntake,
  submitReport,
  tokenOf,
  validReport,
  type IntakeTestApp,
} from './support';
import { describeNeeding } from '../../support/requirements';

// Promise 1 in PostgreSQL's own files, on the machine's server (its data directory is readable here):
// the reports of one daily move share one inserting transaction, their physical order is not the order
// they were sent in, and nothing a reporter typed is anywhere in the data directory or the WAL.
// PGlite keeps its files in memory in the test harness, so these run only with DATABASE_URL.

const onServer = Boolean(process.env.DATABASE_URL);
const describeOnServer = describeNeeding(
  'server',
  onServer,
  'it reads PostgreSQL server files, so it needs DATABASE_URL',
);

let database: TestDatabase;
let testApp: IntakeTestApp;

beforeAll(async () => {
  if (!onServer) return;
  ({ database, testApp } = await setUpIntake({ intake: { rateLimits: false } }));
});
afterAll(() => (onServer ? database.destroy() : undefined));

describeOnServer('the daily move on the PostgreSQL server', () => {
  it('inserts the batch in one transaction, in an order unrelated to the order of submission', async () => {
    // Each report's incident month says when it was sent: January 2001 first, June 2003 last.
    const sentOrder = Array.from({ length: 30 }, (_, index) => index);
    for (const index of sentOrder) {
      const fields = { year: String(2001 + Math.floor(index / 12)), month: String(1 + (index % 12)) };
      await submitReport(testApp.app, validReport(fields)).expect(200);
    }
    await moveStaged(database.db);
    const reports: { xmin: string; sent: number; id: string }[] = (
      await database.db.raw(
        `select xmin::text as xmin, id,
           ((extract(year from incident_month) - 2001) * 12 + extract(month from incident_month) - 1)::int as sent
         from reports order by ctid`,
      )
    ).rows;
    expect(reports).toHaveLength(30);
    const xmins = new Set(reports.map((row) => row.xmin));
    const receiptXmins: { xmin: string; report_id: string }[] = (
      await database.db.raw('select xmin::text as xmin, report_id from receipts order by ctid')
    ).rows;
    const codeXmins: { xmin: string }[] = (
      await database.db.raw('select distinct xmin::text as xmin from report_codes')
    ).rows;
    expect([...xmins]).toHaveLength(1);
    expect(new Set([...receiptXmins.map((row) => row.xmin), ...codeXmins.map((row) => row.xmin)])).toEqual(
      xmins,
    );
    const physical = reports.map((row) => row.sent);
    expect(physical).not.toEqual(sentOrder);
    expect(physical).not.toEqual([...sentOrder].reverse());
    expect([...physical].sort((a, b) => a - b)).toEqual(sentOrder);
    // The receipts are in an order of their own, not the reports' order again.
    const byId = new Map(reports.map((row) => [row.id, row.sent]));
    expect(receiptXmins.map((row) => byId.get(row.report_id))).not.toEqual(physical);
  });

  it('leaves no narrative, message or receipt in plain text in the data directory or the WAL', async () => {
    const canary = `canary-${Date.now().toString(36)}-narrative`;
    const sent = await submitReport(testApp.app, validReport({ narrative: `${canary} at the vigil` })).expect(
      200,
    );
    const receipt = receiptOf(sent.text);
    const page = await request(testApp.app).post('/status').type('form').send({ receipt }).expect(200);
    await request(testApp.app)
      .post('/status/messages')
      .type('form')
      .send({ receipt, token: tokenOf(page.text), message: `${canary}-message` })
      .expect(200);
    const needles = [canary, receipt, receipt.replaceAll('-', ' ')].map((text) => Buffer.from(text, 'utf8'));
    // Staged and moved: search both states, each after a checkpoint has written every page out.
    const dataDirectory = (await database.db.raw('show data_directory')).rows[0].data_directory as string;
    const search = async () => {
      await database.db.raw('checkpoint');
      return findInFiles(dataDirectory, needles);
    };
    expect(await search()).toEqual([]);
    await moveStaged(database.db);
    expect(await search()).toEqual([]);
  }, 120_000);
});

/** Every file under `root` (pg_wal included) that holds one of the needles, as "file: needle". */
async function findInFiles(root: string, needles: Buffer[]): Promise<string[]> {
  const hits: string[] = [];
  const entries = await readdir(root, { recursive: true });
  expect(entries.some((entry) => entry.startsWith('pg_wal'))).toBe(true);
  for (const entry of entries) {
    const file = path.join(root, entry);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) continue;
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) continue;
    for (const needle of needles) if (bytes.includes(needle)) hits.push(`${entry}: ${needle.toString()}`);
  }
  return hits;
}
