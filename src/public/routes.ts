import { Router } from 'express';
import type { Reference } from '../reference/types';
import { homeView } from './home';

/** Public pages: the home page now; maps, data and downloads come with releases. */
export function publicRouter(deps: { reference: Reference }): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.render('public/home', homeView(deps.reference, res.locals.lang));
  });
  return router;
}
