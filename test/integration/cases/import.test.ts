import fc from 'fast-check';
import { importCommand } from '../../../src/cli/cases-import';
import { createCases, type Cases } from '../../../src/cases/service';
import { loadReference } from '../../../src/reference/store';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { HEADER, importFile, importLine, threeCaseFile } from '../../unit/cases/support';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

// The importer against a real Postgres: a good file imports, a bad one imports nothing and says which
// lines, a second import adds nothing, and no hostile file can leave part of itself behind.

let database: TestDatabase;
let cases: Cases;

beforeAll(async () => {
  database = await createTestDatabase();
  cases = createCases({
    db: database.db,
    reference: await loadReference(database.db),
    today: () => new Date('2026-11-27T00:00:00Z'),
  });
});
afterAll(() => database.destroy());

async function counts() {
  const n = async (table: string) =>
    Number((await database.db(table).count<{ n: string }[]>({ n: '*' }))[0]!.n);
  return {
    cases: await n('public_cases'),
    sources: await n('public_case_sources'),
    codes: await n('public_case_codes'),
    audit: await n('audit_events'),
  };
}

async function reset() {
  await database.db('public_cases').delete();
  await database.db('audit_events').delete();
}

describe('importing a file', () => {
  beforeEach(reset);

  it('imports a 3-case file whole: cases, codes, sources in order, and one audit row with counts only', async () => {
    const outcome = await cases.importFile(threeCaseFile());
    expect(outcome).toMatchObject({ ok: true, dryRun: false, extended: [], skipped: [] });
    if (!outcome.ok) return;
    expect(outcome.created.map((c) => c.lines)).toEqual([[2, 3], [4], [5]]);
    expect(await counts()).toEqual({ cases: 3, sources: 4, codes: 8, audit: 1 });
    const first = await cases.get(outcome.created[0]!.caseId);
    expect(first).toMatchObject({
      month: '2025-03-01',
      state: 'WA',
      fieldOffice: 'SEA',
      actionTypes: ['surveillance', 'home_or_workplace_visit'],
      retraction: null,
      sources: [
        { url: 'https://example.org/news/1', kind: 'news', publishedOn: '2025-04-01' },
        { url: 'https://example.org/reports/review#page=14', kind: 'published_report' },
      ],
    });
    const audit = await database.db('audit_events').first();
    expect(audit).toMatchObject({
      moderator_id: null,
      action: 'cases_imported',
      report_id: null,
      detail: { created: '3', extended: '0', skipped: '0' },
    });
  });

  it('adds nothing on a second import of the same file, and says every line was already there', async () => {
    await cases.importFile(threeCaseFile());
    const before = await counts();
    const again = await cases.importFile(threeCaseFile());
    expect(again).toMatchObject({ ok: true, created: [], extended: [] });
    if (again.ok) expect(again.skipped.map((s) => s.line)).toEqual([2, 3, 4, 5]);
    expect({ ...(await counts()), audit: 0 }).toEqual({ ...before, audit: 0 });
  });

  it('skips a retracted case on re-import rather than bringing it back', async () => {
    const first = await cases.importFile(threeCaseFile());
    if (!first.ok) throw new Error('import failed');
    const id = first.created[1]!.caseId;
    await cases.retract(null, id, 1, 'Synthetic: wrong incident.', '');
    const again = await cases.importFile(threeCaseFile());
    expect(again).toMatchObject({ ok: true, created: [] });
    expect((await cases.get(id))?.retraction?.reasonEn).toBe('Synthetic: wrong incident.');
  });

  it('adds a new line as a source of the case it belongs to, and a new case as a case', async () => {
    await cases.importFile(threeCaseFile());
    const lines = threeCaseFile().toString('utf8').trimEnd().split('\r\n').slice(1);
    const more = importFile([
      ...lines,
      importLine({ source_url: 'https://example.net/follow-up', source_title: 'Follow-up' }),
      importLine({ month: '2022-05', state: 'CA', field_office: '', source_url: 'https://example.org/ca' }),
    ]);
    const outcome = await cases.importFile(more);
    expect(outcome).toMatchObject({ ok: true });
    if (!outcome.ok) return;
    expect(outcome.extended).toHaveLength(1);
    expect(outcome.extended[0]!.lines).toEqual([6]);
    expect(outcome.created.map((c) => c.lines)).toEqual([[7]]);
    const extended = await cases.get(outcome.extended[0]!.caseId);
    // Changed, so a desk form opened before the import is stale rather than obeyed (it would drop the source).
    expect(extended?.version).toBe(2);
    expect(extended?.sources.map((s) => s.url)).toEqual([
      'https://example.org/news/1',
      'https://example.org/reports/review#page=14',
      'https://example.net/follow-up',
    ]);
  });

  it('refuses a file with one bad line by its number, and imports nothing from the good ones', async () => {
    const lines = threeCaseFile().toString('utf8').trimEnd().split('\r\n').slice(1);
    lines[2] = importLine({
      month: '2024-13',
      source_url: 'https://example.com/court/1',
      state: 'TX',
      field_office: '',
    });
    const outcome = await cases.importFile(importFile(lines));
    expect(outcome).toEqual({
      ok: false,
      problems: [{ line: 4, field: 'month', key: 'cases.errors.month' }],
    });
    expect(await counts()).toEqual({ cases: 0, sources: 0, codes: 0, audit: 0 });
  });

  it('checks a file with --dry-run and writes nothing, audit included', async () => {
    const outcome = await cases.importFile(threeCaseFile(), { dryRun: true });
    expect(outcome).toMatchObject({ ok: true, dryRun: true });
    if (outcome.ok) expect(outcome.created).toHaveLength(3);
    expect(await counts()).toEqual({ cases: 0, sources: 0, codes: 0, audit: 0 });
  });

  it('is backed by the database: a second source with the same link, month and state is refused there too', async () => {
    await cases.importFile(threeCaseFile());
    const row = await database.db('public_case_sources').first();
    await expect(
      database.db('public_case_sources').insert({ ...row, id: undefined, position: 9, title: 'copy' }),
    ).rejects.toMatchObject({ code: '23505' });
  });
});

