import { Router, type Response } from 'express';
import { requireModerator } from '../accounts/session';
import { NotFoundError } from '../platform/errors';
import { localizedPath } from '../platform/i18n';
import { parseOrThrow } from '../platform/parse';
import type { Reference } from '../reference/types';
import { CodesForm, fieldsOf } from './codes-form';
import type { Corrections } from './corrections';
import { decidedListView, decidedView } from './decided-presenter';
import { reportIdParam } from './report-id';

// Decided reports the desk may still correct (issue 16): until the next release's cutoff, never after.

export interface DecidedRouterDeps {
  reference: Reference;
  corrections: Corrections;
}

/** Routes for correcting decided reports, in both languages. */
export function decidedRouter(deps: DecidedRouterDeps): Router {
  const { corrections, reference } = deps;
  const router = Router();

  const renderOne = async (res: Response, id: string, status = 200, notice?: string) => {
    const found = await corrections.decided(id);
    if (!found) throw new NotFoundError();
    res
      .status(status)
      .render('moderation/decided', { ...decidedView(reference, found, res.locals.lang), notice });
  };

  router.get('/moderate/decided', requireModerator, async (_req, res) => {
    res.render(
      'moderation/decided-list',
      decidedListView(reference, await corrections.correctable(), res.locals.lang),
    );
  });

  router.get('/moderate/decided/:id', requireModerator, async (req, res) => {
    await renderOne(res, reportIdParam(req));
  });

  router.post('/moderate/decided/:id/codes', requireModerator, async (req, res) => {
    const id = reportIdParam(req);
    const form = parseOrThrow(CodesForm, req.body);
    const result = await corrections.correct(res.locals.moderator!.id, id, form.version, fieldsOf(form));
    if (result.ok)
      return res.redirect(303, localizedPath(res.locals.lang, `/moderate/decided/${id}?saved=1`));
    await renderOne(
      res,
      id,
      result.stale ? 409 : 422,
      result.stale ? 'moderation.report.stale' : result.error,
    );
  });

  return router;
}
