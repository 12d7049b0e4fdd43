import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../accounts/session';
import { BadRequestError, NotFoundError } from '../platform/errors';
import { localizedPath, translateCount, type Lang } from '../platform/i18n';
import { parseOrThrow } from '../platform/parse';
import type { Reference } from '../reference/types';
import { caseFormModel, EMPTY_CASE, rawFromCase } from './desk-presenter';
import type { CasePages } from './pages';
import { caseIdParam } from './params';
import type { Cases } from './service';
import { LIMITS, type Problem, type PublicCase } from './types';
import type { RawCase, RawSource } from './validate';

// The desk's page for the public record (admins only): list, add, edit, retract and reinstate one case.
// Stands on accounts' guards (session, CSRF, role), like releases. Every change is audited by the service.

export interface CasesDeskDeps {
  reference: Reference;
  cases: Cases;
  casePages: CasePages;
}

const DeskListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  done: z.enum(['added', 'saved', 'retracted', 'reinstated']).optional().catch(undefined),
});
const Version = z.coerce.number().int().positive().max(2_147_483_647);
const DESK_PAGE_SIZE = 50;

/** /moderate/cases and below, in both languages. */
export function casesDeskRouter(deps: CasesDeskDeps): Router {
  const { cases, reference } = deps;
  const { labeler, caseView } = deps.casePages.presenter;
  const router = Router();
  router.use('/moderate/cases', requireAdmin);
  const me = (res: Response) => res.locals.moderator!.id;
  const form = (raw: RawCase, problems: Problem[], lang: Lang) =>
    caseFormModel({
      labeler,
      stateCodes: reference.states.map((s) => s.usps),
      officeCodes: reference.offices.map((o) => o.code),
      raw,
      problems,
      lang,
    });
  const editPage = (
    res: Response,
    current: PublicCase,
    extra: {
      raw?: RawCase;
      problems?: Problem[];
      retract?: { en: string; es: string; problems: Problem[] };
      notice?: string;
    },
  ) => ({
    titleKey: 'cases.desk.edit_title',
    caseId: current.id,
    version: current.version,
    publicHref: `/cases/${current.id}`,
    retracted: caseView(current, res.locals.lang).retracted,
    form: form(extra.raw ?? rawFromCase(current), extra.problems ?? [], res.locals.lang),
    retractForm: {
      en: extra.retract?.en ?? '',
      es: extra.retract?.es ?? '',
      errors: (extra.retract?.problems ?? []).map((p) => res.locals.t(p.key, p.params ?? {})),
    },
    notice: extra.notice,
  });
  const back = (res: Response, path: string) => res.redirect(303, localizedPath(res.locals.lang, path));
  const load = async (req: Request) => {
    const found = await cases.get(caseIdParam(req.params.id));
    if (!found) throw new NotFoundError('cases.errors.not_found');
    return found;
  };

  router.get('/moderate/cases', async (req, res) => {
    const { page, done } = parseOrThrow(DeskListQuery, req.query);
    const found = await cases.list({}, { limit: DESK_PAGE_SIZE, offset: (page - 1) * DESK_PAGE_SIZE });
    res.render('cases/desk-list', {
      titleKey: 'cases.desk.title',
      done: done ? `cases.desk.done_${done}` : undefined,
      countText: translateCount(res.locals.lang, 'cases.list.count', found.total),
      rows: found.cases.map((c) => {
        const view = caseView(c, res.locals.lang);
        return { ...view, editHref: `/moderate/cases/${c.id}`, sourceCount: c.sources.length };
      }),
      previous: page > 1 ? page - 1 : undefined,
      next: page * DESK_PAGE_SIZE < found.total ? page + 1 : undefined,
    });
  });

  router.get('/moderate/cases/new', (_req, res) => {
    res.render('cases/desk-new', {
      titleKey: 'cases.desk.new_title',
      form: form(EMPTY_CASE, [], res.locals.lang),
    });
  });

  router.post('/moderate/cases', async (req, res) => {
    const raw = rawFromBody(req.body);
    const result = await cases.create(me(res), raw);
    if (result.ok) return back(res, `/moderate/cases/${result.id}?done=added`);
    res.status(422).render('cases/desk-new', {
      titleKey: 'cases.desk.new_title',
      form: form(raw, result.problems, res.locals.lang),
    });
  });

  router.get('/moderate/cases/:id', async (req, res) => {
    const current = await load(req);
    const done = DeskListQuery.shape.done.parse(req.query.done);
    res.render('cases/desk-edit', editPage(res, current, done ? { notice: `cases.desk.done_${done}` } : {}));
  });

  router.post('/moderate/cases/:id', async (req, res) => {
    const current = await load(req);
    const raw = rawFromBody(req.body);
    const result = await cases.update(me(res), current.id, version(req), raw);
    if (result.ok) return back(res, `/moderate/cases/${current.id}?done=saved`);
    if (result.stale) {
      // Changed by someone else meanwhile: show the current case, and keep nothing half-applied.
      return res
        .status(409)
        .render('cases/desk-edit', editPage(res, await load(req), { notice: 'cases.desk.stale' }));
    }
    res.status(422).render('cases/desk-edit', editPage(res, current, { raw, problems: result.problems }));
  });

  router.post('/moderate/cases/:id/retract', async (req, res) => {
    const current = await load(req);
    const en = field(req.body, 'reason_en');
    const es = field(req.body, 'reason_es');
    const result = await cases.retract(me(res), current.id, version(req), en, es);
    if (result.ok) return back(res, `/moderate/cases/${current.id}?done=retracted`);
    if (result.stale)
      return res
        .status(409)
        .render('cases/desk-edit', editPage(res, await load(req), { notice: 'cases.desk.stale' }));
    res
      .status(422)
      .render('cases/desk-edit', editPage(res, current, { retract: { en, es, problems: result.problems } }));
  });

  router.post('/moderate/cases/:id/reinstate', async (req, res) => {
    const current = await load(req);
    const result = await cases.reinstate(me(res), current.id, version(req));
    if (result.ok) return back(res, `/moderate/cases/${current.id}?done=reinstated`);
    res.status(409).render('cases/desk-edit', editPage(res, await load(req), { notice: 'cases.desk.stale' }));
  });

  return router;
}

