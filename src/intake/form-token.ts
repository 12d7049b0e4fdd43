import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// CSRF protection for forms that must work without cookies or JavaScript: the form carries a token
// the server signed, that expires, and whose nonce the caller accepts only once.
//
// Token bytes, base64url without padding:
//   version (1) | nonce (16, random) | issued-at minute since the epoch (4, big-endian) | HMAC-SHA-256 (32)
//
// Privacy: the issued-at time is kept to the minute and lives only inside the token, which goes from
// the form back to the server and is never stored. Only the nonce is kept, to refuse a replay, and
// only until the token expires; keep it in memory or in Redis without persistence, never in Postgres
// next to reports, where its expiry would record when a report was sent (promise 1: no time of day).

const VERSION = 1;
const NONCE_BYTES = 16;
const MINUTE_BYTES = 4;
const MAC_BYTES = 32;
const PAYLOAD_BYTES = 1 + NONCE_BYTES + MINUTE_BYTES;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;
const MINUTE_MS = 60_000;

// Domain separation: the same server secret keys receipt hashes (receipt.ts uses its own prefix).
// Both prefixes end in NUL and neither is a prefix of the other, so a form-token signature can never
// double as a receipt hash, nor the reverse.
const MAC_DOMAIN = Buffer.from('represalia:form-token:v1\0', 'utf8');

// Servers behind a load balancer may disagree on the time by a little; a token signed slightly in the
// future is still accepted, one signed further ahead is treated as outside its validity window.
const CLOCK_SKEW_MINUTES = 2;

export const DEFAULT_FORM_TOKEN_MAX_AGE_MINUTES = 120;

export type FormTokenCheck =
  | { ok: true; nonce: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Issues a signed form token for a form rendered at `now`. */
export function issueFormToken(secret: Buffer, now: Date): string {
  assertSecret(secret);
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  randomBytes(NONCE_BYTES).copy(payload, 1);
  payload.writeUInt32BE(minuteOf(now), 1 + NONCE_BYTES);
  return Buffer.concat([payload, mac(secret, payload)]).toString('base64url');
}

/**
 * Checks a token from an untrusted form body and returns its nonce and expiry for the single-use
 * check; never throws on the token, whatever it is.
 */
export function verifyFormToken(
  token: unknown,
  secret: Buffer,
  now: Date,
  maxAgeMinutes: number = DEFAULT_FORM_TOKEN_MAX_AGE_MINUTES,
): FormTokenCheck {
  assertSecret(secret);
  if (!Number.isInteger(maxAgeMinutes) || maxAgeMinutes < 1) {
    throw new RangeError('maxAgeMinutes must be a positive integer.');
  }
  const nowMinute = minuteOf(now);
  // Length and alphabet first, so a huge or odd value costs nothing.
  if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !TOKEN_PATTERN.test(token)) {
    return { ok: false, reason: 'malformed' };
  }
  const bytes = Buffer.from(token, 'base64url');
  // Re-encoding must give the same text: one token, one spelling (no variants in the unused bits).
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token || bytes[0] !== VERSION) {
    return { ok: false, reason: 'malformed' };
  }
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(secret, payload))) {
    return { ok: false, reason: 'bad_signature' };
  }
  const issuedMinute = payload.readUInt32BE(1 + NONCE_BYTES);
  const expiresMinute = issuedMinute + maxAgeMinutes;
  if (nowMinute >= expiresMinute || issuedMinute > nowMinute + CLOCK_SKEW_MINUTES) {
    return { ok: false, reason: 'expired' };
  }
  return {
    ok: true,
    nonce: payload.subarray(1, 1 + NONCE_BYTES).toString('base64url'),
    expiresAt: new Date(expiresMinute * MINUTE_MS),
  };
}

function mac(secret: Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', secret).update(MAC_DOMAIN).update(payload).digest();
}

function minuteOf(now: Date): number {
  const ms = now.getTime();
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError('now must be a valid date after 1970.');
  return Math.floor(ms / MINUTE_MS);
}

function assertSecret(secret: Buffer): void {
  if (!Buffer.isBuffer(secret) || secret.length < 32) {
    throw new TypeError('The form-token secret must be a Buffer of at least 32 bytes.');
  }
}
