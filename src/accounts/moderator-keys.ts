import { createHmac, timingSafeEqual } from 'node:crypto';
// Default import on purpose (see src/reports/seal.ts): the functions appear only after `ready`.
import sodium from 'libsodium-wrappers';
import { generateDeskKeyPair, type DeskKeyPair } from '../reports/seal';
import { serverKey, unwrapDeskKey, wrapDeskKey, type Argon2Params } from './keys';
import type { Moderator } from './types';

// Each moderator's own key pair (issue 16). A desk key rotation must give the new desk key to every
// remaining moderator without knowing their passwords, so the desk key is also sealed to a public key of
// each moderator (crypto_box_seal), whose private half is wrapped under that moderator's password like the
// desk key itself. A copy of the database opens nothing: the sealed desk key needs the moderator's
// private key, which needs their password.
//
// A writer with database access alone could swap a moderator's public key for one of their own and wait
// for the next rotation to seal the new desk key to it. So each public key carries an authenticator under
// SESSION_SECRET (as desk keys do, desk-keys.ts), and a rotation seals only to keys whose authenticator
// verifies:
//   HMAC-SHA-256(HKDF(SESSION_SECRET, "moderator-key-authenticator"),
//                "represalia:moderator-key:v1" NUL | moderator id (4, big-endian) | public key (32))

const DOMAIN = Buffer.from('represalia:moderator-key:v1\0', 'utf8');
const SEALED_VERSION = 1;

/** A new key pair for a moderator, its private half wrapped under the password. */
export async function newModeratorKey(
  password: string,
  params: Argon2Params,
): Promise<{ pair: DeskKeyPair; wrapped: Buffer }> {
  const pair = await generateDeskKeyPair();
  return { pair, wrapped: await wrapDeskKey(pair.privateKey, password, params) };
}

/** The moderator's own key pair, opened with their password; null when the password does not open it. */
export async function openModeratorKey(moderator: Moderator, password: string): Promise<DeskKeyPair | null> {
  return moderator.keyWrapped ? unwrapDeskKey(moderator.keyWrapped, password) : null;
}

/** The authenticator of a moderator's public key under the server's SESSION_SECRET. */
export function moderatorKeyAuthenticator(sessionSecret: Buffer, id: number, publicKey: Uint8Array): Buffer {
  const idBytes = Buffer.alloc(4);
  idBytes.writeUInt32BE(id);
  return createHmac('sha256', serverKey(sessionSecret, 'moderator-key-authenticator'))
    .update(DOMAIN)
    .update(idBytes)
    .update(publicKey)
    .digest();
}

/** Whether a moderator's stored public key is one this server made for this account. */
export function moderatorKeyIsAuthentic(sessionSecret: Buffer, moderator: Moderator): boolean {
  if (!moderator.keyPublic || !moderator.keyAuthenticator) return false;
  const expected = moderatorKeyAuthenticator(sessionSecret, moderator.id, moderator.keyPublic);
  return (
    moderator.keyAuthenticator.length === expected.length &&
    timingSafeEqual(moderator.keyAuthenticator, expected)
  );
}

/** Seals a desk private key to a moderator's public key: only that moderator's password opens it. */
export async function sealDeskKeyTo(
  deskPrivateKey: Uint8Array,
  moderatorPublicKey: Uint8Array,
): Promise<Buffer> {
  await sodium.ready;
  return Buffer.concat([
    Buffer.of(SEALED_VERSION),
    sodium.crypto_box_seal(deskPrivateKey, moderatorPublicKey),
  ]);
}

/** Opens what sealDeskKeyTo() made with the moderator's (or the new desk key's) pair; null otherwise. */
export async function openSealedDeskKey(sealed: Buffer, pair: DeskKeyPair): Promise<DeskKeyPair | null> {
  await sodium.ready;
  if (sealed[0] !== SEALED_VERSION) return null;
  try {
    const privateKey = sodium.crypto_box_seal_open(sealed.subarray(1), pair.publicKey, pair.privateKey);
    return { privateKey, publicKey: sodium.crypto_scalarmult_base(privateKey) };
  } catch {
    return null;
  }
}
