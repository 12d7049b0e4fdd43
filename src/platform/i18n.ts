import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from './paths';

// Languages are data: every file locales/<lang>.json is a language, read once at start-up, and the site
// serves it at /<lang>/… (English, the default, at /…). The language lives in the URL (promise 4): no
// cookie and no Accept-Language sniffing, so a page's language never depends on anything but its address.
// Adding a language is dropping its catalog in locales/ and restarting; nothing in the code names one.

/** A language tag, the name of its catalog file (en, es, pt, …). */
export type Lang = string;

export type Catalog = ReadonlyMap<string, string>;

/** The language served without a prefix, and the one every missing message falls back to. */
export const DEFAULT_LANG: Lang = 'en';

// A URL segment and a BCP 47 primary tag (optionally with a region or script): nothing else may become a
// path prefix, so a stray file in locales/ (a backup, a README) cannot mount a route.
const LANG_FILE = /^([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.json$/;

function flatten(prefix: string, value: unknown, into: Map<string, string>): void {
  if (typeof value === 'string') {
    into.set(prefix, value);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) flatten(prefix ? `${prefix}.${key}` : key, child, into);
  }
}

/** Reads one catalog (locales/<lang>.json) as a flat map of dotted keys. */
export function loadCatalog(lang: Lang, dir: string = fromRoot('locales')): Catalog {
  const map = new Map<string, string>();
  flatten('', JSON.parse(readFileSync(path.join(dir, `${lang}.json`), 'utf8')), map);
  return map;
}

const knownLanguages = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** The languages whose catalogs are in a folder: the default first, then the others in tag order. */
export function discoverLangs(dir: string = fromRoot('locales')): Lang[] {
  const found = readdirSync(dir)
    .map((file) => LANG_FILE.exec(file)?.[1])
    .filter((lang): lang is string => lang !== undefined)
    .sort();
  if (!found.includes(DEFAULT_LANG)) throw new Error(`locales/${DEFAULT_LANG}.json is missing.`);
  // A tag becomes a path prefix: locales/map.json or api.json would shadow /map or /api, so only a
  // language Intl knows by name may be one.
  const unknown = found.filter((lang) => knownLanguages.of(lang) === undefined);
  if (unknown.length > 0) {
    throw new Error(`locales/: ${unknown.map((lang) => `${lang}.json`).join(', ')} is not a language tag.`);
  }
  return [DEFAULT_LANG, ...found.filter((lang) => lang !== DEFAULT_LANG)];
}

interface Language {
  catalog: Catalog;
  /** The BCP 47 locale Intl formats with (catalog key language.locale, else the tag itself). */
  locale: string;
  plurals: Intl.PluralRules;
  dates: Intl.DateTimeFormat;
}

const LOCALES_DIR = fromRoot('locales');

/** Every language served, the default first: one per catalog file, read once at start-up. */
export const LANGS: readonly Lang[] = discoverLangs(LOCALES_DIR);

const languages = new Map<Lang, Language>(
  LANGS.map((lang) => {
    const catalog = loadCatalog(lang, LOCALES_DIR);
    const locale = catalog.get('language.locale') ?? lang;
    return [
      lang,
      {
        catalog,
        locale,
        plurals: new Intl.PluralRules(locale),
        dates: new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
      },
    ];
  }),
);

function language(lang: Lang): Language {
  const found = languages.get(lang) ?? languages.get(DEFAULT_LANG);
  if (!found) throw new Error(`No catalog for ${lang}.`);
  return found;
}

/** True for a language the site serves. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && languages.has(value);
}

/** The message for a key in a language, else in English, else undefined. */
export function message(lang: Lang, key: string): string | undefined {
  return language(lang).catalog.get(key) ?? language(DEFAULT_LANG).catalog.get(key);
}

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * Translates a key, filling {placeholders}. A key missing from a language falls back to English (a test
 * lists every such key per language); a key missing from English shows itself, and a test keeps that from
 * shipping.
 */
export function translate(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  return fill(message(lang, key) ?? key, params);
}

/**
 * Translates a message about a number with the language's plural rules (Intl.PluralRules): the key
 * `<key>_<category>` (count_one, count_few, …) when the catalog has it, else `<key>` itself.
 */
export function translateCount(
  lang: Lang,
  key: string,
  count: number,
  params: Record<string, unknown> = {},
): string {
  const { catalog, plurals } = language(lang);
  const category = plurals.select(count);
  const own = catalog.get(`${key}_${category}`) ?? catalog.get(key);
  return fill(own ?? message(lang, key) ?? key, { n: count, ...params });
}

/** A language's name in its own language, for the language switch (English, Español, Português). */
export function languageName(lang: Lang): string {
  return language(lang).catalog.get('language.name') ?? lang;
}

const englishNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** A language's name in English (Spanish, Portuguese), for machine-readable descriptions of downloads. */
export function englishLanguageName(lang: Lang): string {
  return englishNames.of(lang) ?? lang;
}

/** The BCP 47 locale a language formats dates, numbers and sort order with. */
export function intlLocale(lang: Lang): string {
  return language(lang).locale;
}

/** The path of the same page in the given language: /report ↔ /es/report, / ↔ /es/. */
export function localizedPath(lang: Lang, pathInEnglish: string): string {
  if (lang === DEFAULT_LANG || !languages.has(lang)) return pathInEnglish;
  return pathInEnglish === '/' ? `/${lang}/` : `/${lang}${pathInEnglish}`;
}

/** The path prefixes other languages are mounted at: /es, /pt, … */
export function langPrefixes(): string[] {
  return LANGS.filter((lang) => lang !== DEFAULT_LANG).map((lang) => `/${lang}`);
}

/** Splits a request path into its language and the English path of the same page. */
export function splitLangPath(requestPath: string): { lang: Lang; path: string } {
  const segment = /^\/([^/]+)(\/.*)?$/.exec(requestPath);
  const lang = segment?.[1];
  if (lang !== undefined && lang !== DEFAULT_LANG && languages.has(lang)) {
    return { lang, path: segment?.[2] ?? '/' };
  }
  return { lang: DEFAULT_LANG, path: requestPath };
}

/** A link to one page in one language, for the language switch and rel=alternate. */
export interface LanguageLink {
  lang: Lang;
  /** The language's name in its own language. */
  name: string;
  href: string;
}

/** The same page in every language but the current one, in the catalogs' order (suffix: a query to keep). */
export function languageLinks(current: Lang, pathInEnglish: string, suffix = ''): LanguageLink[] {
  return LANGS.filter((lang) => lang !== current).map((lang) => ({
    lang,
    name: languageName(lang),
    href: localizedPath(lang, pathInEnglish) + suffix,
  }));
}

/** A YYYY-MM-DD date in words in the page's language (October 20, 2026 · 20 de octubre de 2026). */
export function longDate(iso: string, lang: Lang): string {
  return language(lang).dates.format(new Date(`${iso}T00:00:00Z`));
}
