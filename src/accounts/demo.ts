import type { Knex } from 'knex';
import { generateDeskKeyPair } from '../reports/seal';
import { hashPassword, STRONG_ARGON2, wrapDeskKey, type Argon2Params } from './keys';
import { countModerators, insertDeskKey, insertModerator, recordAudit } from './store';

// The demo's desk account, so a newcomer can try the desk right after `npm start`. Never in production:
// its password is published in the README. It owns the demo's desk key pair, so demo narratives sealed
// after the first start can be read by signing in with it (a second factor is still enrolled at first
// sign-in, like any account).

export const DEMO_ADMIN = { username: 'demo-admin', password: 'try the desk, not in production' } as const;

/**
 * Creates the desk key pair and the demo admin owning it, when no account exists yet. Returns whether
 * it did. Refuses in production.
 */
export async function seedDemoAdmin(
  db: Knex,
  env: { NODE_ENV: string },
  options: { today?: Date; argon2?: Argon2Params } = {},
): Promise<boolean> {
  if (env.NODE_ENV === 'production')
    throw new Error('The demo admin is never created with NODE_ENV=production.');
  if ((await countModerators(db)) > 0) return false;
  const argon2 = options.argon2 ?? STRONG_ARGON2;
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  const pair = await generateDeskKeyPair();
  const deskKeyId = await insertDeskKey(db, pair.publicKey, today);
  const id = await insertModerator(db, {
    username: DEMO_ADMIN.username,
    role: 'admin',
    passwordHash: await hashPassword(DEMO_ADMIN.password, argon2),
    mustChangePassword: false,
    wrappedDeskKey: await wrapDeskKey(pair.privateKey, DEMO_ADMIN.password, argon2),
    deskKeyId,
    createdOn: today,
  });
  pair.privateKey.fill(0);
  await recordAudit(db, {
    moderatorId: null,
    action: 'moderator_added',
    subjectModeratorId: id,
    detail: { role: 'admin', deskAccess: true, via: 'demo_seed' },
  });
  return true;
}
