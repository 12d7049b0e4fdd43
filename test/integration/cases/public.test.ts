import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { seedDemoCases } from '../../../seeds/demo-cases';
import { createCases, type Cases } from '../../../src/cases/service';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { duplicateIds, inlineSvgs } from '../public/helpers';
import { rawCase } from '../../unit/cases/support';

// The public record's public pages and downloads: the demo's cases in both languages, GET filters that
// refuse what they do not know, downloads that agree with the pages, and the map layer.

let database: TestDatabase;
let testApp: TestApp;
let cases: Cases;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedDemoCases(database.db, { NODE_ENV: 'test' });
  cases = createCases({
    db: database.db,
    reference: await loadReference(database.db),
    today: () => new Date('2026-11-27T00:00:00Z'),
  });
  testApp = await buildTestApp(database.db);
});
afterAll(() => database.destroy());

const get = (path: string) => request(testApp.app).get(path);
// Handlebars escapes = and ' in attributes and text; compare what a browser would read.
const decoded = (html: string) =>
  html.replaceAll('&#x3D;', '=').replaceAll('&#x27;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&');
const idsOnPage = (html: string) => [...html.matchAll(/id="case-(\d+)-heading"/g)].map((m) => Number(m[1]));

describe('GET /cases', () => {
  it('lists the demo cases newest first, each with its sources as outbound links that pass nothing on', async () => {
    const response = await get('/cases').expect(200);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('public, max-age=60');
    expect(response.text).toContain('<h1>Documented public cases</h1>');
    expect(response.text).toContain('7 cases');
    expect(idsOnPage(response.text)).toEqual([1, 5, 2, 3, 7, 4, 6]);
    const links = [...response.text.matchAll(/<a href="(https:[^"]+)"([^>]*)>/g)];
    expect(links.length).toBe(8);
    for (const [, , attributes] of links) expect(attributes).toBe(' rel="noopener noreferrer nofollow"');
    expect(duplicateIds(response.text)).toEqual([]);
  });

  it('exists in Spanish with the Spanish summaries, and marks an English-only summary as English', async () => {
    const created = await cases.create(
      null,
      rawCase({ state: 'OR', summaryEn: 'Synthetic example: English only.', summaryEs: '' }),
    );
    expect(created.ok).toBe(true);
    const response = await get('/es/cases').expect(200);
    expect(response.text).toContain('<h1>Casos públicos documentados</h1>');
    expect(response.text).toContain('Ejemplo sintético: una organizadora que encabezaba vigilias');
    expect(response.text).toContain(
      '<p class="case__summary" lang="en">Synthetic example: English only.</p>',
    );
    expect(response.text).toContain('<a href="/cases" hreflang="en" lang="en"');
    // Kept apart from the demo's seven for the tests below.
    await database.db('public_cases').where({ state: 'OR' }).delete();
  });

  it('shows a retracted case as retracted, with the date and the reason, in both languages', async () => {
    const en = (await get('/cases/6').expect(200)).text;
    expect(en).toContain('Retracted');
    expect(en).toContain(
      'Synthetic example of a retraction: the source was found to describe a different incident.',
    );
    const es = (await get('/es/cases?state=CA').expect(200)).text;
    expect(es).toContain('Retirado el 20 de octubre de 2026:');
    expect(es).toContain('Ejemplo sintético de un retiro');
  });

  it.each([
    ['state=WA', [1]],
    ['state=wa&action=surveillance', [1]],
    ['office=unknown', [2, 6]],
    ['year=2024', [2, 3, 7]],
    ['action=arrest&year=2024', [2, 3]],
    ['state=&office=&action=&year=', [1, 5, 2, 3, 7, 4, 6]],
    ['state=AK', []],
  ])('filters with %s', async (query, ids) => {
    const response = await get(`/cases?${query}`).expect(200);
    expect(idsOnPage(response.text)).toEqual(ids);
    if (ids.length === 0) expect(response.text).toContain('No documented case matches these filters.');
  });

  it.each([
    ['/cases?colour=red', 'The address has a parameter this page does not accept.'],
    ['/cases?state=ZZ', 'There is no state or territory with that code.'],
    ['/cases?office=XYZ', 'There is no ICE field office with that code.'],
    ['/cases?action=teleport', 'There is no action type with that code.'],
    ['/cases?year=99', 'Give the year as four digits'],
    ['/cases?state=WA&state=TX', 'A value in the address is not valid here.'],
    ['/es/cases?year=abcd', 'Indique el año con cuatro cifras'],
    ['/cases/map?view=county', 'A value in the address is not valid here.'],
    ['/cases/1?page=2', 'The address has a parameter this page does not accept.'],
    ['/cases.csv?page=2', 'The address has a parameter this page does not accept.'],
  ])('answers %s with a 400 that says why', async (path, message) => {
    const response = await get(path).expect(400);
    expect(response.text).toContain(message);
  });

  it('answers the API with a JSON 400 in the language of the path', async () => {
    const response = await get('/es/api/v1/cases?state=ZZ').expect(400);
    expect(response.body.error.message).toContain('No hay ningún estado o territorio con ese código');
  });

  it('answers an unknown case, a malformed number and a page past the end with a 404', async () => {
    for (const path of ['/cases/999', '/cases/0', '/cases/1e3', '/cases/99999999999', '/cases?page=2']) {
      await get(path).expect(404);
    }
  });

  it('pages through more than 25 cases with links that keep the filters', async () => {
    for (let i = 0; i < 26; i++) {
      const created = await cases.create(
        null,
        rawCase({
          state: 'VT',
          month: '2021-01',
          sources: [{ ...rawCase().sources[0]!, url: `https://example.org/vt/${i}` }],
        }),
      );
      expect(created.ok).toBe(true);
    }
    const first = await get('/cases?state=VT').expect(200);
    expect(idsOnPage(first.text)).toHaveLength(25);
    expect(decoded(first.text)).toContain('<a rel="next" href="/cases?state=VT&page=2">');
    expect(first.text).toContain('Cases 1 to 25, page 1 of 2');
    const second = await get('/cases?state=VT&page=2').expect(200);
    expect(idsOnPage(second.text)).toHaveLength(2);
    expect(decoded(second.text)).toContain('<a rel="prev" href="/cases?state=VT">');
    await get('/cases?state=VT&page=3').expect(404);
  });
});

