import type { RequestHandler } from 'express';
import { localizedPath, otherLang, splitLangPath, translate, type Lang } from './i18n';

declare module 'express-serve-static-core' {
  interface Locals {
    lang: Lang;
    /** The English path of this page, for building its twin and navigation. */
    pagePath: string;
    twinLang: Lang;
    twinHref: string;
    t(key: string, params?: Record<string, unknown>): string;
  }
}

/** Sets the page's language from its URL and the link to the same page in the other language. */
export const localeFromPath: RequestHandler = (req, res, next) => {
  const { lang, path } = splitLangPath(req.path);
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  res.locals.lang = lang;
  res.locals.pagePath = path;
  res.locals.twinLang = otherLang(lang);
  // Keep the query so a filtered map or table links to the same view in the other language.
  res.locals.twinHref = localizedPath(otherLang(lang), path) + query;
  res.locals.t = (key, params) => translate(lang, key, params);
  next();
};
