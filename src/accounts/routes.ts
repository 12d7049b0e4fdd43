import { Router, type Request, type Response } from 'express';
import Handlebars from 'handlebars';
import { z } from 'zod';
import type { Config } from '../platform/config';
import { RateLimitedError } from '../platform/errors';
import { localizedPath } from '../platform/i18n';
import { parseOrThrow } from '../platform/parse';
import type { ClientKeyer } from '../platform/security';
import { issueLoginToken, verifyLoginForm } from './login-form';
import type { LoginLimiter } from './login-limiter';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords';
import type { Accounts, Enrolment } from './service';
import {
  carryDesk,
  deskOf,
  endSession,
  renewSession,
  requireAdmin,
  requireModerator,
  saveSession,
  sessionCookieName,
  verifyCsrf,
} from './session';
import { ROLES } from './types';

// Sign-in (password, then a TOTP code, enrolled at the first sign-in), sign-out, one's own password, and
// the admin's page of accounts. Everything here lives under /moderate, the only place with a session.

const LoginForm = z.object({
  username: z.string().trim().toLowerCase().max(64),
  password: z
    .string()
    .min(1)
    .max(MAX_PASSWORD_LENGTH * 4),
});
const CodeForm = z.object({ code: z.string().trim().max(16) });
const PasswordForm = z.object({
  current: z.string().max(MAX_PASSWORD_LENGTH * 4),
  password: z.string().max(MAX_PASSWORD_LENGTH * 4),
  confirm: z.string().max(MAX_PASSWORD_LENGTH * 4),
});
const AddForm = z.object({ username: z.string().trim().toLowerCase().max(64), role: z.enum(ROLES) });
const IdParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const RoleForm = z.object({ role: z.enum(ROLES) });
const StatusForm = z.object({ disabled: z.enum(['true', 'false']).transform((value) => value === 'true') });

export interface AccountsRouterDeps {
  config: Config;
  accounts: Accounts;
  sessionSecret: Buffer;
  /** The sign-in limiter, built once by the composition root (memory or Redis). */
  loginLimiter: LoginLimiter;
  /** Rate-limit keys of client addresses (platform/security.ts), built once by the composition root. */
  clientKeyer: ClientKeyer;
  /** The current time, for the sign-in form's token only. */
  now?: () => Date;
}

