import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { seedDemoCases } from '../../../seeds/demo-cases';
import { listReleases, loadAtomsThrough } from '../../../src/releases/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildApprovedReport, insertTestReports } from '../../support/factories';

// The public record and the anonymous counts are two datasets shown side by side and never mixed:
// the record's pages never read a report or a release, and releases never read a public case. Checked
// on the SQL each side actually sends, and on the code's imports.

let database: TestDatabase;
let testApp: TestApp;

const PATHS = [
  '/cases',
  '/cases?state=WA&action=surveillance&year=2025',
  '/cases?office=unknown',
  '/cases/1',
  '/cases.csv',
  '/api/v1/cases?year=2024',
  '/cases/map',
  '/cases/map?view=field_office&action=arrest',
  '/cases/map/states.svg',
  '/cases/map/field-offices.svg?year=2024',
];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCases(database.db, { NODE_ENV: 'test' });
  await insertTestReports(
    database.db,
    Array.from({ length: 12 }, () => buildApprovedReport('2025-06-10', { state: 'WA', fieldOffice: 'SEA' })),
  );
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const listener = (query: { sql: string }): void => {
    statements.push(query.sql);
  };
  database.db.on('query', listener);
  try {
    await work();
  } finally {
    database.db.off('query', listener);
  }
  return statements;
}

describe('the public record and the anonymous counts', () => {
  it('are served without a single query on reports, receipts, messages or releases', async () => {
    const statements = await statementsDuring(async () => {
      for (const path of PATHS) {
        await request(testApp.app).get(path).expect(200);
        await request(testApp.app).get(`/es${path}`).expect(200);
      }
    });
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) {
      expect(sql).toMatch(/public_case|public_record_revision/);
      expect(sql).not.toMatch(/\breports?\b|report_codes|receipts|report_messages|"releases"|release_cells/);
    }
  });

  it('never reach a public case from what a release is built from', async () => {
    const statements = await statementsDuring(async () => {
      await listReleases(database.db);
      await loadAtomsThrough(database.db, ['2025-06-30', '2025-12-31']);
    });
    expect(statements.length).toBeGreaterThan(0);
    for (const sql of statements) expect(sql).not.toMatch(/public_case/);
  });

  it('are kept apart in the code: no other capability imports the public record, and it imports no report or release code', () => {
    const root = path.resolve(__dirname, '../../../src');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? files(path.join(dir, e.name))
          : e.name.endsWith('.ts')
            ? [path.join(dir, e.name)]
            : [],
      );
    for (const file of files(root)) {
      const relative = path.relative(root, file);
      const text = readFileSync(file, 'utf8');
      if (relative.startsWith('cases/')) {
        expect({
          relative,
          imports: text.match(/from '\.\.\/(reports|releases|intake|moderation)\/[^']+'/g),
        }).toEqual({
          relative,
          imports: null,
        });
        expect({
          relative,
          tables: text.match(/'(reports|report_codes|receipts|releases|release_cells)'/g),
        }).toEqual({
          relative,
          tables: null,
        });
      } else if (relative !== 'app.ts' && !relative.startsWith('cli/')) {
        expect({ relative, mentions: text.match(/public_case|from '\.\.\/cases\//g) }).toEqual({
          relative,
          mentions: null,
        });
      }
    }
  });
});

describe("the public record's pages", () => {
  it.each(PATHS.flatMap((p) => [p, `/es${p}`]))(
    '%s sets no cookie, sends no referrer and keeps the CSP',
    async (p) => {
      const response = await request(testApp.app).get(p).expect(200);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      if (String(response.headers['content-type']).startsWith('text/html')) {
        expect(response.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
        expect(response.text).not.toMatch(/\sstyle=|<style/);
      }
    },
  );
});
