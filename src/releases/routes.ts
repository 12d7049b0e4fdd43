import { Router } from 'express';
import { z } from 'zod';
import { requireAdmin } from '../accounts/session';
import { recordAudit } from '../accounts/store';
import type { Db } from '../platform/db';
import { localizedPath } from '../platform/i18n';
import { releaseAdminView } from './presenter';
import type { Releases } from './service';
import { listReleases } from './store';

// Admin pages for releases: preview a cutoff (cells published and suppressed, the audit verdict) and
// publish. Stands on accounts' guards, like moderation, and never on moderation itself.

const Draft = z.object({
  cutoff: z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/),
  label: z.string().trim().max(40),
  notes_en: z.string().trim().max(2000).default(''),
  notes_es: z.string().trim().max(2000).default(''),
  _csrf: z.string().optional(),
});

export interface ReleasesRouterDeps {
  db: Db;
  releases: Releases;
}

/** /moderate/releases: list, preview and publish (admins only). */
export function releasesRouter(deps: ReleasesRouterDeps): Router {
  const router = Router();
  router.use('/moderate/releases', requireAdmin);

  router.get('/moderate/releases', async (req, res) => {
    const published = z
      .string()
      .regex(/^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$/)
      .safeParse(req.query.published);
    res.render('releases/admin', {
      ...releaseAdminView({ releases: await listReleases(deps.db), lang: res.locals.lang }),
      published: published.success ? published.data : undefined,
    });
  });

  router.post('/moderate/releases/preview', async (req, res) => {
    const form = Draft.safeParse(req.body);
    const releases = await listReleases(deps.db);
    if (!form.success) {
      return res
        .status(422)
        .render(
          'releases/admin',
          releaseAdminView({ releases, lang: res.locals.lang, errorKey: 'releases.errors.form' }),
        );
    }
    const build = await deps.releases.build(form.data.cutoff);
    res.render(
      'releases/admin',
      releaseAdminView({ releases, lang: res.locals.lang, draft: form.data, build }),
    );
  });

  router.post('/moderate/releases', async (req, res) => {
    const form = Draft.safeParse(req.body);
    if (!form.success) {
      const releases = await listReleases(deps.db);
      return res
        .status(422)
        .render(
          'releases/admin',
          releaseAdminView({ releases, lang: res.locals.lang, errorKey: 'releases.errors.form' }),
        );
    }
    const { release } = await deps.releases.publish({
      label: form.data.label,
      cutoff: form.data.cutoff,
      notesEn: form.data.notes_en,
      notesEs: form.data.notes_es,
    });
    await recordAudit(deps.db, {
      moderatorId: res.locals.moderator!.id,
      action: 'release_published',
      detail: { label: release.label },
    });
    res.redirect(
      303,
      `${localizedPath(res.locals.lang, '/moderate/releases')}?published=${encodeURIComponent(release.label)}`,
    );
  });
  return router;
}
