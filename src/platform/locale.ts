import type { RequestHandler } from 'express';
import { languageLinks, splitLangPath, translate, type Lang, type LanguageLink } from './i18n';

declare module 'express-serve-static-core' {
  interface Locals {
    lang: Lang;
    /** The English path of this page, for building its twins and navigation. */
    pagePath: string;
    /** The same page in every other language: the language switch and <link rel="alternate" hreflang>. */
    languages: LanguageLink[];
    t(key: string, params?: Record<string, unknown>): string;
  }
}

/** Sets the page's language from its URL and the links to the same page in every other language. */
export const localeFromPath: RequestHandler = (req, res, next) => {
  const { lang, path } = splitLangPath(req.path);
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  res.locals.lang = lang;
  res.locals.pagePath = path;
  // Keep the query so a filtered map or table links to the same view in the other languages.
  res.locals.languages = languageLinks(lang, path, query);
  res.locals.t = (key, params) => translate(lang, key, params);
  next();
};
