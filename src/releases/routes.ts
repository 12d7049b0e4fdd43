import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../accounts/session';
import { NotFoundError } from '../platform/errors';
import { localizedPath } from '../platform/i18n';
import { parseOrThrow } from '../platform/parse';
import type { ReleaseJobs } from './jobs';
import { RELEASE_LABEL } from './label';
import { jobView, releaseAdminView } from './presenter';
import type { Releases } from './service';

// Admin pages for releases: start a preview or a publication (both run in the background) and follow it on
// a page that refreshes itself. Stands on accounts' guards, like moderation, and never on moderation itself.

const Draft = z.object({
  cutoff: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/),
  label: z.string().trim().max(40).default(''),
  notes_en: z.string().trim().max(2000).default(''),
  notes_es: z.string().trim().max(2000).default(''),
  _csrf: z.string().optional(),
});
const Publish = Draft.extend({ label: z.string().trim().regex(RELEASE_LABEL) });
const JobId = z.uuid();

export interface ReleasesRouterDeps {
  releases: Releases;
  releaseJobs: ReleaseJobs;
}

/** /moderate/releases: the draft form, the list, and each job's page (admins only). */
export function releasesRouter(deps: ReleasesRouterDeps): Router {
  const router = Router();
  router.use('/moderate/releases', requireAdmin);

  router.get('/moderate/releases', async (_req, res) => {
    res
      .set('Cache-Control', 'no-store')
      .render('releases/admin', releaseAdminView({ releases: await deps.releases.list() }));
  });

  const start = (kind: 'preview' | 'publish', schema: typeof Draft | typeof Publish) =>
    async function handler(req: Request, res: Response) {
      const form = schema.safeParse(req.body);
      if (!form.success) {
        const releases = await deps.releases.list();
        const draft = Draft.partial().safeParse(req.body);
        return res
          .status(422)
          .set('Cache-Control', 'no-store')
          .render(
            'releases/admin',
            releaseAdminView({
              releases,
              draft: draft.success ? draft.data : undefined,
              errorKey: `releases.errors.form_${kind}`,
            }),
          );
      }
      const id = await deps.releaseJobs.start(
        kind,
        {
          cutoff: form.data.cutoff,
          label: form.data.label,
          notesEn: form.data.notes_en,
          notesEs: form.data.notes_es,
        },
        res.locals.moderator!.id,
      );
      res.redirect(303, localizedPath(res.locals.lang, `/moderate/releases/jobs/${id}`));
    };
  router.post('/moderate/releases/preview', start('preview', Draft));
  router.post('/moderate/releases', start('publish', Publish));

  router.get('/moderate/releases/jobs/:id', async (req, res) => {
    // A malformed id is a job that does not exist: 404.
    const job = await deps.releaseJobs.find(
      parseOrThrow(JobId, req.params.id, {}, () => new NotFoundError()),
    );
    if (!job) throw new NotFoundError();
    const view = jobView(job, res.locals.lang);
    res
      .set('Cache-Control', 'no-store')
      .render('releases/job', { ...view, refreshSeconds: view.running ? 2 : undefined });
  });
  return router;
}
