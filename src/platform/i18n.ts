import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from './paths';

// Two languages, the language in the URL (promise 4): English at /…, Spanish at /es/…. No cookie and no
// Accept-Language sniffing, so a page's language never depends on anything but its address.

export const LANGS = ['en', 'es'] as const;
export type Lang = (typeof LANGS)[number];

export type Catalog = ReadonlyMap<string, string>;

const LOCALES_DIR = fromRoot('locales');

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
export function loadCatalog(lang: Lang): Catalog {
  const map = new Map<string, string>();
  flatten('', JSON.parse(readFileSync(path.join(LOCALES_DIR, `${lang}.json`), 'utf8')), map);
  return map;
}

const catalogs: Record<Lang, Catalog> = { en: loadCatalog('en'), es: loadCatalog('es') };

/** Translates a key, filling {placeholders}; a missing key shows itself, and a test keeps that from shipping. */
export function translate(lang: Lang, key: string, params: Record<string, unknown> = {}): string {
  const template = catalogs[lang].get(key) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The path of the same page in the given language: /report ↔ /es/report, / ↔ /es/. */
export function localizedPath(lang: Lang, pathInEnglish: string): string {
  if (lang === 'en') return pathInEnglish;
  return pathInEnglish === '/' ? '/es/' : `/es${pathInEnglish}`;
}

/** Splits a request path into its language and the English path of the same page. */
export function splitLangPath(requestPath: string): { lang: Lang; path: string } {
  if (requestPath === '/es' || requestPath.startsWith('/es/')) {
    return { lang: 'es', path: requestPath.slice(3) || '/' };
  }
  return { lang: 'en', path: requestPath };
}

export function otherLang(lang: Lang): Lang {
  return lang === 'en' ? 'es' : 'en';
}

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }),
  es: new Intl.DateTimeFormat('es', { dateStyle: 'long', timeZone: 'UTC' }),
};

/** A YYYY-MM-DD date in words in the page's language (October 20, 2026 · 20 de octubre de 2026). */
export function longDate(iso: string, lang: Lang): string {
  return dateFormats[lang].format(new Date(`${iso}T00:00:00Z`));
}
