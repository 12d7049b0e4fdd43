import type { Knex } from 'knex';
import { recordAudit } from '../audit/store';
import { isoDay } from '../platform/dates';
import { generateDeskKeyPair } from '../reports/seal';
import { createDeskKey } from './desk-keys';
import {
  hashPassword,
  STRONG_ARGON2,
  unwrapDeskKey,
  verifyPassword,
  wrapDeskKey,
  type Argon2Params,
} from './keys';
import { generateOneTimePassword } from './passwords';
import { destroyModeratorSessions } from './session-store';
import { countModerators, findModeratorByUsername, insertModerator, updateModerator } from './store';

// The demo's desk account, so a newcomer can try the desk right after `npm start`. Never in production.
// No known credential, in any mode: its password is random per install, printed once when the account is
// created (server.ts), and replaced at the first sign-in like any one-time password. It owns the demo's
// desk key pair, authenticated like any key the app creates, so narratives sent to the demo can be read.

export const DEMO_ADMIN_USERNAME = 'demo-admin';

// Published in the README before issue 10. Only ever compared against, never set: an install made back
// then still has it, and retirePublishedDemoPassword() replaces it.
const RETIRED_DEMO_PASSWORD = 'try the desk, not in production';

/**
 * Creates the desk key pair and the demo admin owning it, when no account exists yet. Returns the one-time
 * password to show once, or null when accounts already existed. Refuses in production.
 */
export async function seedDemoAdmin(
  db: Knex,
  env: { NODE_ENV: string },
  sessionSecret: Buffer,
  options: { today?: Date; argon2?: Argon2Params } = {},
): Promise<string | null> {
  if (env.NODE_ENV === 'production')
    throw new Error('The demo admin is never created with NODE_ENV=production.');
  if ((await countModerators(db)) > 0) return null;
  const argon2 = options.argon2 ?? STRONG_ARGON2;
  const today = isoDay(options.today ?? new Date());
  const password = generateOneTimePassword();
  const pair = await generateDeskKeyPair();
  const passwordHash = await hashPassword(password, argon2);
  const wrappedDeskKey = await wrapDeskKey(pair.privateKey, password, argon2);
  await db.transaction(async (trx) => {
    const deskKeyId = await createDeskKey(trx, sessionSecret, pair.publicKey, today);
    const id = await insertModerator(trx, {
      username: DEMO_ADMIN_USERNAME,
      role: 'admin',
      passwordHash,
      mustChangePassword: true,
      wrappedDeskKey,
      deskKeyId,
      createdOn: today,
    });
    await recordAudit(trx, {
      moderatorId: null,
      action: 'moderator_added',
      subjectModeratorId: id,
      detail: { role: 'admin', deskAccess: true, via: 'demo_seed' },
    });
  });
  pair.privateKey.fill(0);
  return password;
}

/**
 * An install made when the demo password was published still accepts it. Replaces it with a random
 * one-time password (returned, to show once), re-wrapping the desk key under it and ending the account's
 * sessions; null when there is nothing to replace. Runs in every mode: a deployment that once forgot
 * NODE_ENV=production may carry the account.
 */
export async function retirePublishedDemoPassword(
  db: Knex,
  options: { argon2?: Argon2Params } = {},
): Promise<string | null> {
  const moderator = await findModeratorByUsername(db, DEMO_ADMIN_USERNAME);
  if (!moderator || !(await verifyPassword(moderator.passwordHash, RETIRED_DEMO_PASSWORD))) return null;
  const argon2 = options.argon2 ?? STRONG_ARGON2;
  const password = generateOneTimePassword();
  const pair = moderator.wrappedDeskKey
    ? await unwrapDeskKey(moderator.wrappedDeskKey, RETIRED_DEMO_PASSWORD)
    : null;
  const passwordHash = await hashPassword(password, argon2);
  const wrappedDeskKey = pair ? await wrapDeskKey(pair.privateKey, password, argon2) : null;
  pair?.privateKey.fill(0);
  await db.transaction(async (trx) => {
    await updateModerator(trx, moderator.id, {
      passwordHash,
      mustChangePassword: true,
      // A wrap the old password could not open is dropped with it, desk access included.
      wrappedDeskKey,
      deskKeyId: wrappedDeskKey ? moderator.deskKeyId : null,
    });
    await destroyModeratorSessions(trx, moderator.id);
    await recordAudit(trx, {
      moderatorId: null,
      action: 'moderator_reset',
      subjectModeratorId: moderator.id,
      detail: { via: 'retired_demo_password', deskAccess: wrappedDeskKey !== null },
    });
  });
  return password;
}
