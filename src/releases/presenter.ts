import { translate, type Lang } from '../platform/i18n';
import { STALE_AFTER_SECONDS } from './jobs';
import type { JobRecord } from './job-store';
import type { ReleaseRecord } from './store';

/** What the admin releases page shows: the draft form (kept when refused) and the releases so far. */
export function releaseAdminView(input: {
  releases: readonly ReleaseRecord[];
  draft?: { cutoff?: string; label?: string; notes_en?: string; notes_es?: string } | undefined;
  errorKey?: string;
}) {
  return {
    titleKey: 'releases.admin.title',
    releases: [...input.releases].reverse(),
    draft: input.draft,
    errorKey: input.errorKey,
  };
}

/** A background preview or publication as its page shows it: progress while running, then its outcome. */
export function jobView(job: JobRecord, lang: Lang) {
  const interrupted = job.state === 'running' && job.silentSeconds > STALE_AFTER_SECONDS;
  const p = job.progress;
  const summary = job.result?.summary;
  return {
    titleKey: job.kind === 'preview' ? 'releases.job.preview_title' : 'releases.job.publish_title',
    job: { kind: job.kind, cutoff: job.cutoff, label: job.label },
    running: job.state === 'running' && !interrupted,
    interrupted,
    progress: {
      stageKey: `releases.job.stage.${p.stage ?? 'waiting'}`,
      round: p.round ?? 0,
      cells: p.cells ?? 0,
      proven: p.proven ?? 0,
      bounds: 2 * (p.quantities ?? 0),
      withheld: p.withheld ?? 0,
      seconds: Math.round((p.elapsedMs ?? 0) / 1000),
    },
    summary,
    publishedLabel: job.kind === 'publish' && job.state === 'done' ? job.result?.label : undefined,
    error: job.error && {
      text: translate(lang, job.error.key, job.error.params),
      failures: job.error.failures,
    },
    // The form to publish what was previewed, or to try again, filled in with the job's draft.
    draft: { cutoff: job.cutoff, label: job.label ?? '', notes_en: job.notesEn, notes_es: job.notesEs },
    canPublish: job.kind === 'preview' && job.state === 'done' && summary?.ok === true,
  };
}
