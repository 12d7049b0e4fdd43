import { LANGS } from '../../../src/platform/i18n';
import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import request from 'supertest';
import { publicStatus } from '../../../src/public/csv';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { loadReleaseCells } from '../../../src/releases/store';
import { TABLES } from '../../../src/releases/tables';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease, type TestRelease } from '../../support/public-release';
import { assertWellFormedXml } from '../../unit/maps/xml';

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;
let release: TestRelease;

// Binary bodies (ZIP, PNG) as bytes, whatever supertest would make of their content type.
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

beforeAll(async () => {
  database = await createTestDatabase();
  // A code whose labels a spreadsheet would run as formulas, to prove the downloads neutralize them.
  await database.db('codes').insert({
    kind: 'action_type',
    code: 'zz_formula',
    position: 99,
    label_en: '=HYPERLINK("http://evil.example","click")',
    label_es: '@SUM(A1:A9)',
    definition_en: '-1+1',
    definition_es: '+1',
  });
  reference = await loadReference(database.db);
  testApp = await buildTestApp(database.db);
  release = await insertTestRelease(database.db, reference, { label: '2026-Q3' });
});
afterAll(() => database.destroy());

describe('GET /data/releases/:label/:table.csv', () => {
  it.each(TABLES.map((t) => t.name))('%s parses back to exactly the release cells', async (table) => {
    const response = await request(testApp.app).get(`/data/releases/2026-Q3/${table}.csv`).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="represalia-2026-Q3-${table}.csv"`,
    );
    expect(response.text.charCodeAt(0)).toBe(0xfeff);
    expect(response.text).toContain('\r\n');
    const rows: Record<string, string>[] = parse(response.text, { columns: true, bom: true });
    const stored = await loadReleaseCells(database.db, release.record.id, table);
    const dims = TABLES.find((t) => t.name === table)!.dimensions;
    const header = Object.keys(rows[0]!);
    expect(header).toEqual([
      ...dims,
      ...dims.flatMap((d) => LANGS.map((lang) => `${d}_label_${lang}`)),
      'count',
      'status',
    ]);
    const fromCsv = rows.map((r) => ({
      keys: Object.fromEntries(dims.map((d) => [d, r[d]])),
      value: r.count === '' ? null : Number(r.count),
      status: r.status,
    }));
    const fromDb = stored.map((c) => ({ keys: c.keys, value: c.value, status: publicStatus(c.status) }));
    const byId = (x: { keys: Record<string, string | undefined> }): string => JSON.stringify(x.keys);
    expect(new Map(fromCsv.map((x) => [byId(x), x]))).toEqual(new Map(fromDb.map((x) => [byId(x), x])));
    for (const row of rows) {
      expect(['published', 'withheld']).toContain(row.status);
      if (row.status === 'withheld') expect(row.count).toBe('');
      for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('is the same file under /es', async () => {
    const [english, spanish] = await Promise.all([
      request(testApp.app).get('/data/releases/2026-Q3/by_state.csv'),
      request(testApp.app).get('/es/data/releases/2026-Q3/by_state.csv'),
    ]);
    expect(spanish.text).toBe(english.text);
  });

  it('neutralizes labels that start like a formula', async () => {
    const text = (await request(testApp.app).get('/data/releases/2026-Q3/by_action_type.csv').expect(200))
      .text;
    const rows: Record<string, string>[] = parse(text, { columns: true, bom: true });
    const hostile = rows.find((r) => r.action_type === 'zz_formula')!;
    expect(hostile.action_type_label_en).toBe(`'=HYPERLINK("http://evil.example","click")`);
    // No catalog names the code (labels in other languages live in locales/), so every language's
    // column carries the database's English label, neutralized the same way.
    expect(hostile.action_type_label_es).toBe(`'=HYPERLINK("http://evil.example","click")`);
  });

  it('answers 404 for an unknown table or release, and 400 for any parameter', async () => {
    await request(testApp.app).get('/data/releases/2026-Q3/no_such_table.csv').expect(404);
    await request(testApp.app).get('/data/releases/2026-Q3/by_state.xlsx').expect(404);
    await request(testApp.app).get('/data/releases/1999-Q1/by_state.csv').expect(404);
    await request(testApp.app).get('/data/releases/2026-Q3/by_state.csv?x=1').expect(400);
  });
});

