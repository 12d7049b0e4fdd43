import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '../platform/config';
import { ForbiddenError } from '../platform/errors';
import { isSameOriginRequest } from '../platform/same-origin';
import { serverKey } from './keys';

// CSRF protection for the sign-in form, the one desk form shown before any session exists. Anonymous
// visitors get no session row and no cookie (a session begins only when a password is accepted), so the
// session-bound token every other desk form carries cannot protect this one. Instead, as intake does:
// the POST must come from our own pages by Sec-Fetch-Site / Origin, and the form carries a token the
// server signed that expires after two hours. Anyone may fetch a token, so the header check is the real
// barrier to a forged cross-site sign-in; the token keeps a form left open for days from being sent
// blind, and says so in the page's language.
//
// Token: base64url(issued minute since the epoch (4, big-endian) | HMAC-SHA-256 under a key derived
// from SESSION_SECRET, first 16 bytes). No nonce: replaying a sign-in form gains nothing.

const MINUTE_MS = 60_000;
const MAX_AGE_MINUTES = 120;
const SKEW_MINUTES = 2;
const MAC_BYTES = 16;
const TOKEN_LENGTH = Math.ceil(((4 + MAC_BYTES) * 4) / 3);

function mac(key: Buffer, minute: Buffer): Buffer {
  return createHmac('sha256', key)
    .update('represalia:login-form:v1\0')
    .update(minute)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** A signed token for a sign-in form rendered at `now`. */
export function issueLoginToken(sessionSecret: Buffer, now: Date): string {
  const minute = Buffer.alloc(4);
  minute.writeUInt32BE(Math.floor(now.getTime() / MINUTE_MS));
  return Buffer.concat([minute, mac(serverKey(sessionSecret, 'login-form'), minute)]).toString('base64url');
}

/** Checks a token from an untrusted form body; never throws on the token, whatever it is. */
export function verifyLoginToken(token: unknown, sessionSecret: Buffer, now: Date): boolean {
  if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token))
    return false;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== 4 + MAC_BYTES || bytes.toString('base64url') !== token) return false;
  const minute = bytes.subarray(0, 4);
  if (!timingSafeEqual(bytes.subarray(4), mac(serverKey(sessionSecret, 'login-form'), minute))) return false;
  const issued = minute.readUInt32BE(0);
  const nowMinute = Math.floor(now.getTime() / MINUTE_MS);
  return nowMinute < issued + MAX_AGE_MINUTES && issued <= nowMinute + SKEW_MINUTES;
}

/** Refuses a sign-in POST from another site, or without a valid, unexpired form token (403, translated). */
export function verifyLoginForm(config: Config, sessionSecret: Buffer, now: () => Date): RequestHandler {
  const origins = [config.origin, ...(config.ONION_ORIGIN ? [config.ONION_ORIGIN] : [])];
  return (req, _res, next) => {
    const headers = { origin: req.get('origin'), secFetchSite: req.get('sec-fetch-site') };
    const body = req.body as Record<string, unknown> | undefined;
    const valid =
      isSameOriginRequest(headers, origins) && verifyLoginToken(body?._csrf, sessionSecret, now());
    next(valid ? undefined : new ForbiddenError('accounts.errors.csrf'));
  };
}
