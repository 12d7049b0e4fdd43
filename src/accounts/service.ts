import { recordAudit } from '../audit/store';
import type { Db } from '../platform/db';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors';
import { generateDeskKeyPair, type DeskKeyPair } from '../reports/seal';
import { createDeskKey } from './desk-keys';
import {
  decryptWith,
  encryptWith,
  hashPassword,
  serverKey,
  unwrapDeskKey,
  verifyDecoy,
  verifyPassword,
  wrapDeskKey,
  type Argon2Params,
} from './keys';
import {
  moderatorKeyAuthenticator,
  moderatorKeyIsAuthentic,
  newModeratorKey,
  openModeratorKey,
  openSealedDeskKey,
  sealDeskKeyTo,
} from './moderator-keys';
import { generateOneTimePassword, passwordProblem, type PasswordProblem } from './passwords';
import { destroyModeratorSessions } from './session-store';
import * as store from './store';
import { matchTotpStep, newTotpSecret, totpQrSvg, totpUri } from './totp';
import type { Moderator, Role } from './types';

// Decisions about accounts: who may sign in, the second factor, passwords and the desk key they wrap,
// and the admin's management of accounts. Routes stay thin; every change writes an audit row.

export interface AccountsDeps {
  db: Db;
  sessionSecret: Buffer;
  argon2: Argon2Params;
  today: () => Date;
  now?: () => Date;
}

export type Accounts = ReturnType<typeof createAccounts>;

