import request from 'supertest';
import { LANGS, languageName, loadCatalog } from '../../../src/platform/i18n';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';
import { duplicateIds, untranslated } from './helpers';

// /pt/ is complete: every piece of text on a Portuguese page that also appears, word for word, on the same
// page in English is either a proper name, a code or a number, or is marked lang="en" (the technical
// disclosure document, which says so). Anything else is English left behind.

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  const reference = await loadReference(database.db);
  // Cities and counties are names in every language (the form lists offices by city, counties by name).
  for (const office of reference.offices) PROPER_NAMES.add(office.city.toLowerCase());
  for (const county of reference.splitCounties) PROPER_NAMES.add(county.countyName.toLowerCase());
  for (const lang of LANGS) PROPER_NAMES.add(languageName(lang).toLowerCase());
  NAMES_LONGEST_FIRST = [...PROPER_NAMES]
    .sort((a, b) => b.length - a.length)
    .map((name) => new RegExp(`(?<=[\\s,;:()/–—-])${escapeRegExp(name)}(?=[\\s,;:()/–—.-])`, 'gi'));
  await insertTestRelease(database.db, reference, {
    label: '2025-Q4',
    cutoff: '2025-12-31',
    publishedOn: '2026-01-20',
  });
  await insertTestRelease(database.db, reference, { label: '2026-Q3' });
});
afterAll(() => database.destroy());

const PAGES = [
  '/',
  '/report',
  '/status',
  '/map',
  '/map?view=field_office&action=surveillance',
  '/map?view=field_office&compare=previous',
  '/data',
  '/data/releases',
  '/data/releases/2025-Q4',
  '/data/releases/2026-Q3/changes',
  '/codebook',
  '/methodology',
  '/methodology/disclosure',
  '/cases',
  '/cases/map',
  '/moderate/login',
  '/no-such-page',
];

// Names that are the same in both languages: the site's, the agency's, places, software, file formats.
const PROPER_NAMES = new Set(
  [
    'Represalia',
    'ICE',
    'DHS',
    'USPS',
    'JavaScript',
    'Tor Browser',
    'Excel',
    'Sheets',
    'pandas',
    'Python',
    'R',
    'CSV',
    'JSON',
    'SVG',
    'PNG',
    'ZIP',
    'GeoJSON',
    'Atom',
    'Enforcement and Removal Operations',
    'Frictionless',
    'Total',
  ].map((name) => name.toLowerCase()),
);
let NAMES_LONGEST_FIRST: RegExp[] = [];
const english = loadCatalog('en');
const portuguese = loadCatalog('pt');
// Place names that Portuguese spells as English does (Texas, Ohio, Boston): taken from the catalogs.
for (const [key, value] of portuguese) {
  if (key.startsWith('reference.states.') && english.get(key) === value)
    PROPER_NAMES.add(value.toLowerCase());
}

/** The visible text of a page, one piece per text node or labelling attribute, without parts marked lang="en". */
function textPieces(html: string): string[] {
  const visible = html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<head>[\s\S]*?<\/head>/, '')
    // Code is the same in every language: snippets, codes and machine names.
    .replace(/<pre[\s\S]*?<\/pre>/g, '')
    .replace(/<code[\s\S]*?<\/code>/g, '')
    .replace(/<span class="code">[^<]*<\/span>/g, '')
    .replace(/<div lang="en">[\s\S]*?<\/div>\s*<p><a/g, '<p><a')
    .replace(/<(?!html\b)(\w+)[^>]*\slang="en"[^>]*>[\s\S]*?<\/\1>/g, '');
  const attributes = [...visible.matchAll(/\s(?:alt|title|aria-label|placeholder)="([^"]*)"/g)].map(
    (m) => m[1] ?? '',
  );
  const nodes = visible.split(/<[^>]+>/);
  return [...nodes, ...attributes]
    .map((piece) =>
      piece
        .replace(/&amp;/g, '&')
        .replace(/&quot;|&#x27;|&#39;/g, "'")
        .replace(/&[a-z]+;|&#x?[0-9a-f]+;/gi, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((piece) => /\p{L}{2,}/u.test(piece));
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when a piece is only names, codes and numbers, the same in every language. */
function languageFree(piece: string): boolean {
  // Names inside a piece ("Rhode Island: 33", "New Orleans (AL, AR)") are taken out, longest first.
  let rest = ` ${piece} `;
  for (const name of NAMES_LONGEST_FIRST) rest = rest.replace(name, ' ');
  rest = rest.trim();
  // Codes and machine names: by_state, 2026-Q3, state_label_en, datapackage.json, a URL.
  if (/^[\w.:/?=&#-]+$/.test(rest) && /[_./\d]/.test(rest)) return true;
  // What is left may hold only postal and office codes (TX, HOU) and numbers.
  const words = rest.split(/[\s,;:()·×/–—-]+/).filter((word) => /\p{L}/u.test(word));
  return words.every((word) => /^[A-Z]{2,3}$/.test(word) || /\d/.test(word));
}

function text(res: request.Response, done: (error: Error | null, body: string) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
}

async function englishLeftOn(path: string): Promise<string[]> {
  const [en, pt] = await Promise.all([
    request(testApp.app).get(path),
    request(testApp.app).get(path === '/' ? '/pt/' : `/pt${path}`),
  ]);
  expect(pt.status).toBe(en.status);
  expect(pt.text).toContain('<html lang="pt">');
  const inEnglish = new Set(textPieces(en.text));
  return textPieces(pt.text).filter((piece) => inEnglish.has(piece) && !languageFree(piece));
}

describe('the Portuguese site', () => {
  it.each(PAGES)('%s has no English left but names, codes and numbers', async (path) => {
    expect(await englishLeftOn(path)).toEqual([]);
  });

  it('answers a report form with errors in Portuguese, with no English left', async () => {
    const form = await request(testApp.app).get('/pt/report').expect(200);
    const token = /name="token" value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const sent = await request(testApp.app).post('/pt/report').type('form').send({ token }).expect(422);
    expect(sent.text).toContain('Escolha o estado ou território onde aconteceu.');
    const english = await request(testApp.app).post('/report').type('form').send({ token }).expect(422);
    const inEnglish = new Set(textPieces(english.text));
    expect(textPieces(sent.text).filter((piece) => inEnglish.has(piece) && !languageFree(piece))).toEqual([]);
  });

  it.each(PAGES)('%s has no untranslated key and no repeated id', async (path) => {
    const html = (await request(testApp.app).get(path === '/' ? '/pt/' : `/pt${path}`)).text;
    expect(untranslated(html)).toEqual([]);
    expect(duplicateIds(html)).toEqual([]);
  });

  it('would notice English left behind (the check is not empty)', async () => {
    // The English page compared with itself is all "English left": the check must find plenty.
    const html = (await request(testApp.app).get('/methodology')).text;
    const pieces = textPieces(html).filter((piece) => !languageFree(piece));
    expect(pieces.length).toBeGreaterThan(30);
  });

  it('draws its maps with Portuguese titles and legends, as SVG and PNG', async () => {
    const svg = await request(testApp.app).get('/pt/map/states.svg').buffer(true).parse(text).expect(200);
    expect(svg.body).toContain('Relatos por estado');
    expect(svg.body).not.toContain('Reports by state');
    const png = await request(testApp.app).get('/pt/map/states.png').expect(200);
    expect(png.headers['content-type']).toBe('image/png');
    const englishPng = await request(testApp.app).get('/map/states.png').expect(200);
    expect(Buffer.compare(png.body as Buffer, englishPng.body as Buffer)).not.toBe(0);
  });
});
