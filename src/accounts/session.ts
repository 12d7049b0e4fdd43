import { csrfSync } from 'csrf-sync';
import { Router, type Request, type RequestHandler } from 'express';
import session from 'express-session';
import type { Config } from '../platform/config';
import type { Db } from '../platform/db';
import { ForbiddenError } from '../platform/errors';
import { localizedPath } from '../platform/i18n';
import type { Logger } from '../platform/logger';
import { deskKeyStatus, deskKeyView, type DeskKeyView } from './desk-keys';
import { decryptWith, encryptWith, publicKeyOf, serverKey } from './keys';
import type { DeskRotation } from './rotation';
import type { Accounts, UnlockedDesk } from './service';
import { KnexSessionStore } from './session-store';
import type { SignedIn } from './types';

declare module 'express-session' {
  interface SessionData {
    /** Password accepted, second factor not yet. */
    pendingModeratorId: number;
    /** Fully signed in. */
    moderatorId: number;
    /** The desk private key, encrypted under a key derived from SESSION_SECRET and this session's id. */
    deskKey: string;
    deskKeyId: number;
  }
}

declare module 'express-serve-static-core' {
  interface Locals {
    moderator?: SignedIn;
    csrfToken?: string;
    /** For a signed-in moderator: the key intake seals to, the key this session holds, any trouble. */
    deskKey?: DeskKeyView;
  }
}

// Secure cookies whenever the site is served over https, and always in production.
function secureCookies(config: Config): boolean {
  return config.origin.startsWith('https:') || config.NODE_ENV === 'production';
}

/**
 * Cookie name. `__Host-` makes the browser refuse the cookie unless it is Secure, host-only and Path=/,
 * so another subdomain can never plant or read it. Browsers refuse a Secure cookie over plain http, so
 * development and tests on http://localhost use an unprefixed name with the same other attributes.
 */
export function sessionCookieName(config: Config): string {
  return secureCookies(config) ? '__Host-represalia_desk' : 'represalia_desk';
}

/**
 * The middleware for everything under /moderate, and only there (anonymous routes never see a session
 * or set a cookie): no-store, the Postgres-backed session, a CSRF token for forms, and the signed-in
 * moderator in res.locals. createApp mounts it once, on /moderate in both languages. A session row and
 * its cookie exist only from an accepted password on: a visitor who has not signed in (the login page
 * included) gets neither, since its form is protected without a session (login-form.ts).
 */
export function moderationSession(deps: {
  config: Config;
  db: Db;
  sessionSecret: Buffer;
  accounts: Accounts;
  rotation: DeskRotation;
  logger: Logger;
}): Router {
  const secure = secureCookies(deps.config);
  const sessions = session({
    name: sessionCookieName(deps.config),
    secret: serverKey(deps.sessionSecret, 'cookie-signing').toString('hex'),
    store: new KnexSessionStore(deps.db),
    resave: false,
    saveUninitialized: false,
    // The idle and absolute limits are enforced by the store; the cookie lasts until the browser closes.
    cookie: { httpOnly: true, sameSite: 'strict', secure, path: '/' },
  });
  const { generateToken } = csrf;
  const chain = Router();
  chain.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  chain.use(sessions);
  chain.use(async (req, res, next) => {
    const id = req.session.moderatorId;
    // Generating a token writes it into the session, which stores the row and sets the cookie: only for
    // a session that already exists (password accepted), never for an anonymous visitor.
    if (id !== undefined || req.session.pendingModeratorId !== undefined)
      res.locals.csrfToken = generateToken(req);
    const moderator = id === undefined ? undefined : await deps.accounts.findActive(id);
    if (moderator) {
      res.locals.moderator = {
        id: moderator.id,
        username: moderator.username,
        role: moderator.role,
        mustChangePassword: moderator.mustChangePassword,
      };
      const [status, desk] = await Promise.all([
        deskKeyStatus(deps.db, { session: deps.sessionSecret }),
        deskOf(req, deps.sessionSecret),
      ]);
      res.locals.deskKey = deskKeyView(status, desk?.pair.publicKey ?? null);
      // An unfinished rotation whose job stopped (a restart) starts again from a session holding the new key.
      await deps.rotation.resume(desk).catch((error: unknown) => {
        deps.logger.error(
          { code: 'desk_key_resume_failed', err: error instanceof Error ? error.name : typeof error },
          'desk key rotation: could not resume re-sealing',
        );
      });
    }
    next();
  });
  return chain;
}

