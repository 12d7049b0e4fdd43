import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { recordAudit } from '../audit/store';
import type { Db } from '../platform/db';
import { OperatorActionError } from '../platform/errors';
import type { Secrets } from '../platform/secrets';
import type { DeskKeyPair } from '../reports/seal';
import { serverKey, unwrapDeskKey } from './keys';
import * as store from './store';

// Which desk key intake may seal to (promise 5). Intake seals to the newest desk_keys row; without a
// check, whoever can write one row (a compelled managed-database provider) would read every later
// narrative, and could re-seal each to the real key so nobody noticed. So every key the app creates
// carries an authenticator, and intake refuses a key whose authenticator does not verify.
//
// Why a MAC under SESSION_SECRET rather than a fingerprint pinned in config: the secret already lives
// outside the database (the TOTP secrets and the desk key inside sessions depend on it), so the check
// costs operators nothing, and a rotation (issue 16) authenticates its new key the same way, in the
// same transaction, with no configuration change and no restart. A pinned fingerprint would need both
// at every rotation, and a forgotten update would close intake.
//
// authenticator = HMAC-SHA-256(HKDF(SESSION_SECRET, "desk-key-authenticator"),
//                              "represalia:desk-key:v1" NUL | id (4, big-endian) | public key (32) | created_on)
// Fixed-width fields, so no two rows share an input. The id binds the MAC to its row: a valid MAC copied
// onto another row, or a row whose key was swapped, fails.
//
// What it cannot stop: a writer who deletes the newest rows so that an older authenticated key becomes
// the newest (a rollback), which matters only to someone who holds that older key's private half. The
// desk shows every moderator the fingerprint of the key intake seals to next to the one their own
// session holds, and warns when they differ, so a rollback is seen at the next sign-in.

const DOMAIN = Buffer.from('represalia:desk-key:v1\0', 'utf8');
const FINGERPRINT_BYTES = 16;

export interface DeskKey {
  id: number;
  publicKey: Buffer;
  createdOn: string;
  fingerprint: string;
}

export type DeskKeyStatus =
  { state: 'missing' } | { state: 'unauthenticated' | 'authenticated'; key: DeskKey };

/**
 * A desk public key's fingerprint, for people to compare out of band: the first 128 bits of SHA-256 in
 * eight groups of four hex digits. Finding another key with the same fingerprint costs about 2^128.
 */
export function deskKeyFingerprint(publicKey: Uint8Array): string {
  const hex = createHash('sha256').update(publicKey).digest().subarray(0, FINGERPRINT_BYTES).toString('hex');
  return hex.match(/.{4}/g)!.join(' ');
}

/** The authenticator of one desk key row under the server's SESSION_SECRET. */
export function deskKeyAuthenticator(
  sessionSecret: Buffer,
  key: { id: number; publicKey: Uint8Array; createdOn: string },
): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(key.id);
  return createHmac('sha256', serverKey(sessionSecret, 'desk-key-authenticator'))
    .update(DOMAIN)
    .update(id)
    .update(key.publicKey)
    .update(key.createdOn, 'ascii')
    .digest();
}

/**
 * Stores a new desk public key with its authenticator: the only way the app creates one (the first
 * admin, the demo desk, and later a rotation). Pass the caller's transaction, so the key and whatever
 * wraps it commit together.
 */
export async function createDeskKey(
  db: Db,
  sessionSecret: Buffer,
  publicKey: Uint8Array,
  createdOn: string,
): Promise<number> {
  const id = await store.insertDeskKey(db, publicKey, createdOn);
  await store.setDeskKeyAuthenticator(
    db,
    id,
    deskKeyAuthenticator(sessionSecret, { id, publicKey, createdOn }),
  );
  return id;
}

/** The newest desk key and whether its authenticator verifies under this server's secret. */
export async function deskKeyStatus(db: Db, secrets: Pick<Secrets, 'session'>): Promise<DeskKeyStatus> {
  const row = await store.latestDeskKey(db);
  if (!row) return { state: 'missing' };
  const key: DeskKey = {
    id: row.id,
    publicKey: row.publicKey,
    createdOn: row.createdOn,
    fingerprint: deskKeyFingerprint(row.publicKey),
  };
  const expected = deskKeyAuthenticator(secrets.session, row);
  const valid =
    row.authenticator !== null &&
    row.authenticator.length === expected.length &&
    timingSafeEqual(row.authenticator, expected);
  return { state: valid ? 'authenticated' : 'unauthenticated', key };
}

/**
 * The key intake seals to: the newest one, only if it is authenticated. Otherwise intake is closed with a
 * translated 503 and one operator log line (OperatorActionError), never a fall-back to an older key: a
 * planted or tampered newest row must be seen and dealt with, not worked around.
 */
