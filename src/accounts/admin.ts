import type { Knex } from 'knex';
import { recordAudit } from '../audit/store';
import { isoDay } from '../platform/dates';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors';
import { generateDeskKeyPair } from '../reports/seal';
import { createKeyWrapping, USERNAME, type AccountsDeps, type Refused } from './credentials';
import { createDeskKey } from './desk-keys';
import { hashPassword, wrapDeskKey } from './keys';
import { generateOneTimePassword, passwordProblem, type PasswordProblem } from './passwords';
import { destroyModeratorSessions } from './session-store';
import * as store from './store';
import type { Moderator, Role, UnlockedDesk } from './types';

// The admin's management of accounts (add, reset, change a role, disable), and creating an account from
// the command line, which is how the first admin and the desk key come to exist. Every change writes an
// audit row in its own transaction.

export type AddResult =
  { ok: true; id: number; oneTimePassword: string } | Refused<'username_taken' | 'username_invalid'>;

export type CommandLineResult =
  | { ok: true; id: number; password: string; generated: boolean; deskKey: 'created' | 'none' }
  | Refused<'username_invalid' | 'username_taken' | PasswordProblem>;

/** Builds the admin half of the accounts service. */
export function createAdmin(deps: AccountsDeps) {
  const { db } = deps;
  const { wrapFor, ownKeyFor } = createKeyWrapping(deps);
  const todayIso = () => isoDay(deps.today());

  /**
   * Inserts a new account in the caller's transaction: the row, the account's own key pair wrapped under
   * its first password, and the audit row naming who added it (null: the command line).
   */
  async function insertAccount(
    trx: Knex.Transaction,
    account: {
      username: string;
      role: Role;
      password: string;
      passwordHash: string;
      mustChangePassword: boolean;
    },
    keys: { wrap: { wrappedDeskKey: Buffer | null; deskKeyId: number | null }; desk: UnlockedDesk | null },
    audit: { by: number | null; detail: Record<string, string | boolean> },
  ): Promise<number> {
    const id = await store.insertModerator(trx, {
      username: account.username,
      role: account.role,
      passwordHash: account.passwordHash,
      mustChangePassword: account.mustChangePassword,
      ...keys.wrap,
      createdOn: todayIso(),
    });
    await store.updateModerator(trx, id, await ownKeyFor(id, account.password, null, keys.desk));
    await recordAudit(trx, {
      moderatorId: audit.by,
      action: 'moderator_added',
      subjectModeratorId: id,
      detail: { role: account.role, ...audit.detail },
    });
    return id;
  }

  /** The other account an admin acts on: it must exist, and an admin never acts on their own. */
  async function otherAccount(adminId: number, targetId: number): Promise<Moderator> {
    const target = await store.findModeratorById(db, targetId);
    if (!target) throw new NotFoundError();
    if (target.id === adminId) throw new ForbiddenError('accounts.errors.not_yourself');
    return target;
  }

  return {
    listModerators: () => store.listModerators(db),

    /** An admin adds an account; the desk key is wrapped from the admin's unlocked session. */
    async addModerator(
      adminId: number,
      input: { username: string; role: Role },
      desk: UnlockedDesk | null,
    ): Promise<AddResult> {
      if (!USERNAME.test(input.username)) return { ok: false, problem: 'username_invalid' };
      if (await store.findModeratorByUsername(db, input.username))
        return { ok: false, problem: 'username_taken' };
      const oneTimePassword = generateOneTimePassword();
      // Argon2 work (~0.2 s) before the transaction, so it never holds a connection for it.
      const passwordHash = await hashPassword(oneTimePassword, deps.argon2);
      const wrap = await wrapFor(oneTimePassword, desk);
      const id = await db.transaction((trx) =>
        insertAccount(
          trx,
          { ...input, password: oneTimePassword, passwordHash, mustChangePassword: true },
          { wrap, desk },
          { by: adminId, detail: { deskAccess: wrap.wrappedDeskKey !== null } },
        ),
      );
      return { ok: true, id, oneTimePassword };
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
      const target = await otherAccount(adminId, targetId);
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
      const target = await otherAccount(adminId, targetId);
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
    }): Promise<CommandLineResult> {
      if (!USERNAME.test(input.username)) return { ok: false, problem: 'username_invalid' };
      const password = input.password ?? generateOneTimePassword();
      const problem = input.password === undefined ? null : passwordProblem(password, input.username);
      if (problem) return { ok: false, problem };
      const passwordHash = await hashPassword(password, deps.argon2);
      return db.transaction(async (trx): Promise<CommandLineResult> => {
        if (await store.findModeratorByUsername(trx, input.username))
          return { ok: false, problem: 'username_taken' };
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
        const id = await insertAccount(
          trx,
          { ...input, password, passwordHash, mustChangePassword: input.password === undefined },
          { wrap, desk },
          { by: null, detail: { deskAccess: firstAdmin, via: 'command_line' } },
        );
        return {
          ok: true,
          id,
          password,
          generated: input.password === undefined,
          deskKey: firstAdmin ? 'created' : 'none',
        };
      });
    },
  };
}