export type PasswordResult = { ok: true } | { ok: false; problem: PasswordProblem | 'wrong_current' };

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** Builds the accounts service over one database and the server's session secret. */
export function createAccounts(deps: AccountsDeps) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const todayIso = () => deps.today().toISOString().slice(0, 10);
  const totpKey = serverKey(deps.sessionSecret, 'totp-secret');

  const sealTotp = (moderatorId: number, secret: string) =>
    encryptWith(totpKey, Buffer.from(secret, 'utf8'), `totp:${moderatorId}`);
  const openTotp = async (moderator: Moderator): Promise<string | null> => {
    if (!moderator.totpSecretSealed) return null;
    const bytes = await decryptWith(totpKey, moderator.totpSecretSealed, `totp:${moderator.id}`);
    return bytes ? Buffer.from(bytes).toString('utf8') : null;
  };

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

  return {
    /**
     * Checks a username and password. On success also unwraps the desk key with the password: this is the
     * only moment the key can be opened, so it is handed to the caller to carry in the session.
     */
    async checkPassword(
      username: string,
      password: string,
    ): Promise<{ moderator: Moderator; desk: UnlockedDesk | null } | null> {
      const moderator = USERNAME.test(username)
        ? await store.findModeratorByUsername(db, username)
        : undefined;
      if (!moderator || moderator.disabled) {
        await verifyDecoy(password, deps.argon2);
        return null;
      }
      if (!(await verifyPassword(moderator.passwordHash, password))) return null;
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
      return { moderator, desk };
    },

    async findActive(id: number): Promise<Moderator | undefined> {
      const moderator = await store.findModeratorById(db, id);
      return moderator && !moderator.disabled ? moderator : undefined;
    },

    /** What the second-factor page shows: a QR code and the secret while enrolling, nothing after. */
    async enrolment(
      moderatorId: number,
    ): Promise<{ enrolled: true } | { enrolled: false; secret: string; qrSvg: string }> {
      const moderator = await store.findModeratorById(db, moderatorId);
      if (!moderator) throw new NotFoundError();
      if (moderator.totpEnrolled) return { enrolled: true };
      let secret = await openTotp(moderator);
      if (!secret) {
        secret = newTotpSecret();
        await store.updateModerator(db, moderator.id, {
          totpSecretSealed: await sealTotp(moderator.id, secret),
        });
      }
      const uri = totpUri(secret, moderator.username);
      return { enrolled: false, secret, qrSvg: await totpQrSvg(uri, `Represalia ${moderator.username}`) };
    },

    /** Accepts a TOTP code once: a code (or any earlier one) that was accepted before is refused. */
    async checkCode(moderatorId: number, code: string): Promise<boolean> {
      const moderator = await store.findModeratorById(db, moderatorId);
      if (!moderator || moderator.disabled) return false;
      const secret = await openTotp(moderator);
      if (!secret) return false;
      const step = matchTotpStep(secret, code, now());
      if (step === null) return false;
      const claimed = await store.claimTotpStep(db, moderator.id, step);
      if (claimed && !moderator.totpEnrolled) {
        await recordAudit(db, { moderatorId: moderator.id, action: 'second_factor_enrolled' });
      }
      return claimed;
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

    listModerators: () => store.listModerators(db),

    /** An admin adds an account; the desk key is wrapped from the admin's unlocked session. */
    async addModerator(
      adminId: number,
      input: { username: string; role: Role },
      desk: UnlockedDesk | null,
    ): Promise<{ id: number; oneTimePassword: string } | { error: 'username_taken' | 'username_invalid' }> {
      if (!USERNAME.test(input.username)) return { error: 'username_invalid' };
      if (await store.findModeratorByUsername(db, input.username)) return { error: 'username_taken' };
      const oneTimePassword = generateOneTimePassword();
      const passwordHash = await hashPassword(oneTimePassword, deps.argon2);
      const wrap = await wrapFor(oneTimePassword, desk);
      const id = await db.transaction(async (trx) => {
        const newId = await store.insertModerator(trx, {
          username: input.username,
          role: input.role,
          passwordHash,
          mustChangePassword: true,
          ...wrap,
          createdOn: todayIso(),
        });
        await store.updateModerator(trx, newId, await ownKeyFor(newId, oneTimePassword, null, desk));
        await recordAudit(trx, {
          moderatorId: adminId,
          action: 'moderator_added',
          subjectModeratorId: newId,
          detail: { role: input.role, deskAccess: wrap.wrappedDeskKey !== null },
        });
        return newId;
      });
      return { id, oneTimePassword };
    },

    /**
     * An admin resets another account: a new one-time password wrapping the desk key anew, a fresh second
     * factor to enrol, and every session of that account ended. This is also how an account created from
     * the command line gets desk access.
     */
    async resetAccount(
      adminId: number,
      targetId: number,
      desk: UnlockedDesk | null,
    ): Promise<{ username: string; oneTimePassword: string }> {
      const target = await store.findModeratorById(db, targetId);
      if (!target) throw new NotFoundError();
      if (target.id === adminId) throw new ForbiddenError('accounts.errors.not_yourself');
      const oneTimePassword = generateOneTimePassword();
      const passwordHash = await hashPassword(oneTimePassword, deps.argon2);
      const wrap = await wrapFor(oneTimePassword, desk);
      const own = await ownKeyFor(target.id, oneTimePassword, null, desk);
      await db.transaction(async (trx) => {
        await store.updateModerator(trx, target.id, {
          passwordHash,
          mustChangePassword: true,
          ...wrap,
          ...own,
          totpSecretSealed: null,
          totpEnrolled: false,
          totpLastStep: null,
        });
        await destroyModeratorSessions(trx, target.id);
        await recordAudit(trx, {
          moderatorId: adminId,
          action: 'moderator_reset',
          subjectModeratorId: target.id,
          detail: { deskAccess: wrap.wrappedDeskKey !== null },
        });
      });
      return { username: target.username, oneTimePassword };
    },

    /** An admin changes a role or disables/enables an account; never their own, never the last admin. */
    async updateAccount(
      adminId: number,
      targetId: number,
      change: { role?: Role; disabled?: boolean },
    ): Promise<void> {
      const target = await store.findModeratorById(db, targetId);
      if (!target) throw new NotFoundError();
      if (target.id === adminId) throw new ForbiddenError('accounts.errors.not_yourself');
      await db.transaction(async (trx) => {
        await store.updateModerator(trx, target.id, change);
        if ((await store.countActiveAdmins(trx)) === 0) throw new ConflictError('accounts.errors.last_admin');
        await destroyModeratorSessions(trx, target.id);
        await recordAudit(trx, {
          moderatorId: adminId,
          action:
            change.disabled === undefined
              ? 'role_changed'
              : change.disabled
                ? 'moderator_disabled'
                : 'moderator_enabled',
          subjectModeratorId: target.id,
          detail: change.role ? { role: change.role } : {},
        });
      });
    },

    /**
     * Creates an account from the command line. The first admin also creates the desk key pair: its
     * public half goes to desk_keys, its private half only wrapped under this admin's password. Later
     * accounts start without desk access until an admin resets them from an unlocked session.
     */
    async createFromCommandLine(input: {
      username: string;
      role: Role;
      password?: string;
    }): Promise<{ id: number; password: string; generated: boolean; deskKey: 'created' | 'none' }> {
      if (!USERNAME.test(input.username))
        throw new Error('Usernames are 2–40 lower-case letters, digits, dots, dashes or underscores.');
      const password = input.password ?? generateOneTimePassword();
      const problem = input.password === undefined ? null : passwordProblem(password, input.username);
      if (problem) throw new Error(`Password refused: ${problem.replace('_', ' ')}.`);
      const passwordHash = await hashPassword(password, deps.argon2);
      return db.transaction(async (trx) => {
        if (await store.findModeratorByUsername(trx, input.username))
          throw new Error(`The username ${input.username} is taken.`);
        const firstAdmin = input.role === 'admin' && (await store.countActiveAdmins(trx)) === 0;
        let wrap: { wrappedDeskKey: Buffer | null; deskKeyId: number | null } = {
          wrappedDeskKey: null,
          deskKeyId: null,
        };
        let desk: UnlockedDesk | null = null;
        if (firstAdmin) {
          const pair = await generateDeskKeyPair();
          // Authenticated under SESSION_SECRET as it is stored, so intake accepts it (desk-keys.ts).
          const deskKeyId = await createDeskKey(trx, deps.sessionSecret, pair.publicKey, todayIso());
          wrap = { wrappedDeskKey: await wrapDeskKey(pair.privateKey, password, deps.argon2), deskKeyId };
          desk = { id: deskKeyId, pair };
        }
        const id = await store.insertModerator(trx, {
          username: input.username,
          role: input.role,
          passwordHash,
          mustChangePassword: input.password === undefined,
          ...wrap,
          createdOn: todayIso(),
        });
        await store.updateModerator(trx, id, await ownKeyFor(id, password, null, desk));
        await recordAudit(trx, {
          moderatorId: null,
          action: 'moderator_added',
          subjectModeratorId: id,
          detail: { role: input.role, deskAccess: firstAdmin, via: 'command_line' },
        });
        return {
          id,
          password,
          generated: input.password === undefined,
          deskKey: firstAdmin ? 'created' : 'none',
        };
      });
    },
  };
}

/** A desk key pair opened at login, with the id of the desk_keys row it belongs to. */
export interface UnlockedDesk {
  id: number;
  pair: DeskKeyPair;
}
