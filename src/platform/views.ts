import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import Handlebars from 'handlebars';
import type { Assets } from './assets';
import { fromRoot } from './paths';
import { DEFAULT_LANG, isLang, localizedPath, translate, type Lang } from './i18n';

// Server-rendered Handlebars. Templates and partials are compiled once; the layout wraps every page.
// Everything is escaped: the page body reaches the layout as a SafeString, never through {{{ }}}, so a
// template cannot print raw reporter text by accident.

const VIEWS_DIR = fromRoot('views');

function listTemplates(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listTemplates(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : entry.name.endsWith('.hbs')
        ? [`${prefix}${entry.name.slice(0, -4)}`]
        : [],
  );
}

function langOf(options: Handlebars.HelperOptions): Lang {
  const data = options.data as { root?: { lang?: Lang } } | undefined;
  const root = data?.root;
  return isLang(root?.lang) ? root.lang : DEFAULT_LANG;
}

/** A Handlebars instance with the app's helpers: t (translate), href (localize a path), asset, eq. */
export function createHandlebars(assets: Assets): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
    return translate(langOf(options), key, options.hash as Record<string, unknown>);
  });
  hbs.registerHelper('href', function (pathInEnglish: string, options: Handlebars.HelperOptions) {
    return localizedPath(langOf(options), pathInEnglish);
  });
  hbs.registerHelper('asset', (logicalPath: string) => assets.url(logicalPath));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).map(String).join(''));
  hbs.registerHelper(
    'includes',
    (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item),
  );
  // Text the desk writes in English and Spanish only: Spanish pages show the Spanish, all others the English.
  hbs.registerHelper('localized', function (en: unknown, es: unknown, options: Handlebars.HelperOptions) {
    return langOf(options) === 'es' ? es : en;
  });
  const partialsDir = path.join(VIEWS_DIR, 'partials');
  for (const name of listTemplates(partialsDir)) {
    hbs.registerPartial(name, readFileSync(path.join(partialsDir, `${name}.hbs`), 'utf8'));
  }
  return hbs;
}

/** Registers the view engine on the app: `res.render('public/home', data)` renders inside layouts/main. */
export function useViews(app: Express, assets: Assets): void {
  const hbs = createHandlebars(assets);
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  const compile = (file: string): Handlebars.TemplateDelegate => {
    let template = cache.get(file);
    if (!template) {
      template = hbs.compile(readFileSync(file, 'utf8'), { strict: false });
      cache.set(file, template);
    }
    return template;
  };
  const layoutFile = path.join(VIEWS_DIR, 'layouts', 'main.hbs');
  app.engine('hbs', (file, data, callback) => {
    try {
      const context = data as Record<string, unknown>;
      const body = compile(file)(context);
      if (context.layout === false) return callback(null, body);
      callback(null, compile(layoutFile)({ ...context, body: new hbs.SafeString(body) }));
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  });
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
}
