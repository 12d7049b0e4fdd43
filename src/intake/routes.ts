import { Router, type RequestHandler, type Response } from 'express';
import type { Config } from '../platform/config';
import { ForbiddenError } from '../platform/errors';
import type { Reference } from '../reference/types';
import { isSameOriginRequest } from '../platform/same-origin';
import { receiptLanguage } from './receipt';
import type { LimitedRoute } from './limits';
import { formView, statusView } from './presenter';
import { textField } from './form-body';
import { MessageForm, parseForm, parseReportForm, StatusForm } from './schema';
import type { Intake, ReportStatusView } from './service';

// The reporter's side: GET/POST /report, GET/POST /status, POST /status/messages, in both languages.
// Every page here is no-store (promise 2) and sets no cookie; CSRF protection is the Origin /
// Sec-Fetch-Site check plus a signed, single-use form token in a hidden field.

interface IntakeRouterDeps {
  config: Config;
  reference: Reference;
  today: () => Date;
  /** The intake service and its limits, built once by the composition root (src/compose.ts). */
  intake: Intake;
  limits: Record<LimitedRoute, RequestHandler[]>;
}

function noStore(res: Response, status: number): Response {
  return res.status(status).set('Cache-Control', 'no-store');
}

// Form posts must come from our own pages (the public origin or the onion one).
function requireSameOrigin(config: Config): RequestHandler {
  const origins = [config.origin, ...(config.ONION_ORIGIN ? [config.ONION_ORIGIN] : [])];
  return (req, _res, next) => {
    const headers = { origin: req.get('origin'), secFetchSite: req.get('sec-fetch-site') };
    next(isSameOriginRequest(headers, origins) ? undefined : new ForbiddenError('intake.errors.cross_site'));
  };
}

/** The intake router; mounted at / and /es by app.ts. */
export function intakeRouter(deps: IntakeRouterDeps): Router {
  const { intake, limits, today } = deps;
  const sameOrigin = requireSameOrigin(deps.config);
  const router = Router();

  const renderForm = (res: Response, status: number, extra: Partial<Parameters<typeof formView>[0]> = {}) =>
    noStore(res, status).render(
      'intake/form',
      formView({
        reference: deps.reference,
        lang: res.locals.lang,
        today: today(),
        token: intake.issueToken(),
        ...extra,
      }),
    );
  const renderLookup = (res: Response, status: number, error?: string) =>
    noStore(res, status).render('intake/status-lookup', { titleKey: 'status.title', error });
  const renderStatus = (
    res: Response,
    status: number,
    report: ReportStatusView,
    extra: Omit<Parameters<typeof statusView>[2], 'token'> = {},
  ) =>
    noStore(res, status).render(
      'intake/status',
      statusView(report, res.locals.lang, { token: intake.issueToken(), ...extra }),
    );

  router.get('/report', (_req, res) => renderForm(res, 200));

  router.post('/report', ...limits.report, sameOrigin, async (req, res) => {
    const token = intake.checkToken(textField(req.body, 'token'));
    const form = parseReportForm(deps.reference, req.body, today());
    if (!form.ok) return renderForm(res, 422, { values: form.values, errors: form.errors });
    if (!token.ok)
      return renderForm(res, 422, { values: form.values, notice: 'intake.notice.token_expired' });
    const receipt = await intake.submit(form.data, token, res.locals.lang);
    if (!receipt) return renderForm(res, 422, { values: form.values, notice: 'intake.notice.token_used' });
    noStore(res, 200).render('intake/receipt', {
      titleKey: 'intake.receipt.title',
      receipt,
      receiptLang: receiptLanguage(res.locals.lang),
    });
  });

  router.get('/status', (_req, res) => renderLookup(res, 200));

  router.post('/status', ...limits.status, sameOrigin, async (req, res) => {
    const form = parseForm(StatusForm, req.body);
    // Invalid input still pays for one hash and one query, like a receipt that does not exist.
    const report = await intake.openStatus(form.ok ? form.data.receipt : '');
    if (!report) return renderLookup(res, 422, 'status.errors.not_found');
    renderStatus(res, 200, report);
  });

  router.post('/status/messages', ...limits.messages, sameOrigin, async (req, res) => {
    const report = await intake.openStatus(textField(req.body, 'receipt'));
    if (!report) return renderLookup(res, 422, 'status.errors.not_found');
    const form = parseForm(MessageForm, req.body);
    const token = intake.checkToken(textField(req.body, 'token'));
    const message = textField(req.body, 'message');
    if (!form.ok) return renderStatus(res, 422, report, { errors: form.errors, message });
    if (!token.ok) return renderStatus(res, 422, report, { notice: 'intake.notice.token_expired', message });
    const outcome = await intake.sendMessage(report, form.data.message, token);
    if (outcome.kind !== 'sent') {
      const status = { closed: 409, used: 422, full: 429 }[outcome.kind];
      return renderStatus(res, status, report, {
        notice: `status.notice.${outcome.kind}`,
        message,
      });
    }
    renderStatus(res, 200, outcome.status, { notice: 'status.notice.sent' });
  });

  return router;
}
