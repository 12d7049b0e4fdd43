import { recordAudit } from '../audit/store';
import { NotFoundError } from '../platform/errors';
import { createKeyWrapping, USERNAME, type AccountsDeps, type Refused } from './credentials';
import { hashPassword, unwrapDeskKey, verifyDecoy, verifyPassword } from './keys';
import { moderatorKeyIsAuthentic, openModeratorKey, openSealedDeskKey } from './moderator-keys';
import { passwordProblem, type PasswordProblem } from './passwords';
import * as store from './store';
import type { Moderator, UnlockedDesk } from './types';

// Signing in with a password (the first of two steps; second-factor.ts is the other), the signed-in
// account, the sign-in and sign-out audit rows, and changing one's own password.

export type SignInResult = { ok: true; moderator: Moderator; desk: UnlockedDesk | null } | Refused<'invalid'>;

export type PasswordResult = { ok: true } | Refused<PasswordProblem | 'wrong_current'>;

/** Builds the sign-in half of the accounts service. */
export function createSignIn(deps: AccountsDeps) {
  const { db } = deps;
  const { wrapFor, ownKeyFor } = createKeyWrapping(deps);
  const INVALID = { ok: false, problem: 'invalid' } as const;

  return {
    /**
     * Checks a username and password. On success also unwraps the desk key with the password: this is the
     * only moment the key can be opened, so it is handed to the caller to carry in the session.
     */
    async checkPassword(username: string, password: string): Promise<SignInResult> {
      const moderator = USERNAME.test(username)
        ? await store.findModeratorByUsername(db, username)
        : undefined;
      if (!moderator || moderator.disabled) {
        await verifyDecoy(password, deps.argon2);
        return INVALID;
      }
      if (!(await verifyPassword(moderator.passwordHash, password))) return INVALID;
      const own = await openModeratorKey(moderator, password);
      // The desk key wrapped under the password, or (after a rotation) sealed to the account's own key.
      let pair = moderator.wrappedDeskKey ? await unwrapDeskKey(moderator.wrappedDeskKey, password) : null;
      if (!pair && own && moderator.deskKeySealed)
        pair = await openSealedDeskKey(moderator.deskKeySealed, own);
      const desk = pair && moderator.deskKeyId ? { id: moderator.deskKeyId, pair } : null;
      // Accounts from before rotations existed get their own key pair here, the one moment their password
      // is at hand; one whose stored public half was tampered with gets the true one back.
      if (!own || !moderatorKeyIsAuthentic(deps.sessionSecret, moderator)) {
        await store.updateModerator(db, moderator.id, await ownKeyFor(moderator.id, password, own, desk));
      }
      return { ok: true, moderator, desk };
    },

    /** The account behind a session, while it exists and is not disabled (a lookup, not a decision). */
    async findActive(id: number): Promise<Moderator | undefined> {
      const moderator = await store.findModeratorById(db, id);
      return moderator && !moderator.disabled ? moderator : undefined;
    },

    async recordLogin(moderatorId: number, action: 'login' | 'logout'): Promise<void> {
      await recordAudit(db, { moderatorId, action });
    },

    /** Changes one's own password and re-wraps the desk key (held unlocked in the session) under it. */
    async changePassword(
      moderatorId: number,
      current: string,
      next: string,
      desk: UnlockedDesk | null,
    ): Promise<PasswordResult> {
      const moderator = await store.findModeratorById(db, moderatorId);
      if (!moderator) throw new NotFoundError();
      if (!(await verifyPassword(moderator.passwordHash, current)))
        return { ok: false, problem: 'wrong_current' };
      const problem = passwordProblem(next, moderator.username);
      if (problem) return { ok: false, problem };
      // Keep the existing wrap when this session holds no desk key: better no change than losing access.
      const wrap = desk ? await wrapFor(next, desk) : {};
      const own = await ownKeyFor(moderatorId, next, await openModeratorKey(moderator, current), desk);
      await db.transaction(async (trx) => {
        await store.updateModerator(trx, moderatorId, {
          passwordHash: await hashPassword(next, deps.argon2),
          mustChangePassword: false,
          ...wrap,
          ...own,
        });
        await recordAudit(trx, { moderatorId, action: 'password_changed' });
      });
      return { ok: true };
    },
  };
}
