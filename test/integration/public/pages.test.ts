import request from 'supertest';
import { codeDefinition, codeLabel } from '../../../src/reference/names';
import { loadReference } from '../../../src/reference/store';
import type { Reference } from '../../../src/reference/types';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease, type TestRelease } from '../../support/public-release';
import { duplicateIds, inlineSvgs, untranslated } from './helpers';

let database: TestDatabase;
let testApp: TestApp;
let reference: Reference;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  reference = await loadReference(database.db);
});
afterAll(() => database.destroy());

const es = (path: string): string => (path === '/' ? '/es/' : `/es${path}`);

describe('before any release is published', () => {
  it.each(['/', '/es/'])('%s says plainly that there are no numbers yet', async (path) => {
    const response = await request(testApp.app).get(path).expect(200);
    expect(response.text).toMatch(path === '/' ? /No numbers yet/ : /Todavía no hay cifras/);
    expect(inlineSvgs(response.text)).toHaveLength(0);
  });

  it.each(['/map', '/data', '/data/releases', '/es/map', '/es/data'])(
    '%s answers 200 without data',
    async (path) => {
      const response = await request(testApp.app).get(path).expect(200);
      expect(response.text).toMatch(/No data release has been published yet|Todavía no se ha publicado/);
    },
  );

  it('has no map file to download', async () => {
    await request(testApp.app).get('/map/states.svg').expect(404);
  });
});