export async function currentDeskKey(db: Db, secrets: Pick<Secrets, 'session'>): Promise<DeskKey> {
  const status = await deskKeyStatus(db, secrets);
  if (status.state === 'authenticated') return status.key;
  throw status.state === 'missing'
    ? new OperatorActionError(
        'desk_key_missing',
        'intake.unavailable',
        'intake is closed: there is no desk key yet; create the first admin with `npm run moderator:create`',
        'desk_key_missing',
      )
    : new OperatorActionError(
        'desk_key_unauthenticated',
        'intake.unavailable',
        `intake is closed: the newest desk key (id ${status.key.id}) is not authenticated; ` +
          'see `npm run desk-key:confirm`',
        `desk_key_unauthenticated:${status.key.id}`,
      );
}

/** Normalizes a typed fingerprint (any spacing or case) for comparison. */
export function normalizeFingerprint(typed: string): string {
  return typed.replace(/[\s:-]/g, '').toLowerCase();
}

/**
 * Authenticates the newest desk key after a check made outside the database: the fingerprint an admin
 * read on the desk (computed from the key their own session holds), or the public half of the key an
 * account's password unwraps. The operator runs it with the server's SESSION_SECRET
 * (`npm run desk-key:confirm`); it is how keys stored before authenticators existed are taken over.
 */
export async function confirmDeskKey(
  db: Db,
  secrets: Pick<Secrets, 'session'>,
  evidence: { fingerprint: string } | { heldPublicKey: Uint8Array; username: string },
): Promise<{ ok: true; key: DeskKey; already: boolean } | { ok: false; problem: 'missing' | 'mismatch' }> {
  return db.transaction(async (trx) => {
    const status = await deskKeyStatus(trx, secrets);
    if (status.state === 'missing') return { ok: false, problem: 'missing' };
    const offered =
      'fingerprint' in evidence
        ? normalizeFingerprint(evidence.fingerprint)
        : normalizeFingerprint(deskKeyFingerprint(evidence.heldPublicKey));
    if (offered !== normalizeFingerprint(status.key.fingerprint)) return { ok: false, problem: 'mismatch' };
    if (status.state === 'authenticated') return { ok: true, key: status.key, already: true };
    await store.setDeskKeyAuthenticator(
      trx,
      status.key.id,
      deskKeyAuthenticator(secrets.session, status.key),
    );
    await recordAudit(trx, {
      moderatorId: null,
      action: 'desk_key_confirmed',
      detail: {
        deskKeyId: status.key.id,
        via: 'command_line',
        evidence: 'fingerprint' in evidence ? 'fingerprint' : `password_of:${evidence.username}`,
      },
    });
    return { ok: true, key: status.key, already: false };
  });
}

/**
 * The desk key pair an account's password opens from its wrapped copy, or null: the operator's evidence
 * for confirmDeskKey (`npm run desk-key:confirm -- --username`). The password is asked for only when the
 * account holds a wrapped key at all.
 */
export async function openAccountDeskKey(
  db: Db,
  username: string,
  password: () => Promise<string>,
): Promise<DeskKeyPair | null> {
  const moderator = await store.findModeratorByUsername(db, username);
  return moderator?.wrappedDeskKey ? unwrapDeskKey(moderator.wrappedDeskKey, await password()) : null;
}

/** What the desk shows about the keys: the one intake seals to, the one this session holds, and trouble. */
export interface DeskKeyView {
  intake: { fingerprint: string; authenticated: boolean } | null;
  held: string | null;
  /** A translation key when something needs attention, else null. */
  problemKey: string | null;
}

/**
 * The desk's view of its keys. The held fingerprint comes from the private key this session unwrapped
 * with the moderator's password, not from the database: it is the independent value moderators compare
 * out of band, and a mismatch with intake's key is exactly what a planted or rolled-back key looks like.
 */
export function deskKeyView(status: DeskKeyStatus, heldPublicKey: Uint8Array | null): DeskKeyView {
  const held = heldPublicKey ? deskKeyFingerprint(heldPublicKey) : null;
  if (status.state === 'missing') return { intake: null, held, problemKey: 'accounts.desk_key.missing' };
  const intake = { fingerprint: status.key.fingerprint, authenticated: status.state === 'authenticated' };
  let problemKey: string | null = null;
  if (held && held !== intake.fingerprint) problemKey = 'accounts.desk_key.held_differs';
  else if (!intake.authenticated)
    problemKey = held ? 'accounts.desk_key.unauthenticated_held' : 'accounts.desk_key.unauthenticated';
  return { intake, held, problemKey };
}