describe('downloads agree with the pages', () => {
  async function allIdsOnPages(query: string): Promise<number[]> {
    const ids: number[] = [];
    for (let page = 1; ; page++) {
      const response = await get(`/cases?${query}${query ? '&' : ''}page=${page}`);
      if (response.status === 404) return ids;
      ids.push(...idsOnPage(response.text));
      if (!response.text.includes('rel="next"')) return ids;
    }
  }

  it.each(['', 'state=WA', 'office=unknown', 'action=arrest', 'year=2024', 'state=AK'])(
    'lists the same cases in the same order, with the same facts, for "%s"',
    async (query) => {
      const pageIds = await allIdsOnPages(query);
      const json = (await get(`/api/v1/cases${query ? `?${query}` : ''}`).expect(200)).body as {
        count: number;
        cases: {
          id: number;
          summary: { en: string };
          state: { label: { en: string } };
          sources: { url: string }[];
        }[];
      };
      const csvText = (await get(`/cases.csv${query ? `?${query}` : ''}`).expect(200)).text;
      const rows = parse<Record<string, string>>(csvText.replace(/^\ufeff/, ''), { columns: true });
      expect(json.cases.map((c) => c.id)).toEqual(pageIds);
      expect(json.count).toBe(pageIds.length);
      expect([...new Set(rows.map((r) => Number(r.case_id)))]).toEqual(pageIds);
      expect(rows).toHaveLength(json.cases.reduce((n, c) => n + c.sources.length, 0));
      for (const c of json.cases.slice(0, 5)) {
        const page = (await get(`/cases/${c.id}`).expect(200)).text;
        expect(page).toContain(c.summary.en.replaceAll("'", '&#x27;'));
        expect(page).toContain(c.state.label.en);
        for (const source of c.sources)
          expect(page).toContain(`href="${source.url.replaceAll('=', '&#x3D;')}"`);
        const csvRows = rows.filter((r) => Number(r.case_id) === c.id);
        expect(csvRows.map((r) => r.source_url)).toEqual(c.sources.map((s) => s.url));
        expect(csvRows[0]!.summary_en).toBe(c.summary.en);
        expect(csvRows[0]!.state_label_en).toBe(c.state.label.en);
      }
    },
  );

  it('writes CSV with a BOM, CRLF, both languages and retractions, safe to open in a spreadsheet', async () => {
    const created = await cases.create(
      null,
      rawCase({
        summaryEn: '=HYPERLINK("https://evil.example","click")',
        summaryEs: '@SUM(1+1)',
        sources: [{ ...rawCase().sources[0]!, url: 'https://example.org/formula', title: '+1 trick' }],
      }),
    );
    expect(created.ok).toBe(true);
    const response = await get('/cases.csv?state=WA').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers['content-disposition']).toContain('represalia-public-record.csv');
    expect(
      response.text.startsWith('\ufeffcase_id,case_url,status,month,state,state_label_en,state_label_es'),
    ).toBe(true);
    expect(response.text).toContain('\r\n');
    const rows = parse<Record<string, string>>(response.text.replace(/^\ufeff/, ''), { columns: true });
    const hostile = rows.find((r) => r.source_url === 'https://example.org/formula')!;
    expect(hostile.summary_en!.startsWith("'=")).toBe(true);
    expect(hostile.summary_es!.startsWith("'@")).toBe(true);
    expect(hostile.source_title!.startsWith("'+")).toBe(true);
    const all = parse<Record<string, string>>(
      (await get('/cases.csv').expect(200)).text.replace(/^\ufeff/, ''),
      {
        columns: true,
      },
    );
    expect(all.find((r) => r.case_id === '6')).toMatchObject({
      status: 'retracted',
      retracted_on: '2026-10-20',
      state_label_es: 'California',
      source_kind_label_es: 'Informe publicado',
    });
  });
});