describe('with two releases', () => {
  let older: TestRelease;
  let latest: TestRelease;
  beforeAll(async () => {
    older = await insertTestRelease(database.db, reference, {
      label: '2025-Q4',
      cutoff: '2025-12-31',
      publishedOn: '2026-01-20',
    });
    latest = await insertTestRelease(database.db, reference, {
      label: '2026-Q3',
      notesEn: 'Notes in English.',
      notesEs: 'Notas en español.',
    });
  });

  it.each([
    ['/data', ''],
    ['/es/data', '/es'],
  ])('%s is the latest release in brief, its full tables one link away', async (path, prefix) => {
    const brief = await request(testApp.app).get(path).expect(200);
    const full = await request(testApp.app).get(`${prefix}/data/releases/2026-Q3`).expect(200);
    expect(brief.text).toContain(`href="${prefix}/data/releases/2026-Q3"`);
    expect(brief.text).toContain(`href="${prefix}/data/releases/2026-Q3#table-by-state"`);
    expect(brief.text).not.toContain('class="release-table"');
    expect(full.text).toContain('class="release-table"');
    expect(full.text).toContain('id="table-by-state"');
    // Light enough for a phone: a fraction of the release page.
    expect(brief.text.length).toBeLessThan(full.text.length / 3);
  });

  const PAGES = [
    '/',
    '/map',
    '/map?view=field_office',
    '/map?year=2024',
    '/map?view=field_office&action=surveillance',
    '/map?release=2025-Q4&action=arrest',
    '/data',
    '/data/releases',
    '/data/releases/2025-Q4',
    '/data/releases/2026-Q3/changes',
    '/data/releases/2025-Q4/changes',
    '/map?view=field_office&compare=previous',
    '/codebook',
    '/methodology',
  ];
  const BOTH = PAGES.flatMap((path) => [
    { path, lang: 'en', twin: es(path) },
    { path: es(path), lang: 'es', twin: path },
  ]);

  it.each(BOTH)(
    '$path is in $lang, links to its twin, sets no cookie and is cacheable',
    async ({ path, lang, twin }) => {
      const response = await request(testApp.app).get(path).expect(200);
      const html = response.text;
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`class="lang-switch" href="${escape(twin)}"`);
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(response.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
      expect(response.headers.etag).toMatch(/^"[^"]+"$/);
      // Release pages carry one JSON-LD data block, which browsers never run; any other inline script fails.
      expect(html).not.toMatch(/\sstyle=|<style|<script(?![^>]*\bsrc=)(?!\stype="application\/ld\+json">)/);
      expect(duplicateIds(html)).toEqual([]);
      expect(untranslated(html)).toEqual([]);
      // Every link within the page lands on something (a chart's "see the table" once did not).
      const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
      const dangling = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]).filter((id) => !ids.has(id));
      expect(dangling).toEqual([]);
      inlineSvgs(html);
    },
  );

  it('links a map to its twin by its canonical address, whatever order the query came in', async () => {
    const html = (await request(testApp.app).get('/map?action=arrest&view=state&release=2025-Q4').expect(200))
      .text;
    expect(html).toContain(`class="lang-switch" href="${escape('/es/map?release=2025-Q4&action=arrest')}"`);
  });

  it('shows the latest release on the home page: map, total and the number of states published', async () => {
    const html = (await request(testApp.app).get('/').expect(200)).text;
    const total = latest.cells.find((c) => c.table === 'national_total')!.value!;
    const published = latest.cells.filter((c) => c.table === 'by_state' && c.status === 'published').length;
    expect(html).toContain('release 2026-Q3');
    expect(html).toContain(total.toLocaleString('en-US'));
    expect(html).toContain(`${published} of ${reference.states.length}`);
    expect(html).toContain('October 20, 2026');
    expect(inlineSvgs(html)).toHaveLength(1);
    expect(html).toContain('href="/report"');
    const spanish = (await request(testApp.app).get('/es/').expect(200)).text;
    expect(spanish).toContain('20 de octubre de 2026');
    expect(spanish).toContain('href="/es/report"');
  });

  it('draws the map and the same numbers as a table, every withheld cell "withheld", never "fewer than k"', async () => {
    const html = (await request(testApp.app).get('/map?year=2024').expect(200)).text;
    expect(html).toContain('Reports by state, 2024');
    const cells = latest.cells.filter((c) => c.table === 'state_by_year' && c.keys.year === '2024');
    const suppressed = cells.filter((c) => c.status === 'suppressed').length;
    const table = html.slice(html.indexOf('<table'));
    expect(table.match(/<td class="num suppressed">withheld<\/td>/g)).toHaveLength(suppressed);
    expect(table.match(/<th scope="row">/g)).toHaveLength(cells.length);
    expect(html).toMatch(/<text [^>]*>withheld<\/text>/); // the legend, drawn in the SVG
    // A cell withheld to protect another can be large: no label may call it small.
    expect(html).not.toMatch(/fewer than/i);
    for (const cell of cells.filter((c) => c.status === 'published')) {
      const name = reference.states.find((s) => s.usps === cell.keys.state)!.nameEn;
      expect(table).toContain(`<tr><th scope="row">${name}</th><td class="num">${cell.value}</td></tr>`);
    }
  });

  it('offers a GET form that leads to the canonical address, keeping the language', async () => {
    const html = (await request(testApp.app).get('/es/map').expect(200)).text;
    expect(html).toMatch(/<form class="map-form" method="get" action="\/es\/map">/);
    expect(html).toContain('<option value="year:2024"');
    expect(html).toContain('<option value="action:arrest"');
    const redirect = await request(testApp.app)
      .get('/es/map?release=2025-Q4&view=field_office&filter=action%3Aarrest')
      .expect(303);
    expect(redirect.headers.location).toBe('/es/map?release=2025-Q4&view=field_office&action=arrest');
    const all = await request(testApp.app).get('/map?release=2025-Q4&view=state&filter=').expect(200);
    expect(all.text).toContain('Reports by state');
  });

  it('lists every release newest first, and says which one is the latest', async () => {
    const html = (await request(testApp.app).get('/data/releases').expect(200)).text;
    expect(html.indexOf('2026-Q3')).toBeLessThan(html.indexOf('2025-Q4'));
    expect(html).toContain('<span class="tag">latest</span>');
  });

  it('shows every table of a release, withheld cells in words, with citation and notes', async () => {
    const html = (await request(testApp.app).get('/data/releases/2026-Q3').expect(200)).text;
    const tables = html.slice(html.indexOf('id="tables-heading"'));
    const suppressed = latest.cells.filter((c) => c.status === 'suppressed').length;
    const published = latest.cells.filter((c) => c.status === 'published').length;
    expect(tables.match(/<td class="num suppressed">withheld<\/td>/g)).toHaveLength(suppressed);
    expect(tables.match(/<td class="num">/g)).toHaveLength(published);
    expect(html).toContain('Represalia, release 2026-Q3, published 2026-10-20, CC BY 4.0.');
    expect(html).toContain('Notes in English.');
    expect(html).toContain('What &quot;withheld&quot; means');
    expect(html).not.toMatch(/fewer than/i);
    // One chart for the quarters and one per national code table.
    expect(inlineSvgs(html)).toHaveLength(5);
    const spanish = (await request(testApp.app).get('/es/data/releases/2026-Q3').expect(200)).text;
    expect(spanish).toContain('Notas en español.');
    expect(spanish).toContain('Represalia, publicación 2026-Q3, publicada el 2026-10-20, CC BY 4.0.');
    expect(spanish).toContain('<td class="num suppressed">reservado</td>');
    expect(spanish).not.toMatch(/menos de \d/);
    expect(spanish).toContain('Carolina del Norte');
  });

  it('marks an older release as such and links to the latest', async () => {
    const html = (await request(testApp.app).get('/data/releases/2025-Q4').expect(200)).text;
    expect(html).toContain('This is an earlier release');
    expect(html).toContain(older.record.label);
  });

  it('lists every code with its label and definition in the page language', async () => {
    const [english, spanish] = await Promise.all([
      request(testApp.app).get('/codebook').expect(200),
      request(testApp.app).get('/es/codebook').expect(200),
    ]);
    for (const code of reference.codes) {
      expect(english.text).toContain(`<span class="code">${code.code}</span>`);
      expect(english.text).toContain(escape(code.labelEn));
      expect(english.text).toContain(escape(code.definitionEn));
      expect(spanish.text).toContain(escape(codeLabel(code, 'es')));
      expect(spanish.text).toContain(escape(codeDefinition(code, 'es')));
    }
    expect(english.text).toContain('state_by_action_type');
  });

  it('links the methodology to the full disclosure rule, served from docs/disclosure.md in both languages', async () => {
    const methodology = (await request(testApp.app).get('/methodology').expect(200)).text;
    expect(methodology).toContain('href="/methodology/disclosure"');
    const html = (await request(testApp.app).get('/methodology/disclosure').expect(200)).text;
    expect(html).toContain('<h1>How Represalia decides what a release may show</h1>');
    expect(html).toContain('<h2>The rule</h2>');
    const spanish = (await request(testApp.app).get('/es/methodology/disclosure').expect(200)).text;
    expect(spanish).toContain('Este texto técnico está en inglés.');
    expect(spanish).toContain('<div lang="en">');
    expect(spanish).toContain('href="/es/methodology#suppression"');
  });

  it('explains the threshold of the latest release and the county split', async () => {
    const html = (await request(testApp.app).get('/methodology').expect(200)).text;
    expect(html).toContain('no count below 11 is published');
    expect(html).toContain('A withheld count can therefore be large; it never means');
    expect(html).toMatch(/Texas: 5 offices/);
    expect(html).toMatch(/California: 3 offices/);
    const spanish = (await request(testApp.app).get('/es/methodology').expect(200)).text;
    expect(spanish).toMatch(/Nueva York: 2 oficinas/);
  });
});

function escape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#x27;')
    .replaceAll('=', '&#x3D;')
    .replaceAll('`', '&#x60;');
}
