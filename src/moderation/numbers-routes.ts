import { Router } from 'express';
import { requireModerator } from '../accounts/session';
import type { Moderation } from './service';

// The desk's own numbers (issue 16), for moderators only: never a public page, never an API.

/** The numbers page, in both languages. */
export function numbersRouter(deps: { moderation: Moderation }): Router {
  const router = Router();
  router.get('/moderate/numbers', requireModerator, async (_req, res) => {
    const numbers = await deps.moderation.numbers();
    res.render('moderation/numbers', {
      titleKey: 'moderation.numbers.title',
      ...numbers,
      hasOldest: numbers.oldestWaitingDays !== null,
    });
  });
  return router;
}
