import { Router, type Response } from 'express';
import { ConflictError } from '../platform/errors';
import { deskKeyFingerprint } from './desk-keys';
import { hashSessionId } from './keys';
import type { DeskRotation } from './rotation';
import { carryDesk, deskOf, requireAdmin, requireModerator, saveSession } from './session';

// The desk key page: the key intake seals to and the one this session holds (their fingerprints, for
// comparing out of band), every key so far and every rotation; and, for admins, rotating the key
// (issue 16: offboarding a moderator). Under /moderate, in both languages.

export interface DeskKeyRouterDeps {
  rotation: DeskRotation;
  sessionSecret: Buffer;
}

const PROBLEMS = {
  locked: 'accounts.desk_key.rotate_locked',
  not_current: 'accounts.desk_key.rotate_not_current',
  in_progress: 'accounts.desk_key.rotate_in_progress',
} as const;

/** Routes for the desk key page and its rotation. */
export function deskKeyRouter(deps: DeskKeyRouterDeps): Router {
  const router = Router();
  const render = async (res: Response, extra: Record<string, unknown> = {}) =>
    res.render('accounts/desk-key', {
      titleKey: 'accounts.desk_key.title',
      isAdmin: res.locals.moderator?.role === 'admin',
      ...(await deps.rotation.history()),
      ...extra,
    });

  router.get('/moderate/desk-key', requireModerator, async (_req, res) => {
    await render(res);
  });

  router.post('/moderate/admin/desk-key/rotate', requireAdmin, async (req, res) => {
    const outcome = await deps.rotation.rotate(
      res.locals.moderator!.id,
      hashSessionId(req.sessionID),
      await deskOf(req, deps.sessionSecret),
    );
    if (!outcome.ok) throw new ConflictError(PROBLEMS[outcome.problem]);
    // This session now carries the new key; every other session has ended.
    await carryDesk(req, deps.sessionSecret, outcome.desk);
    await saveSession(req);
    res.locals.deskKey = {
      intake: { fingerprint: fingerprintOf(outcome), authenticated: true },
      held: fingerprintOf(outcome),
      problemKey: null,
    };
    await render(res, { rotated: { reached: outcome.reached, withoutAccess: outcome.withoutAccess } });
  });

  return router;
}

function fingerprintOf(outcome: { desk: { pair: { publicKey: Uint8Array } } }): string {
  return deskKeyFingerprint(outcome.desk.pair.publicKey);
}
