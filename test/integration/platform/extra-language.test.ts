import request from 'supertest';
import { LANGS } from '../../../src/platform/i18n';
import { loadReference } from '../../../src/reference/store';
import { buildTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { insertTestRelease } from '../../support/public-release';

// A clone with one extra catalog file serves a fourth language: this test gives the app a copy of locales/
// plus fr.json (the English catalog renamed, a few messages in French, one key left out) and nothing else.
jest.mock('../../../src/platform/paths', () => {
  const actual = jest.requireActual<typeof import('../../../src/platform/paths')>(
    '../../../src/platform/paths',
  );
  const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
  const os = jest.requireActual<typeof import('node:os')>('node:os');
  const path = jest.requireActual<typeof import('node:path')>('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'represalia-fr-'));
  for (const file of fs.readdirSync(actual.fromRoot('locales'))) {
    fs.copyFileSync(actual.fromRoot('locales', file), path.join(dir, file));
  }
  const fr = JSON.parse(fs.readFileSync(path.join(dir, 'en.json'), 'utf8')) as {
    language: Record<string, string>;
    nav: Record<string, string>;
    reference: { states: Record<string, string> };
    footer: Record<string, string>;
  };
  fr.language = { name: 'Français', locale: 'fr' };
  fr.nav.report = 'Signaler un fait';
  fr.reference.states.NC = 'Caroline du Nord';
  delete fr.footer.licence;
  fs.writeFileSync(path.join(dir, 'fr.json'), JSON.stringify(fr));
  return {
    ...actual,
    mockLocalesDir: dir,
    fromRoot: (...parts: string[]) =>
      parts[0] === 'locales' ? path.join(dir, ...parts.slice(1)) : actual.fromRoot(...parts),
  };
});

let database: TestDatabase;
let testApp: TestApp;

beforeAll(async () => {
  database = await createTestDatabase();
  testApp = await buildTestApp(database.db);
  const reference = await loadReference(database.db);
  await insertTestRelease(database.db, reference, { label: '2026-Q3' });
});
afterAll(async () => {
  await database.destroy();
  const paths = jest.requireMock<{ mockLocalesDir: string }>('../../../src/platform/paths');
  const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
  fs.rmSync(paths.mockLocalesDir, { recursive: true, force: true });
});

describe('a fourth language from one catalog file', () => {
  it('is served at its prefix, in its language, with its own messages', async () => {
    expect(LANGS).toContain('fr');
    const response = await request(testApp.app).get('/fr/').expect(200);
    expect(response.text).toContain('<html lang="fr">');
    expect(response.text).toContain('Signaler un fait');
    expect(response.text).toContain('Caroline du Nord');
  });

  it('falls back to English for a message its catalog lacks', async () => {
    const [english, french] = await Promise.all([
      request(testApp.app).get('/').expect(200),
      request(testApp.app).get('/fr/').expect(200),
    ]);
    const licence = /<p class="site-footer__licence">([^<]+)<\/p>/;
    expect(licence.exec(french.text)?.[1]).toBe(licence.exec(english.text)?.[1]);
  });

  it('is listed by its own name on every page, and every page lists its twins as alternates', async () => {
    for (const path of ['/', '/es/report', '/data', '/fr/methodology']) {
      const html = (await request(testApp.app).get(path).expect(200)).text;
      const switches = [
        ...html.matchAll(/class="lang-switch" href="([^"]+)" hreflang="([^"]+)"[^>]*>([^<]+)</g),
      ];
      const alternates = [...html.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((m) => m[1]);
      const own = /<html lang="([^"]+)">/.exec(html)?.[1];
      expect(switches.map((m) => m[2])).toEqual(LANGS.filter((lang) => lang !== own));
      expect(alternates).toEqual(LANGS.filter((lang) => lang !== own));
      if (own !== 'fr') expect(switches.find((m) => m[2] === 'fr')?.[3]).toBe('Français');
    }
  });

  it('serves the report form, the status page and the data in the new language', async () => {
    for (const path of ['/fr/report', '/fr/status', '/fr/data', '/fr/codebook', '/fr/cases']) {
      const response = await request(testApp.app).get(path).expect(200);
      expect(response.text).toContain('<html lang="fr">');
    }
  });

  it('adds its label columns to the downloads', async () => {
    const csv = (await request(testApp.app).get('/data/releases/2026-Q3/by_state.csv').expect(200)).text;
    const header = csv.replace(/^\ufeff/, '').split('\r\n')[0];
    expect(header).toBe(
      ['state', ...LANGS.map((lang) => `state_label_${lang}`), 'count', 'status'].join(','),
    );
    expect(csv).toContain('Caroline du Nord');
    const codebook = (await request(testApp.app).get('/data/releases/2026-Q3/codebook.csv').expect(200)).text;
    expect(codebook.split('\r\n')[0]).toContain('label_fr');
  });
});