function version(req: Request): number {
  return parseOrThrow(Version, (req.body as Record<string, unknown> | undefined)?.version);
}

// One text field of the form: absent is empty; repeated (a forged form) is a 400, never an array downstream.
function field(body: unknown, key: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new BadRequestError();
  return value;
}

function list(body: unknown, key: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[key];
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v): v is string => typeof v === 'string')) throw new BadRequestError();
  return values;
}

/** The form's fields as a raw case: sources numbered 0…, blank rows and those marked for removal left out. */
export function rawFromBody(body: unknown): RawCase {
  const sources: RawSource[] = [];
  for (let i = 0; i < LIMITS.sourcesPerCase + 1; i++) {
    const part = (name: string) => field(body, `source_${i}_${name}`);
    const source = {
      url: part('url'),
      title: part('title'),
      publisher: part('publisher'),
      published: part('published'),
      kind: part('kind'),
    };
    const blank =
      !source.url.trim() && !source.title.trim() && !source.publisher.trim() && !source.published.trim();
    if (blank || part('remove') === 'on') continue;
    sources.push(source);
  }
  return {
    month: field(body, 'month'),
    state: field(body, 'state'),
    fieldOffice: field(body, 'field_office'),
    actionTypes: list(body, 'action_types'),
    activismTypes: list(body, 'activism_types'),
    targetRole: field(body, 'target_role'),
    summaryEn: field(body, 'summary_en'),
    summaryEs: field(body, 'summary_es'),
    sources,
  };
}
