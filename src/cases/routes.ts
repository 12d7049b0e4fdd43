import { Router, type Response } from 'express';
import type { Reference } from '../reference/types';
import {
  caseIdParam,
  checkFilter,
  DownloadQuery,
  ListQuery,
  MapFileQuery,
  MapQuery,
  NoQuery,
  parseCaseQuery,
} from './params';
import type { CasePages } from './pages';

// The public record's public routes, in both languages (app.ts mounts them at / and /es, before the public
// site's router, whose /api/v1 catch-all would otherwise answer /api/v1/cases). Anonymous: no session, no
// cookie. The desk edits cases at any time, so responses are cached briefly and revalidated by ETag.

export interface CasesRouterDeps {
  reference: Reference;
  casePages: CasePages;
}

// A minute: a retraction reaches readers and proxies quickly, while a busy page is still served from caches.
const fresh = (res: Response) => res.set('Cache-Control', 'public, max-age=60');

/** GET /cases, /cases/:id, /cases.csv, /api/v1/cases and the map layer /cases/map (plus its SVG files). */
export function casesRouter(deps: CasesRouterDeps): Router {
  const { reference, casePages } = deps;
  const router = Router();

  router.get('/cases', async (req, res) => {
    const { page, ...query } = parseCaseQuery(ListQuery, req.query);
    const model = await casePages.list(checkFilter(reference, query), Number(page ?? 1), res.locals.lang);
    fresh(res).render('cases/list', model);
  });

  router.get('/cases.csv', async (req, res) => {
    const filter = checkFilter(reference, parseCaseQuery(DownloadQuery, req.query));
    fresh(res)
      .type('text/csv; charset=utf-8; header=present')
      .set('Content-Disposition', 'attachment; filename="represalia-public-record.csv"')
      .send(await casePages.csv(filter));
  });

  router.get('/api/v1/cases', async (req, res) => {
    const filter = checkFilter(reference, parseCaseQuery(DownloadQuery, req.query));
    fresh(res)
      .type('application/json; charset=utf-8')
      .send(await casePages.json(filter));
  });

  router.get('/cases/map', async (req, res) => {
    const { view, ...query } = parseCaseQuery(MapQuery, req.query);
    const model = await casePages.map(view ?? 'state', checkFilter(reference, query), res.locals.lang);
    fresh(res).render('cases/map', model);
  });

  for (const [file, view] of [
    ['states', 'state'],
    ['field-offices', 'field_office'],
  ] as const) {
    router.get(`/cases/map/${file}.svg`, async (req, res) => {
      const filter = checkFilter(reference, parseCaseQuery(MapFileQuery, req.query));
      fresh(res)
        .type('image/svg+xml; charset=utf-8')
        .set('Content-Disposition', `inline; filename="represalia-public-record-${file}.svg"`)
        // Journalists embed maps in other pages, like the release maps.
        .set('Cross-Origin-Resource-Policy', 'cross-origin')
        .send(await casePages.mapFile(view, filter, res.locals.lang));
    });
  }

  router.get('/cases/:id', async (req, res) => {
    const id = caseIdParam(req.params.id);
    parseCaseQuery(NoQuery, req.query);
    fresh(res).render('cases/case', await casePages.detail(id, res.locals.lang));
  });

  return router;
}
