import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { deskOf, requireAdmin, requireModerator } from '../accounts/session';
import type { Accounts } from '../accounts/service';
import type { Config } from '../platform/config';
import { BadRequestError, ConflictError, NotFoundError } from '../platform/errors';
import { localizedPath } from '../platform/i18n';
import type { Reference } from '../reference/types';
import { MAX_SEALED_CHARACTERS } from '../reports/seal';
import { parseOrThrow } from '../platform/parse';
import { DECISION_REASONS, QUEUE_STATUSES } from '../reports/types';
import { auditView, queueView, reportView } from './presenter';
import type { EditResult, Moderation } from './service';
import { CodesForm, fieldsOf } from './codes-form';
import { parseCursor, type PageAt } from './queue-cursor';
import { reportIdParam, reportUuid } from './report-id';

// The desk: the queue, one report at a time, decisions, questions to the reporter, the audit log.

const list = z.preprocess(
  (value): unknown => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().max(64)).max(100),
);
const version = z.coerce.number().int().positive().max(2_147_483_647);

const QueueQuery = z.object({
  status: z.enum(QUEUE_STATUSES).or(z.literal('')).optional(),
  state: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .or(z.literal(''))
    .optional(),
  office: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .or(z.literal(''))
    .optional(),
  after: z.string().max(64).optional(),
  before: z.string().max(64).optional(),
});
// Each picked row says "id:version"; both halves are held to the same rules as everywhere else, so a
// forged value is a 400 here and never reaches Postgres as a bad uuid or an integer out of range.
const BatchItem = z
  .string()
  .transform((value) => {
    const at = value.indexOf(':');
    return {
      id: value.slice(0, at).toLowerCase(),
      version: at < 0 ? Number.NaN : Number(value.slice(at + 1)),
    };
  })
  .pipe(z.object({ id: reportUuid, version: z.number().int().positive().max(2_147_483_647) }));
const Batch = z.object({ report: list.pipe(z.array(BatchItem).min(1)) });
const Versioned = z.object({ version });
const RejectForm = Versioned.extend({ reason: z.enum(DECISION_REASONS) });
const DuplicateForm = Versioned.extend({ duplicate_of: z.string().trim().toLowerCase().pipe(reportUuid) });
const QuestionForm = Versioned.extend({ question: z.string().trim().min(1).max(MAX_SEALED_CHARACTERS) });
const AuditQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1) });

export interface ModerationRouterDeps {
  config: Config;
  reference: Reference;
  accounts: Accounts;
  moderation: Moderation;
  sessionSecret: Buffer;
}

/** Routes for the desk, in both languages (mounted at / and /es by app.ts). */
export function moderationRouter(deps: ModerationRouterDeps): Router {
  const { moderation, reference, sessionSecret } = deps;
  const router = Router();
  const me = (res: Response) => res.locals.moderator!.id;
  const back = (res: Response, path: string) => res.redirect(303, localizedPath(res.locals.lang, path));

  /** Renders the outcome of an edit: back to the queue, the report at 409 with its current state, or 422. */
  const after = async (req: Request, res: Response, id: string, result: EditResult) => {
    if (result.ok) return back(res, '/moderate');
    const report = await moderation.review(me(res), id, await deskOf(req, sessionSecret));
    // Decided by someone else meanwhile: the current state is "off the desk", said as a 409.
    if (!report)
      throw (await moderation.statusOf(id))
        ? new ConflictError('moderation.report.decided')
        : new NotFoundError();
    res.status(result.stale ? 409 : 422).render('moderation/report', {
      ...reportView(reference, report, res.locals.lang),
      notice: result.stale ? 'moderation.report.stale' : result.error,
    });
  };

  router.get('/moderate', requireModerator, async (req, res) => {
    const query = parseOrThrow(QueueQuery, req.query);
    const filter = {
      statuses: query.status ? [query.status] : [...QUEUE_STATUSES],
      state: query.state || undefined,
      fieldOffice: query.office || undefined,
    };
    const at = pageAt(query);
    res.render(
      'moderation/queue',
      queueView(
        reference,
        await moderation.queue(filter, at),
        filter,
        res.locals.lang,
        'after' in at || 'before' in at,
      ),
    );
  });

  router.post('/moderate/approve', requireModerator, async (req, res) => {
    const form = parseOrThrow(Batch, req.body);
    const result = await moderation.approveBatch(me(res), form.report);
    if (result.ok) return back(res, '/moderate');
    const filter = { statuses: [...QUEUE_STATUSES] };
    res.status(409).render('moderation/queue', {
      ...queueView(reference, await moderation.queue(filter), filter, res.locals.lang),
      notice: 'moderation.queue.stale',
    });
  });

  router.get('/moderate/reports/:id', requireModerator, async (req, res) => {
    const report = await moderation.review(me(res), reportIdParam(req), await deskOf(req, sessionSecret));
    if (!report) throw new NotFoundError();
    res.render('moderation/report', reportView(reference, report, res.locals.lang));
  });

  router.post('/moderate/reports/:id/codes', requireModerator, async (req, res) => {
    const form = parseOrThrow(CodesForm, req.body);
    const fields = fieldsOf(form);
    const id = reportIdParam(req);
    await after(req, res, id, await moderation.correct(me(res), id, form.version, fields));
  });

  router.post('/moderate/reports/:id/approve', requireModerator, async (req, res) => {
    const id = reportIdParam(req);
    await after(
      req,
      res,
      id,
      await moderation.approve(me(res), id, parseOrThrow(Versioned, req.body).version),
    );
  });

  router.post('/moderate/reports/:id/reject', requireModerator, async (req, res) => {
    const id = reportIdParam(req);
    const form = parseOrThrow(RejectForm, req.body);
    await after(req, res, id, await moderation.reject(me(res), id, form.version, form.reason));
  });

  router.post('/moderate/reports/:id/duplicate', requireModerator, async (req, res) => {
    const id = reportIdParam(req);
    const form = DuplicateForm.safeParse(req.body);
    if (!form.success)
      return after(req, res, id, { ok: false, stale: false, error: 'moderation.errors.duplicate_target' });
    await after(
      req,
      res,
      id,
      await moderation.markDuplicate(me(res), id, form.data.version, form.data.duplicate_of),
    );
  });

  router.post('/moderate/reports/:id/question', requireModerator, async (req, res) => {
    const id = reportIdParam(req);
    const form = QuestionForm.safeParse(req.body);
    if (!form.success)
      return after(req, res, id, { ok: false, stale: false, error: 'moderation.errors.question' });
    await after(req, res, id, await moderation.ask(me(res), id, form.data.version, form.data.question));
  });

  router.get('/moderate/admin/audit', requireAdmin, async (req, res) => {
    const { page } = parseOrThrow(AuditQuery, req.query);
    const perPage = 100;
    const { rows, hasMore } = await moderation.auditLog(page, perPage);
    res.render('moderation/audit', auditView(rows, page, hasMore, res.locals.lang));
  });

  return router;
}

/** Where the page starts: after a cursor, before one, or at the top; a malformed cursor is a 400. */
function pageAt(query: { after?: string | undefined; before?: string | undefined }): PageAt {
  if (query.after !== undefined && query.before !== undefined) throw new BadRequestError();
  const text = query.after ?? query.before;
  if (text === undefined) return {};
  const cursor = parseCursor(text);
  if (!cursor) throw new BadRequestError();
  return query.after !== undefined ? { after: cursor } : { before: cursor };
}
