import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { TABLES } from '../../../src/releases/tables';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { buildReleaseCells, insertTestRelease } from '../../support/public-release';

// What changed between two releases, checked against the two releases' own CSV files cell by cell: only
// counts both published are differenced, and a withheld cell never gets a number on the page or in the
// CSV. The hand-made releases change arbitrarily, so nothing here leans on differences being 0 or ≥ k.

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;

beforeAll(async () => {
  database = await createTestDatabase();
  reference = await loadReference(database.db);
  testApp = await buildTestApp(database.db);
  await insertTestRelease(
    database.db,
    reference,
    { label: '2025-Q4', cutoff: '2025-12-31', publishedOn: '2026-01-20' },
    buildReleaseCells(reference, '2025-12-31', 3),
  );
  await insertTestRelease(database.db, reference, { label: '2026-Q3' });
});
afterAll(() => database.destroy());

type Row = Record<string, string>;
const csvRows = (text: string): Row[] => parse(text, { columns: true, bom: true });
const csvOf = async (path: string): Promise<Row[]> =>
  csvRows((await request(testApp.app).get(path).expect(200)).text);

describe('GET /data/releases/:label/changes.csv', () => {
  it("matches the two releases' CSV files cell by cell", async () => {
    const changes = await csvOf('/data/releases/2026-Q3/changes.csv');
    const kinds = new Set(changes.map((r) => r.change));
    // The fixture moves enough cells for every kind the page lists to occur.
    for (const kind of [
      'changed',
      'unchanged',
      'newly_published',
      'newly_withheld',
      'withheld_in_both',
      'new_cell',
    ])
      expect([kind, kinds.has(kind)]).toEqual([kind, true]);
    for (const table of TABLES) {
      const dims = table.dimensions;
      const key = (r: Row, names: string[]): string => names.map((n) => r[n]).join('|');
      const before = new Map(
        (await csvOf(`/data/releases/2025-Q4/${table.name}.csv`)).map((r) => [key(r, [...dims]), r]),
      );
      const after = new Map(
        (await csvOf(`/data/releases/2026-Q3/${table.name}.csv`)).map((r) => [key(r, [...dims]), r]),
      );
      const rows = changes.filter((r) => r.table === table.name);
      const seen = new Set<string>();
      for (const row of rows) {
        const k = key(row, ['key_1', 'key_2'].slice(0, dims.length));
        expect(row.dimension_1).toBe(dims[0] ?? '');
        expect(row.dimension_2).toBe(dims[1] ?? '');
        seen.add(k);
        const old = before.get(k);
        const now = after.get(k);
        expect([k, row.previous_status, row.previous_count]).toEqual([
          k,
          old?.status ?? '',
          old?.count ?? '',
        ]);
        expect([k, row.status, row.count]).toEqual([k, now?.status ?? '', now?.count ?? '']);
        const published = (r: Row | undefined) => r?.status === 'published';
        if (published(old) && published(now)) {
          expect(row.difference).toBe(String(Number(now!.count) - Number(old!.count)));
          expect(row.change).toBe(now!.count === old!.count ? 'unchanged' : 'changed');
        } else {
          // Withheld in either release, or in one release only: no difference, ever.
          expect(row.difference).toBe('');
          const expected = !old
            ? 'new_cell'
            : !now
              ? 'dropped_cell'
              : published(now)
                ? 'newly_published'
                : published(old)
                  ? 'newly_withheld'
                  : 'withheld_in_both';
          expect([k, row.change]).toEqual([k, expected]);
        }
        if (row.status === 'withheld') expect(row.count).toBe('');
        if (row.previous_status === 'withheld') expect(row.previous_count).toBe('');
      }
      expect(seen).toEqual(new Set([...before.keys(), ...after.keys()]));
      expect(rows).toHaveLength(seen.size);
    }
  });

  it('is a header alone for the first release, which has nothing before it', async () => {
    const response = await request(testApp.app).get('/data/releases/2025-Q4/changes.csv').expect(200);
    expect(csvRows(response.text)).toEqual([]);
    expect(response.text).toContain('previous_count');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="represalia-2025-Q4-changes.csv"',
    );
  });
});

