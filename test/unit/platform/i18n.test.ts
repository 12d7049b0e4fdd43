import { loadCatalog, localizedPath, splitLangPath, translate } from '../../../src/platform/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the English and Spanish catalogs', () => {
  const en = loadCatalog('en');
  const es = loadCatalog('es');

  it('have exactly the same keys', () => {
    expect([...es.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('have no empty messages and the same placeholders in both languages', () => {
    for (const [key, english] of en) {
      const spanish = es.get(key) ?? '';
      expect({ key, empty: english.trim() === '' || spanish.trim() === '' }).toEqual({ key, empty: false });
      expect({ key, placeholders: placeholders(spanish) }).toEqual({
        key,
        placeholders: placeholders(english),
      });
    }
  });
});

describe('language in the URL', () => {
  it('maps each page to its twin and back', () => {
    expect(localizedPath('es', '/')).toBe('/es/');
    expect(localizedPath('es', '/report')).toBe('/es/report');
    expect(splitLangPath('/es/report')).toEqual({ lang: 'es', path: '/report' });
    expect(splitLangPath('/es')).toEqual({ lang: 'es', path: '/' });
    expect(splitLangPath('/estado')).toEqual({ lang: 'en', path: '/estado' });
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('es', 'errors.label', { status: 404 })).toBe('Error 404');
    expect(translate('en', 'errors.label')).toBe('Error {status}');
  });
});