/** Routes for moderator accounts, in both languages (mounted at / and /es by app.ts). */
export function accountsRouter(deps: AccountsRouterDeps): Router {
  const { accounts, sessionSecret } = deps;
  const router = Router();
  // The only place this router reads a client address: straight into the rotating keyed hash.
  const keyer = deps.clientKeyer;
  const limiter = deps.loginLimiter;
  const now = deps.now ?? (() => new Date());
  const to = (res: Response, path: string) => res.redirect(303, localizedPath(res.locals.lang, path));
  // The sign-in form carries a signed token rather than a session's: no session exists before sign-in.
  const renderLogin = (res: Response, status: number, extra: { error?: string; username?: string } = {}) =>
    res.status(status).render('accounts/login', {
      titleKey: 'accounts.login.title',
      minLength: MIN_PASSWORD_LENGTH,
      csrfToken: issueLoginToken(sessionSecret, now()),
      ...extra,
    });

  router.get('/moderate/login', (_req, res) => {
    if (res.locals.moderator) return to(res, '/moderate');
    renderLogin(res, 200);
  });

  router.post('/moderate/login', verifyLoginForm(deps.config, sessionSecret, now), async (req, res) => {
    const form = LoginForm.safeParse(req.body);
    if (!form.success) return renderLogin(res, 422, { error: 'accounts.login.invalid' });
    const address = await keyer.key(req);
    const attempt = await limiter.attempt(form.data.username, address);
    // Translated, and without numbers: no count of attempts, no time to wait (accounts.login.throttled).
    if (!attempt.allowed) throw new RateLimitedError('accounts.login.throttled');
    const result = await accounts.checkPassword(form.data.username, form.data.password);
    if (!result.ok)
      return renderLogin(res, 401, { error: 'accounts.login.invalid', username: form.data.username });
    // Success at the password step: this pair's failures end, and strangers' failures against this
    // account no longer hold this address back.
    await limiter.succeeded(form.data.username, address, attempt);
    // The session begins here, with a new id, so an id planted before sign-in is worthless after it.
    await renewSession(req, sessionSecret);
    req.session.pendingModeratorId = result.moderator.id;
    await carryDesk(req, sessionSecret, result.desk);
    await saveSession(req);
    to(res, '/moderate/login/code');
  });

  router.get('/moderate/login/code', async (req, res) => {
    const pending = req.session.pendingModeratorId;
    if (pending === undefined) return to(res, '/moderate/login');
    res.render('accounts/code', {
      titleKey: 'accounts.code.title',
      ...codeView(await accounts.enrolment(pending)),
    });
  });

  router.post('/moderate/login/code', verifyCsrf, async (req, res) => {
    const pending = req.session.pendingModeratorId;
    if (pending === undefined) return to(res, '/moderate/login');
    const form = CodeForm.safeParse(req.body);
    const account = `id:${pending}`;
    const address = await keyer.key(req);
    const attempt = await limiter.attempt(account, address);
    if (!attempt.allowed) throw new RateLimitedError('accounts.login.throttled');
    if (!form.success || !(await accounts.checkCode(pending, form.data.code)).ok) {
      return res.status(401).render('accounts/code', {
        titleKey: 'accounts.code.title',
        error: 'accounts.code.invalid',
        ...codeView(await accounts.enrolment(pending)),
      });
    }
    await limiter.succeeded(account, address, attempt);
    delete req.session.pendingModeratorId;
    req.session.moderatorId = pending;
    await renewSession(req, sessionSecret);
    await accounts.recordLogin(pending, 'login');
    await saveSession(req);
    to(res, '/moderate');
  });

  router.post('/moderate/logout', requireModerator, async (req, res) => {
    const id = res.locals.moderator?.id;
    await endSession(req);
    if (id !== undefined) await accounts.recordLogin(id, 'logout');
    res.clearCookie(sessionCookieName(deps.config), { path: '/' });
    // The browser drops everything of this origin it kept for the moderator: cookies, storage and cache.
    res.set('Clear-Site-Data', '"cache", "cookies", "storage"');
    res.render('accounts/signed-out', { titleKey: 'accounts.signed_out.title' });
  });

  router.get('/moderate/password', requireModerator, (_req, res) => {
    res.render('accounts/password', passwordView(res));
  });

  router.post('/moderate/password', requireModerator, async (req, res) => {
    const form = parseOrThrow(PasswordForm, req.body);
    if (form.password !== form.confirm)
      return res.status(422).render('accounts/password', passwordView(res, 'mismatch'));
    const moderator = res.locals.moderator!;
    const result = await accounts.changePassword(
      moderator.id,
      form.current,
      form.password,
      await deskOf(req, sessionSecret),
    );
    if (!result.ok) return res.status(422).render('accounts/password', passwordView(res, result.problem));
    to(res, '/moderate');
  });

  router.get('/moderate/admin/moderators', requireAdmin, async (_req, res) => {
    res.render('accounts/moderators', await moderatorsView(accounts, res));
  });

  router.post('/moderate/admin/moderators', requireAdmin, async (req, res) => {
    const form = AddForm.safeParse(req.body);
    if (!form.success)
      return res.status(422).render('accounts/moderators', {
        ...(await moderatorsView(accounts, res)),
        error: 'accounts.moderators.username_invalid',
      });
    const result = await accounts.addModerator(
      res.locals.moderator!.id,
      form.data,
      await deskOf(req, sessionSecret),
    );
    if (!result.ok)
      return res.status(422).render('accounts/moderators', {
        ...(await moderatorsView(accounts, res)),
        error: `accounts.moderators.${result.problem}`,
      });
    res.render('accounts/one-time', {
      titleKey: 'accounts.one_time.title',
      username: form.data.username,
      password: result.oneTimePassword,
    });
  });

  router.post('/moderate/admin/moderators/:id/reset', requireAdmin, async (req, res) => {
    const { id } = parseId(req);
    const result = await accounts.resetAccount(
      res.locals.moderator!.id,
      id,
      await deskOf(req, sessionSecret),
    );
    res.render('accounts/one-time', {
      titleKey: 'accounts.one_time.title',
      username: result.username,
      password: result.oneTimePassword,
    });
  });

  router.post('/moderate/admin/moderators/:id/role', requireAdmin, async (req, res) => {
    const { role } = parseOrThrow(RoleForm, req.body);
    await accounts.updateAccount(res.locals.moderator!.id, parseId(req).id, { role });
    to(res, '/moderate/admin/moderators');
  });

  router.post('/moderate/admin/moderators/:id/status', requireAdmin, async (req, res) => {
    const { disabled } = parseOrThrow(StatusForm, req.body);
    await accounts.updateAccount(res.locals.moderator!.id, parseId(req).id, { disabled });
    to(res, '/moderate/admin/moderators');
  });

  return router;
}

// The QR code's SVG goes into the page as markup; totpQrSvg() has checked it carries no style or script.
function codeView(enrolment: Enrolment) {
  return enrolment.enrolled ? enrolment : { ...enrolment, qrSvg: new Handlebars.SafeString(enrolment.qrSvg) };
}

function parseId(req: Request): { id: number } {
  return parseOrThrow(IdParams, req.params);
}

function passwordView(res: Response, problem?: string) {
  return {
    titleKey: 'accounts.password.title',
    forced: res.locals.moderator?.mustChangePassword ?? false,
    minLength: MIN_PASSWORD_LENGTH,
    error: problem ? `accounts.password.problems.${problem}` : undefined,
  };
}

async function moderatorsView(accounts: Accounts, res: Response) {
  const self = res.locals.moderator?.id;
  const moderators = (await accounts.listModerators()).map((moderator) => ({
    id: moderator.id,
    username: moderator.username,
    role: moderator.role,
    disabled: moderator.disabled,
    enrolled: moderator.totpEnrolled,
    deskAccess: moderator.wrappedDeskKey !== null,
    createdOn: moderator.createdOn,
    self: moderator.id === self,
    roleKey: `accounts.roles.${moderator.role}`,
    otherRole: moderator.role === 'admin' ? 'moderator' : 'admin',
    makeOtherKey: `accounts.moderators.make_${moderator.role === 'admin' ? 'moderator' : 'admin'}`,
    rolePath: `/moderate/admin/moderators/${moderator.id}/role`,
    statusPath: `/moderate/admin/moderators/${moderator.id}/status`,
    resetPath: `/moderate/admin/moderators/${moderator.id}/reset`,
  }));
  return {
    titleKey: 'accounts.moderators.title',
    moderators,
    roles: ROLES.map((role) => ({ value: role, labelKey: `accounts.roles.${role}` })),
  };
}
