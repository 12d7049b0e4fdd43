import type { Express } from 'express';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { TEST_ARGON2 } from '../../src/accounts/keys';
import { createAccounts } from '../../src/accounts/service';
import type { Role } from '../../src/accounts/types';
import type { Db } from '../../src/platform/db';

// Helpers for the desk's tests: accounts made through the real service, sign-in through the real pages
// with a TOTP code computed here. Reports come from factories.ts, the one report factory.

export const TEST_SESSION_SECRET = Buffer.alloc(32, 2);
export const FIXED_TODAY = new Date('2026-11-27T00:00:00Z');

export function testAccounts(db: Db) {
  return createAccounts({
    db,
    sessionSecret: TEST_SESSION_SECRET,
    argon2: TEST_ARGON2,
    today: () => FIXED_TODAY,
  });
}

let counter = 0;
/** A unique, valid username. */
export function username(prefix = 'mod'): string {
  counter += 1;
  return `${prefix}${process.pid}-${counter}`;
}

/** Creates an account the way `npm run moderator:create` does, with a chosen password. */
export async function createModerator(
  db: Db,
  role: Role,
  password = 'a long test passphrase 42',
): Promise<{ id: number; username: string; password: string }> {
  const name = username(role);
  const created = await testAccounts(db).createFromCommandLine({ username: name, role, password });
  if (!created.ok) throw new Error(`createFromCommandLine refused: ${created.problem}`);
  return { id: created.id, username: name, password };
}

export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in page');
  return token;
}

export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

/** The TOTP secret of an account, read through the service's enrolment (enrolling it if needed). */
export async function totpSecretOf(db: Db, moderatorId: number): Promise<string> {
  const enrolment = await testAccounts(db).enrolment(moderatorId);
  if (enrolment.enrolled) {
    // Already enrolled: read the secret back by resetting nothing; tests keep the secret from the first call.
    const known = secrets.get(moderatorId);
    if (!known) throw new Error('secret not known for an enrolled account');
    return known;
  }
  secrets.set(moderatorId, enrolment.secret);
  return enrolment.secret;
}
const secrets = new Map<number, string>();

/**
 * Signs in through the pages (password, then a TOTP code) and returns the agent holding the session
 * cookie. Clears the last-used step first so that one account can sign in many times within 30 seconds.
 */
export async function signIn(
  app: Express,
  db: Db,
  account: { id: number; username: string; password: string },
  prefix = '',
  headers: Record<string, string> = {},
): Promise<ReturnType<typeof request.agent>> {
  const agent = request.agent(app);
  const login = await agent.get(`${prefix}/moderate/login`).set(headers).expect(200);
  await agent
    .post(`${prefix}/moderate/login`)
    .set(headers)
    .type('form')
    .send({ _csrf: csrfFrom(login.text), username: account.username, password: account.password })
    .expect(303);
  const secret = await totpSecretOf(db, account.id);
  await db('moderators').where({ id: account.id }).update({ totp_last_step: null });
  const codePage = await agent.get(`${prefix}/moderate/login/code`).set(headers).expect(200);
  await agent
    .post(`${prefix}/moderate/login/code`)
    .set(headers)
    .type('form')
    .send({ _csrf: csrfFrom(codePage.text), code: totpCode(secret) })
    .expect(303);
  return agent;
}

/** The newest desk public key (created with the first admin). */
export async function deskPublicKey(db: Db): Promise<Buffer> {
  const row = (await db('desk_keys').orderBy('id', 'desc').first()) as { public_key: Buffer };
  return row.public_key;
}
