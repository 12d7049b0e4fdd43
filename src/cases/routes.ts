import { Router } from 'express';
import { send } from '../platform/send';
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

// The public record's public routes, in every language (app.ts mounts them at / and each language prefix, before the public
// site's router, whose /api/v1 catch-all would otherwise answer /api/v1/cases). Anonymous: no session, no
// cookie. Pages and files go out through the public site's sender: cached per revision, compressed as the
// client accepts, and answered 304 when the client holds the current version.

export interface CasesRouterDeps {
  reference: Reference;
  casePages: CasePages;
}

/** GET /cases, /cases/:id, /cases.csv, /api/v1/cases and the map layer /cases/map (plus its SVG files). */
export function casesRouter(deps: CasesRouterDeps): Router {
  const { reference, casePages } = deps;
  const { caches } = casePages;
  const router = Router();

  router.get('/cases', async (req, res) => {
    const { page, ...query } = parseCaseQuery(ListQuery, req.query);
    const filter = checkFilter(reference, query);
    await send(req, res, caches, await casePages.list(filter, Number(page ?? 1), res.locals.lang));
  });

  router.get('/cases.csv', async (req, res) => {
    const filter = checkFilter(reference, parseCaseQuery(DownloadQuery, req.query));
    await send(req, res, caches, await casePages.csv(filter));
  });

  router.get('/api/v1/cases', async (req, res) => {
    const filter = checkFilter(reference, parseCaseQuery(DownloadQuery, req.query));
    await send(req, res, caches, await casePages.json(filter));
  });

  router.get('/cases/map', async (req, res) => {
    const { view, ...query } = parseCaseQuery(MapQuery, req.query);
    const filter = checkFilter(reference, query);
    await send(req, res, caches, await casePages.map(view ?? 'state', filter, res.locals.lang));
  });

  for (const [file, view] of [
    ['states', 'state'],
    ['field-offices', 'field_office'],
  ] as const) {
    router.get(`/cases/map/${file}.svg`, async (req, res) => {
      const filter = checkFilter(reference, parseCaseQuery(MapFileQuery, req.query));
      await send(req, res, caches, await casePages.mapFile(view, filter, res.locals.lang));
    });
  }

  router.get('/cases/:id', async (req, res) => {
    const id = caseIdParam(req.params.id);
    parseCaseQuery(NoQuery, req.query);
    await send(req, res, caches, await casePages.detail(id, res.locals.lang));
  });

  return router;
}