describe('GET /data/releases/:label/changes', () => {
  it('lists what changed in plain words, and never a number for a withheld cell', async () => {
    const page = await request(testApp.app).get('/data/releases/2026-Q3/changes').expect(200);
    const changes = await csvOf('/data/releases/2026-Q3/changes.csv');
    expect(page.text).toContain('What changed in release 2026-Q3');
    const national = changes.find((r) => r.table === 'national_total')!;
    expect(page.text).toContain(
      `United States and territories: ${Number(national.previous_count).toLocaleString('en')} → ${Number(national.count).toLocaleString('en')}`,
    );
    const changedState = changes.find((r) => r.table === 'by_state' && r.change === 'changed')!;
    expect(page.text).toContain(
      `${changedState.key_1_label_en}: ${changedState.previous_count} → ${changedState.count}`,
    );
    const newlyWithheld = changes.find((r) => r.table === 'by_state' && r.change === 'newly_withheld')!;
    expect(page.text).toMatch(
      new RegExp(
        `<th scope="row">${newlyWithheld.key_1_label_en}</th>\\s*<td class="num">${newlyWithheld.previous_count}</td>\\s*<td class="num suppressed">withheld</td>`,
      ),
    );
    expect(page.text).not.toMatch(/fewer than/i);
    expect(page.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('is in Spanish under /es, with "reservado" for withheld cells', async () => {
    const page = await request(testApp.app).get('/es/data/releases/2026-Q3/changes').expect(200);
    expect(page.text).toContain('Qué cambió en la publicación 2026-Q3');
    expect(page.text).toContain('>reservado</td>');
    expect(page.text).toContain('href="/data/releases/2026-Q3/changes"');
  });

  it('says the first release has nothing to compare with', async () => {
    const page = await request(testApp.app).get('/data/releases/2025-Q4/changes').expect(200);
    expect(page.text).toContain('This is the first release');
  });

  it('answers 404 for an unknown release and 400 for any parameter', async () => {
    await request(testApp.app).get('/data/releases/1999-Q1/changes').expect(404);
    const bad = await request(testApp.app).get('/es/data/releases/2026-Q3/changes?since=2025-Q4').expect(400);
    expect(bad.text).toContain('La dirección tiene un parámetro');
  });
});

describe('the change map', () => {
  it('draws the published differences, and lists them beside the counts of both releases', async () => {
    const page = await request(testApp.app).get('/map?compare=previous').expect(200);
    expect(page.text).toContain('Reports by state: change since release 2025-Q4');
    const changes = (await csvOf('/data/releases/2026-Q3/changes.csv')).filter((r) => r.table === 'by_state');
    const changed = changes.find((r) => r.change === 'changed')!;
    const sign = Number(changed.difference) > 0 ? '+' : '−';
    expect(page.text).toContain(
      `${changed.key_1_label_en}: ${sign}${Math.abs(Number(changed.difference))}</title>`,
    );
    const hidden = changes.find((r) => r.change === 'newly_published')!;
    expect(page.text).toContain(`${hidden.key_1_label_en}: withheld in either release</title>`);
    expect(page.text).toContain('href="/data/releases/2026-Q3/changes.csv"');
  });

  it('has standalone SVG and PNG twins', async () => {
    const svg = await request(testApp.app)
      .get('/map/field-offices.svg?compare=previous&year=2025')
      .expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    await request(testApp.app).get('/es/map/states.png?release=2026-Q3&compare=previous').expect(200);
  });

  it.each([
    ['/map?release=2025-Q4&compare=previous', 404, 'This is the first release'],
    ['/es/map/states.svg?release=2025-Q4&compare=previous', 404, 'Esta es la primera publicación'],
    ['/map?compare=next', 400, 'not valid here'],
  ])('%s answers %d with a translated explanation', async (path, status, text) => {
    const response = await request(testApp.app).get(path).expect(status);
    expect(response.text).toContain(text);
  });

  it("keeps the comparison when the form's filter redirects", async () => {
    const response = await request(testApp.app)
      .get('/map?view=state&filter=year%3A2025&compare=previous')
      .expect(303);
    expect(response.headers.location).toBe('/map?year=2025&compare=previous');
  });
});
