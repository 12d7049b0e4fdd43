import type { Db } from '../platform/db';
import type { DeskKeyPair } from '../reports/seal';
import { wrapDeskKey, type Argon2Params } from './keys';
import { moderatorKeyAuthenticator, newModeratorKey, sealDeskKeyTo } from './moderator-keys';
import type { UnlockedDesk } from './types';

// What the accounts services (sign-in.ts, second-factor.ts, admin.ts) share: their dependencies, the
// shape of a refusal, the username rule, and wrapping the desk key and an account's own key pair under
// a new password.

export interface AccountsDeps {
  db: Db;
  sessionSecret: Buffer;
  argon2: Argon2Params;
  today: () => Date;
  now?: () => Date;
}

/** An expected refusal the caller shows in its own page or output (see service.ts for the rule). */
export interface Refused<P extends string> {
  ok: false;
  problem: P;
}

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** The key-wrapping steps every password change shares (a new account, a reset, one's own change). */
export function createKeyWrapping(deps: Pick<AccountsDeps, 'sessionSecret' | 'argon2'>) {
  /** Wraps the desk key for a new password, or leaves the account without desk access when none is unlocked. */
  const wrapFor = async (password: string, desk: UnlockedDesk | null) =>
    desk
      ? { wrappedDeskKey: await wrapDeskKey(desk.pair.privateKey, password, deps.argon2), deskKeyId: desk.id }
      : { wrappedDeskKey: null, deskKeyId: null };

  /**
   * The columns of an account's own key pair under `password` (issue 16): `kept` when the account's pair is
   * re-wrapped, else a new one. The unlocked desk key, when there is one, is sealed to it; a new pair
   * without one leaves the account without a sealed copy rather than with one it cannot open.
   */
  const ownKeyFor = async (
    id: number,
    password: string,
    kept: DeskKeyPair | null,
    desk: UnlockedDesk | null,
  ) => {
    const made = kept ? null : await newModeratorKey(password, deps.argon2);
    const pair = kept ?? made!.pair;
    const sealed = desk ? await sealDeskKeyTo(desk.pair.privateKey, pair.publicKey) : kept ? undefined : null;
    return {
      keyPublic: Buffer.from(pair.publicKey),
      keyWrapped: made ? made.wrapped : await wrapDeskKey(pair.privateKey, password, deps.argon2),
      keyAuthenticator: moderatorKeyAuthenticator(deps.sessionSecret, id, pair.publicKey),
      deskKeySealed: sealed,
    };
  };

  return { wrapFor, ownKeyFor };
}
