import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { hash, hashRaw, verify, type Algorithm } from '@node-rs/argon2';
// Default import on purpose (see src/reports/seal.ts): the functions appear only after `ready`.
import sodium from 'libsodium-wrappers';
import type { DeskKeyPair } from '../reports/seal';

// Key handling for the desk (promise 5). Three keys matter:
//
// - KEK: Argon2id(password, salt), one per moderator. Wraps the desk private key in `moderators`. Without
//   a moderator's password the wrapped key is noise, whatever else an attacker holds.
// - Session key: HKDF(SESSION_SECRET, session id). Encrypts the unwrapped desk key inside that session's
//   row. The row is stored under a hash of the session id (session-store.ts), so the database plus the
//   server secret still cannot open it; the id exists only in the moderator's cookie and in memory.
// - Server keys: HKDF(SESSION_SECRET, label), for the TOTP secrets and cookie signing. They protect what
//   the server must read without a password, and live outside the database.

// Numeric value of Algorithm.Argon2id: a const enum from a declaration file cannot be read under
// isolatedModules.
const ARGON2ID = 2 as Algorithm;

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Production cost: 64 MiB, 3 passes (about 0.1–0.3 s here). The only cost outside NODE_ENV=test. */
export const STRONG_ARGON2: Argon2Params = { memoryCost: 65_536, timeCost: 3, parallelism: 1 };

/** A cheap cost for tests only; argon2ParamsFor() refuses it anywhere else. */
export const TEST_ARGON2: Argon2Params = { memoryCost: 1_024, timeCost: 1, parallelism: 1 };

/** The Argon2 cost for this environment: the test cost only when NODE_ENV=test asks for it. */
export function argon2ParamsFor(nodeEnv: string, requested?: Argon2Params): Argon2Params {
  if (!requested || requested.memoryCost >= STRONG_ARGON2.memoryCost) return requested ?? STRONG_ARGON2;
  if (nodeEnv !== 'test') throw new Error('A lowered Argon2 cost is allowed only with NODE_ENV=test.');
  return requested;
}

/** Hashes a password for login (PHC string, Argon2id, random salt). */
export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return hash(password, { ...params, algorithm: ARGON2ID });
}

/** Checks a password against its stored hash; false on any malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// A hash of a random password, checked against when the username does not exist so that both answers
// take as long (no account enumeration by timing).
let decoyHash: Promise<string> | undefined;
export function verifyDecoy(password: string, params: Argon2Params): Promise<boolean> {
  decoyHash ??= hashPassword(randomBytes(18).toString('base64'), params);
  return decoyHash.then((decoy) => verifyPassword(decoy, password));
}

// Wrapped desk key bytes:
//   version (1) | memoryCost (4) | timeCost (4) | parallelism (1) | salt (16) | nonce (24) | AEAD(private key)
// The Argon2 parameters travel with the wrap so that raising the cost later never strands a key.
const WRAP_VERSION = 1;
const SALT_BYTES = 16;
const HEADER_BYTES = 1 + 4 + 4 + 1 + SALT_BYTES;
const WRAP_AD = Buffer.from('represalia:wrapped-desk-key:v1', 'utf8');

/** Wraps the desk private key under a key derived from the password (Argon2id → XChaCha20-Poly1305). */
export async function wrapDeskKey(
  privateKey: Uint8Array,
  password: string,
  params: Argon2Params,
): Promise<Buffer> {
  await sodium.ready;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(WRAP_VERSION, 0);
  header.writeUInt32BE(params.memoryCost, 1);
  header.writeUInt32BE(params.timeCost, 5);
  header.writeUInt8(params.parallelism, 9);
  const salt = randomBytes(SALT_BYTES);
  salt.copy(header, 10);
  const kek = await deriveKek(password, salt, params);
  try {
    const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
      privateKey,
      Buffer.concat([WRAP_AD, header]),
      null,
      nonce,
      kek,
    );
    return Buffer.concat([header, nonce, box]);
  } finally {
    sodium.memzero(kek);
  }
}

/** Unwraps the desk key with the password; null when the password does not open it. */
export async function unwrapDeskKey(wrapped: Buffer, password: string): Promise<DeskKeyPair | null> {
  await sodium.ready;
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (wrapped.length < HEADER_BYTES + nonceBytes || wrapped[0] !== WRAP_VERSION) return null;
  const header = wrapped.subarray(0, HEADER_BYTES);
  const params: Argon2Params = {
    memoryCost: header.readUInt32BE(1),
    timeCost: header.readUInt32BE(5),
    parallelism: header.readUInt8(9),
  };
  const kek = await deriveKek(password, header.subarray(10, HEADER_BYTES), params);
  try {
    const privateKey = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      wrapped.subarray(HEADER_BYTES + nonceBytes),
      Buffer.concat([WRAP_AD, header]),
      wrapped.subarray(HEADER_BYTES, HEADER_BYTES + nonceBytes),
      kek,
    );
    return { privateKey, publicKey: sodium.crypto_scalarmult_base(privateKey) };
  } catch {
    return null;
  } finally {
    sodium.memzero(kek);
  }
}

async function deriveKek(password: string, salt: Uint8Array, params: Argon2Params): Promise<Uint8Array> {
  const raw = await hashRaw(password, { ...params, algorithm: ARGON2ID, salt, outputLen: 32 });
  return new Uint8Array(raw);
}

/** A key for one purpose derived from SESSION_SECRET (HKDF-SHA-256 with a label). */
export function serverKey(sessionSecret: Buffer, label: string, salt: string | Buffer = ''): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, salt, `represalia:${label}:v1`, 32));
}

/** Encrypts bytes under a 32-byte key (XChaCha20-Poly1305, random nonce), bound to `context`. */
export async function encryptWith(key: Uint8Array, plaintext: Uint8Array, context: string): Promise<Buffer> {
  await sodium.ready;
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, context, null, nonce, key);
  return Buffer.concat([nonce, box]);
}

/** Decrypts what encryptWith() produced under the same key and context; null otherwise. */
export async function decryptWith(
  key: Uint8Array,
  sealed: Uint8Array,
  context: string,
): Promise<Uint8Array | null> {
  await sodium.ready;
  const nonceBytes = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (sealed.length <= nonceBytes) return null;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.subarray(nonceBytes),
      context,
      sealed.subarray(0, nonceBytes),
      key,
    );
  } catch {
    return null;
  }
}

/** The public half of a desk private key. */
export async function publicKeyOf(privateKey: Uint8Array): Promise<Uint8Array> {
  await sodium.ready;
  return sodium.crypto_scalarmult_base(privateKey);
}

/** SHA-256 of a session id, hex: the only form of the id the database ever sees. */
export function hashSessionId(sid: string): string {
  return createHash('sha256').update(sid, 'utf8').digest('hex');
}
