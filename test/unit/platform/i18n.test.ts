import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_LANG,
  LANGS,
  discoverLangs,
  languageLinks,
  languageName,
  loadCatalog,
  localizedPath,
  splitLangPath,
  translate,
  translateCount,
} from '../../../src/platform/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const english = loadCatalog('en');
const catalogs = new Map(LANGS.map((lang) => [lang, loadCatalog(lang)]));

describe('the catalogs in locales/', () => {
  it('are one language each, English first, and include at least English, Spanish and Portuguese', () => {
    expect(LANGS[0]).toBe(DEFAULT_LANG);
    expect(LANGS).toEqual(expect.arrayContaining(['en', 'es', 'pt']));
    expect(readdirSync(path.resolve(__dirname, '../../../locales')).length).toBe(LANGS.length);
  });

  it('name themselves in their own language, with a locale Intl knows', () => {
    const names = LANGS.map((lang) => [lang, languageName(lang)]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['en', 'English'],
        ['es', 'Español'],
      ]),
    );
    for (const [lang, catalog] of catalogs) {
      const locale = catalog.get('language.locale') ?? '';
      expect({ lang, supported: Intl.PluralRules.supportedLocalesOf([locale]).length }).toEqual({
        lang,
        supported: 1,
      });
    }
  });

  it('list no missing key in any language (the list below names every one)', () => {
    const missing = Object.fromEntries(
      LANGS.map((lang) => [lang, [...english.keys()].filter((key) => !catalogs.get(lang)?.has(key))]),
    );
    expect(missing).toEqual(Object.fromEntries(LANGS.map((lang) => [lang, []])));
  });

  it('hold no key that English lacks (a misspelt key would never be shown)', () => {
    const extra = Object.fromEntries(
      LANGS.map((lang) => [
        lang,
        [...(catalogs.get(lang)?.keys() ?? [])].filter(
          // Plural forms English does not need (count_few, count_many) are allowed.
          (key) => !english.has(key) && !english.has(key.replace(/_(zero|two|few|many)$/, '')),
        ),
      ]),
    );
    expect(extra).toEqual(Object.fromEntries(LANGS.map((lang) => [lang, []])));
  });

  it('have no empty messages and the same placeholders as English', () => {
    for (const [lang, catalog] of catalogs) {
      for (const [key, text] of catalog) {
        const base = english.get(key) ?? english.get(key.replace(/_(zero|two|few|many)$/, '')) ?? '';
        expect({ lang, key, empty: text.trim() === '' }).toEqual({ lang, key, empty: false });
        expect({ lang, key, placeholders: placeholders(text) }).toEqual({
          lang,
          key,
          placeholders: placeholders(base),
        });
      }
    }
  });
});

describe('a language from one file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'represalia-locales-'));
    for (const file of ['en.json', 'fr.json', 'pt-BR.json', 'README.md', 'en.json.bak', 'EN.json']) {
      writeFileSync(path.join(dir, file), '{}');
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is found by its file name alone, and nothing else in the folder becomes a language', () => {
    expect(discoverLangs(dir)).toEqual(['en', 'fr', 'pt-BR']);
  });

  it('refuses a catalog whose name is no language, so it can never shadow a page such as /map', () => {
    writeFileSync(path.join(dir, 'map.json'), '{}');
    expect(() => discoverLangs(dir)).toThrow(/map\.json is not a language tag/);
    rmSync(path.join(dir, 'map.json'));
  });

  it('refuses a folder without the English catalog every other falls back to', () => {
    rmSync(path.join(dir, 'en.json'));
    expect(() => discoverLangs(dir)).toThrow(/en\.json/);
  });
});

describe('language in the URL', () => {
  it('maps each page to its twin and back, for every language', () => {
    expect(localizedPath('es', '/')).toBe('/es/');
    expect(localizedPath('es', '/report')).toBe('/es/report');
    expect(localizedPath('pt', '/report')).toBe('/pt/report');
    expect(splitLangPath('/pt')).toEqual({ lang: 'pt', path: '/' });
    expect(localizedPath('en', '/report')).toBe('/report');
    expect(localizedPath('xx', '/report')).toBe('/report');
    expect(splitLangPath('/es/report')).toEqual({ lang: 'es', path: '/report' });
    expect(splitLangPath('/es/')).toEqual({ lang: 'es', path: '/' });
    expect(splitLangPath('/es')).toEqual({ lang: 'es', path: '/' });
    expect(splitLangPath('/estado')).toEqual({ lang: 'en', path: '/estado' });
    expect(splitLangPath('/en/report')).toEqual({ lang: 'en', path: '/en/report' });
    expect(splitLangPath('/xx/report')).toEqual({ lang: 'en', path: '/xx/report' });
  });

  it('links a page to itself in every other language, by each language’s own name, keeping the query', () => {
    const links = languageLinks('es', '/map', '?year=2024');
    expect(links.map((link) => link.lang)).toEqual(LANGS.filter((lang) => lang !== 'es'));
    expect(links).toEqual(expect.arrayContaining([{ lang: 'en', name: 'English', href: '/map?year=2024' }]));
    expect(languageLinks('en', '/', '')).toEqual(
      expect.arrayContaining([{ lang: 'es', name: 'Español', href: '/es/' }]),
    );
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('es', 'errors.label', { status: 404 })).toBe('Error 404');
    expect(translate('en', 'errors.label')).toBe('Error {status}');
  });

  it('falls back to English for a language it does not know, and shows a key nobody knows', () => {
    expect(translate('xx', 'errors.label', { status: 404 })).toBe(
      translate('en', 'errors.label', { status: 404 }),
    );
    expect(translate('pt', 'no.such.key')).toBe('no.such.key');
  });

  it('chooses plural forms with each language’s plural rules', () => {
    expect(translateCount('en', 'cases.list.count', 1)).toBe(
      translate('en', 'cases.list.count_one', { n: 1 }),
    );
    expect(translateCount('en', 'cases.list.count', 2)).toBe(translate('en', 'cases.list.count', { n: 2 }));
    expect(translateCount('es', 'cases.list.count', 1)).toBe(
      translate('es', 'cases.list.count_one', { n: 1 }),
    );
    // Portuguese (Brazil) treats 0 as singular ("0 caso"), English as plural ("0 cases").
    expect(translateCount('pt', 'cases.list.count', 0)).toBe(
      translate('pt', 'cases.list.count_one', { n: 0 }),
    );
    expect(translateCount('en', 'cases.list.count', 0)).toBe(translate('en', 'cases.list.count', { n: 0 }));
  });
});