const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
});

/** Refuses a state-changing request whose form does not carry this session's CSRF token. */
export const verifyCsrf: RequestHandler = (req, _res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  if (!req.session || !csrf.isRequestValid(req)) return next(new ForbiddenError('accounts.errors.csrf'));
  next();
};

/** Signed-in moderators only; anyone else is sent to the login page. Also checks CSRF on every POST. */
export const requireModerator: RequestHandler = (req, res, next) => {
  const moderator = res.locals.moderator;
  if (!moderator) return res.redirect(303, localizedPath(res.locals.lang, '/moderate/login'));
  if (
    moderator.mustChangePassword &&
    res.locals.pagePath !== '/moderate/password' &&
    res.locals.pagePath !== '/moderate/logout'
  ) {
    return res.redirect(303, localizedPath(res.locals.lang, '/moderate/password'));
  }
  verifyCsrf(req, res, next);
};

/** Admins only: a moderator gets 403, someone signed out the login page. */
export const requireAdmin: RequestHandler = (req, res, next) => {
  requireModerator(req, res, (error?: unknown) => {
    if (error !== undefined) return next(error);
    if (res.locals.moderator?.role !== 'admin') return next(new ForbiddenError());
    next();
  });
};

// The desk key in the session. Why there, and why so: the key must outlive one request (a moderator reads
// many reports) but must never be written in plaintext to the database or the disk. Process memory keyed
// by session would break the stateless process (DESIGN section 3) and lose every unlock on restart. So it
// rides in the session row, encrypted under HKDF(SESSION_SECRET, session id). The secret is held outside
// the database; the session id is only in the moderator's cookie (the row is stored under its hash). A
// copy of the database, even with the server's secrets, opens nothing; ending the session deletes it.

function sessionDeskKey(sessionSecret: Buffer, sid: string): Buffer {
  return serverKey(sessionSecret, 'session-desk-key', sid);
}

/** Puts the unlocked desk key into the current session, encrypted for this session id only. */
export async function carryDesk(
  req: Request,
  sessionSecret: Buffer,
  desk: UnlockedDesk | null,
): Promise<void> {
  if (!desk) {
    delete req.session.deskKey;
    delete req.session.deskKeyId;
    return;
  }
  const sealed = await encryptWith(
    sessionDeskKey(sessionSecret, req.sessionID),
    desk.pair.privateKey,
    'desk-key',
  );
  req.session.deskKey = sealed.toString('base64');
  req.session.deskKeyId = desk.id;
}

/** The desk key this session carries, or null when it holds none (or cannot open it). */
export async function deskOf(req: Request, sessionSecret: Buffer): Promise<UnlockedDesk | null> {
  const sealed = req.session?.deskKey;
  const id = req.session?.deskKeyId;
  if (!sealed || id === undefined) return null;
  const privateKey = await decryptWith(
    sessionDeskKey(sessionSecret, req.sessionID),
    Buffer.from(sealed, 'base64'),
    'desk-key',
  );
  if (!privateKey) return null;
  return { id, pair: { privateKey, publicKey: await publicKeyOf(privateKey) } };
}

/** A new session id (login, second factor), carrying the desk key over under the new id's key. */
export async function renewSession(req: Request, sessionSecret: Buffer): Promise<void> {
  const desk = await deskOf(req, sessionSecret);
  const keep = { pendingModeratorId: req.session.pendingModeratorId, moderatorId: req.session.moderatorId };
  await new Promise<void>((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error as Error) : resolve())),
  );
  if (keep.pendingModeratorId !== undefined) req.session.pendingModeratorId = keep.pendingModeratorId;
  if (keep.moderatorId !== undefined) req.session.moderatorId = keep.moderatorId;
  await carryDesk(req, sessionSecret, desk);
}

/**
 * Writes the session now, before the redirect that depends on it. Left to express-session, the write
 * happens while the response ends: the 303's headers are already out, and a browser follows them at
 * once, so the next GET could read the session before it was stored and find nobody signed in (seen
 * in CI as a sign-in landing back on the login page).
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    req.session.save((error) => (error ? reject(error as Error) : resolve())),
  );
}

/** Ends the session server-side (the row is deleted) before the response goes out. */
export function endSession(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    req.session.destroy((error) => (error ? reject(error as Error) : resolve())),
  );
}
