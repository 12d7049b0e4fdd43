import { Router, type Request } from 'express';
import { NotFoundError } from '../platform/errors';
import { localizedPath } from '../platform/i18n';
import { parseOrThrow } from '../platform/parse';
import { send } from '../platform/send';
import { isReleaseLabel } from '../releases/label';
import { MapFileQuery, MapQuery, NoQuery, QUERY_ERRORS, ShapesQuery } from './params';
import type { PublicSite } from './site';

// Public pages, maps and downloads, all read from frozen releases. Mounted at / and /es by app.ts.
// Data routes refuse unknown parameters (400); home, codebook and methodology take none and ignore any.

// A path segment that cannot be a label is simply a page that does not exist.
function labelParam(req: Request): string {
  const label = String(req.params.label);
  if (!isReleaseLabel(label)) throw new NotFoundError('public.errors.release_not_found');
  return label;
}

const MAP_FILES = [
  { path: '/map/states', view: 'state' },
  { path: '/map/field-offices', view: 'field_office' },
] as const;

/** The public site's router, over the site app.ts built once (site.ts). */
export function publicRouter(site: PublicSite): Router {
  const router = Router();

  router.get('/', async (req, res) => send(req, res, site, await site.home(res.locals.lang)));

  router.get('/map', async (req, res) => {
    const query = parseOrThrow(MapQuery, req.query, QUERY_ERRORS);
    // The form's single filter select arrives as filter=year:2024; answer with the canonical address.
    if (query.filter) return res.redirect(303, localizedPath(res.locals.lang, site.mapFormTarget(query)));
    await send(req, res, site, await site.map(query, res.locals.lang));
  });

  router.get('/map/shapes.svg', async (req, res) => {
    await send(req, res, site, site.shapes(parseOrThrow(ShapesQuery, req.query, QUERY_ERRORS).v));
  });

  for (const { path, view } of MAP_FILES) {
    for (const format of ['svg', 'png'] as const) {
      router.get(`${path}.${format}`, async (req, res) => {
        const query = parseOrThrow(MapFileQuery, req.query, QUERY_ERRORS);
        await send(req, res, site, await site.mapFile(query, view, format, res.locals.lang));
      });
    }
  }

  router.get('/data', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.releasePage(undefined, res.locals.lang));
  });

  router.get('/data/releases', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.releaseList(res.locals.lang));
  });

  // Follow new releases in a feed reader: the feed in the page's language, linking every language.
  router.get('/data/releases.atom', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.feed(res.locals.lang));
  });

  router.get('/data/releases/:label', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.releasePage(labelParam(req), res.locals.lang));
  });

  router.get('/data/releases/:label/changes', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.changesPage(labelParam(req), res.locals.lang));
  });

  // Files beside the tables: the changes as CSV, the data package descriptor and the codebook it names.
  const RESEARCH_FILES = {
    'changes.csv': site.changesFile,
    'datapackage.json': site.dataPackageFile,
    'codebook.csv': site.codebookFile,
  } as const;
  for (const [file, build] of Object.entries(RESEARCH_FILES)) {
    router.get(`/data/releases/:label/${file}`, async (req, res) => {
      parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
      await send(req, res, site, await build(labelParam(req)));
    });
  }

  router.get('/data/boundaries/:file', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, site.boundaryFile(String(req.params.file)));
  });

  router.get('/data/releases/:label/:file', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.releaseFile(labelParam(req), String(req.params.file)));
  });

  router.get('/api/v1/releases', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.apiReleases());
  });

  router.get('/api/v1/releases/:label/tables/:table', async (req, res) => {
    parseOrThrow(NoQuery, req.query, QUERY_ERRORS);
    await send(req, res, site, await site.apiTable(labelParam(req), String(req.params.table)));
  });

  // Anything else under the API is a JSON 404, not the HTML page.
  router.use('/api/v1', () => {
    throw new NotFoundError();
  });

  router.get('/codebook', async (req, res) => send(req, res, site, await site.codebook(res.locals.lang)));
  router.get('/methodology', async (req, res) =>
    send(req, res, site, await site.methodology(res.locals.lang)),
  );
  router.get('/methodology/disclosure', async (req, res) =>
    send(req, res, site, await site.disclosure(res.locals.lang)),
  );

  return router;
}