describe('the map layer', () => {
  it('draws and tables documented cases by state, without the retracted one and with nothing withheld', async () => {
    const html = (await get('/cases/map').expect(200)).text;
    const [svg] = inlineSvgs(html);
    expect(svg).toContain('Documented public cases by state');
    expect(svg).toContain('No documented case');
    // No "fewer than" key and no hatched area: the public record withholds nothing.
    expect(svg).not.toMatch(/fewer than/i);
    expect(svg).not.toMatch(/<use [^>]*fill="url\(#/);
    expect(svg).toContain('<title>Arizona: 1</title>');
    // California's only case is retracted: listed in the record, not counted on the map.
    expect(svg).toContain('<title>California: No documented case</title>');
    expect(decoded(html)).toContain('<a href="/cases?state=AZ">Arizona</a>');
    expect(decoded(html)).not.toContain('<a href="/cases?state=CA">');
    expect(html).toContain('aria-current="page">Public record (documented cases)</a>');
  });

  it('counts by field office with the unknown office in the table, and filters by action type', async () => {
    const html = (await get('/es/cases/map?view=field_office&action=arrest').expect(200)).text;
    expect(html).toContain('Casos públicos documentados por oficina de campo de ICE: Arresto');
    expect(decoded(html)).toContain(
      '<a href="/es/cases?office=unknown&action=arrest">Oficina desconocida</a>',
    );
  });

  it('offers the map as a standalone SVG another page can embed', async () => {
    const response = await get('/cases/map/field-offices.svg?year=2024')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(response.body as string).toContain(
      'Represalia public record: documented public cases, not the anonymous reports.',
    );
  });

  it('is one switch away from the release maps, which link to it', async () => {
    const html = (await get('/map').expect(200)).text;
    expect(html).toContain('<a href="/cases/map">Public record (documented cases)</a>');
  });
});

describe('finding the public record', () => {
  it('is in the navigation, on the home page and explained on the methodology page, in both languages', async () => {
    const home = (await get('/').expect(200)).text;
    expect(home).toContain('<a href="/cases">Public record</a>');
    expect(home).toContain('<a href="/cases">Browse documented public cases</a>');
    const method = (await get('/es/methodology').expect(200)).text;
    expect(method).toContain('<h2 id="public-record">El registro público</h2>');
    expect(method).toContain('ninguna diferencia entre ellos significa nada');
  });
});