describe('GET /data/releases/:label/all.zip', () => {
  it('holds every table, the codebook, the data package and a README, the same bytes as the single downloads', async () => {
    const response = await request(testApp.app)
      .get('/data/releases/2026-Q3/all.zip')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe('attachment; filename="represalia-2026-Q3-all.zip"');
    const files = unzipSync(new Uint8Array(response.body as Buffer));
    const names = Object.keys(files).sort();
    expect(names).toEqual(
      [...TABLES.map((t) => `${t.name}.csv`), 'README.txt', 'codebook.csv', 'datapackage.json']
        .map((n) => `represalia-2026-Q3/${n}`)
        .sort(),
    );
    const single = (await request(testApp.app).get('/data/releases/2026-Q3/by_field_office.csv')).text;
    // Buffer keeps the byte-order mark that TextDecoder (strFromU8) would drop.
    expect(Buffer.from(files['represalia-2026-Q3/by_field_office.csv']!).toString('utf8')).toBe(single);
    const readme = strFromU8(files['represalia-2026-Q3/README.txt']!);
    expect(readme).toContain('Cite as: Represalia, release 2026-Q3, published 2026-10-20, CC BY 4.0.');
    expect(readme).toContain('Cítese como');
    const codebook: Record<string, string>[] = parse(strFromU8(files['represalia-2026-Q3/codebook.csv']!), {
      columns: true,
      bom: true,
    });
    expect(codebook).toHaveLength(reference.codes.length);
  });
});

describe('the JSON API', () => {
  it('lists the releases, newest first, with links to every table', async () => {
    await insertTestRelease(database.db, reference, { label: '2025-Q4', cutoff: '2025-12-31' });
    const response = await request(testApp.app).get('/api/v1/releases').expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = response.body as {
      releases: { label: string; latest: boolean; links: { tables: object } }[];
    };
    expect(body.releases.map((r) => r.label)).toEqual(['2026-Q3', '2025-Q4']);
    expect(body.releases[0]!.latest).toBe(true);
    expect(Object.keys(body.releases[0]!.links.tables)).toEqual(TABLES.map((t) => t.name));
  });

  it('serves a table with the same cells as the release', async () => {
    const response = await request(testApp.app)
      .get('/api/v1/releases/2026-Q3/tables/state_by_year')
      .expect(200);
    const body = response.body as {
      table: { dimensions: string[] };
      cells: { keys: Record<string, string>; count: number | null; status: string; labels: object }[];
    };
    expect(body.table.dimensions).toEqual(['state', 'year']);
    const stored = await loadReleaseCells(database.db, release.record.id, 'state_by_year');
    expect(body.cells.map((c) => ({ keys: c.keys, value: c.count, status: c.status }))).toEqual(
      expect.arrayContaining(
        stored.map((c) => ({ keys: c.keys, value: c.value, status: publicStatus(c.status) })),
      ),
    );
    expect(body.cells).toHaveLength(stored.length);
    expect(body.cells.find((c) => c.keys.state === 'NC')!.labels).toMatchObject({
      state: { en: 'North Carolina', es: 'Carolina del Norte' },
    });
  });

  it('answers errors as JSON in the path language', async () => {
    const missing = await request(testApp.app).get('/es/api/v1/releases/1999-Q1/tables/by_state').expect(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
    expect((missing.body as { error: { message: string } }).error.message).toContain(
      'No hay ninguna publicación',
    );
    const bad = await request(testApp.app).get('/api/v1/releases?limit=5').expect(400);
    expect(bad.body).toMatchObject({ error: { code: 'bad_request' } });
    const unknown = await request(testApp.app).get('/api/v1/nothing-here').expect(404);
    expect(unknown.headers['content-type']).toContain('application/json');
  });
});

describe('standalone maps', () => {
  it.each([
    ['/map/states.svg', 'Reports by state'],
    ['/map/field-offices.svg?year=2024', 'Reports by ICE field office, 2024'],
    ['/es/map/states.svg?action=arrest', 'Reportes por estado: Arresto'],
  ])('%s is a well-formed SVG with title, legend and citation drawn in', async (path, title) => {
    const response = await request(testApp.app).get(path).buffer(true).parse(binary).expect(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const svg = (response.body as Buffer).toString('utf8');
    assertWellFormedXml(svg);
    expect(svg).toContain(`>${title}</text>`);
    expect(svg).toMatch(
      /Represalia, (release|publicación) 2026-Q3, (published|publicada el) 2026-10-20, CC BY 4.0/,
    );
    expect(svg).toMatch(/>withheld<|>reservado</);
    expect(svg).not.toMatch(/fewer than|menos de/);
    expect(svg).not.toMatch(/style=|<script/);
  });

  it('has a PNG twin that other sites may embed', async () => {
    const response = await request(testApp.app)
      .get('/map/field-offices.png?release=2026-Q3')
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect((response.body as Buffer).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  });

  it('keeps same-origin resource policy on everything that is not an image', async () => {
    for (const path of ['/map', '/data/releases/2026-Q3/by_state.csv', '/api/v1/releases']) {
      const response = await request(testApp.app).get(path).expect(200);
      expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });
});