describe('hostile files against the database', () => {
  beforeAll(reset);

  const hostileValue = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.constantFrom(
      '',
      '"',
      '\u0000',
      '\u202e',
      '=cmd|calc',
      'http://example.org',
      'https://x',
      '9999-99',
      'ZZ',
      ';',
    ),
  );

  it('either imports a whole file or nothing: never a partial import, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.constantFrom(...HEADER.split(',')), hostileValue, fc.integer({ min: 0, max: 3 })),
          {
            maxLength: 3,
          },
        ),
        fc.nat(),
        async (edits, salt) => {
          const lines = [0, 1, 2, 3].map((i) =>
            importLine({
              source_url: `https://example.org/${salt}/${i}`,
              summary_en: `Synthetic example ${salt} ${i}.`,
              ...Object.fromEntries(
                edits.filter(([, , at]) => at === i).map(([column, value]) => [column, value]),
              ),
            }),
          );
          const before = await counts();
          const outcome = await cases.importFile(importFile(lines));
          const after = await counts();
          if (!outcome.ok) {
            expect(after).toEqual(before);
            expect(outcome.problems.length).toBeGreaterThan(0);
            return;
          }
          const added = outcome.created.length;
          expect(after.cases - before.cases).toBe(added);
          expect(after.audit - before.audit).toBe(1);
          const lineCount = [...outcome.created, ...outcome.extended].flatMap((c) => c.lines).length;
          expect(lineCount + outcome.skipped.length).toBe(4);
          expect(after.sources - before.sources).toBe(lineCount);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('npm run cases:import', () => {
  beforeEach(reset);

  async function run(args: string[]) {
    let out = '';
    let err = '';
    const code = await importCommand(args, cases, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  async function fileWith(bytes: Buffer): Promise<string> {
    const file = path.join(os.tmpdir(), `cases-${process.pid}-${Math.random().toString(36).slice(2)}.csv`);
    await writeFile(file, bytes);
    return file;
  }

  it('imports a file and says what it did; a second run adds nothing', async () => {
    const file = await fileWith(threeCaseFile());
    const first = await run([file]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('new cases: 3 (4 sources)');
    const second = await run([file]);
    expect(second.code).toBe(0);
    expect(second.out).toContain('new cases: 0');
    expect(second.out).toContain('lines already in the record, skipped: 4');
    expect((await counts()).cases).toBe(3);
  });

  it('refuses a bad file with every bad line and its reason in English, exit code 65', async () => {
    const file = await fileWith(
      importFile([
        importLine({ source_url: 'http://example.org/1' }),
        importLine({ state: 'XX', source_url: 'https://example.org/2' }),
      ]),
    );
    const result = await run([file]);
    expect(result.code).toBe(65);
    expect(result.err).toContain('refused, nothing imported. 2 problems:');
    expect(result.err).toContain(
      'line 2, source_url: Only secure links (starting with https://) are accepted.',
    );
    expect(result.err).toContain('line 3, state: Choose a state or territory by its two-letter postal code');
    expect(await counts()).toEqual({ cases: 0, sources: 0, codes: 0, audit: 0 });
  });

  it('answers a missing file with 66 and a missing argument with the usage, 64', async () => {
    expect((await run(['/nonexistent/cases.csv'])).code).toBe(66);
    const usage = await run([]);
    expect(usage.code).toBe(64);
    expect(usage.err).toContain('usage: npm run cases:import -- FILE.csv');
  });
});
