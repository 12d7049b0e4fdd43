import type { Knex } from 'knex';
import type { Logger } from '../platform/logger';
import { ConflictError, AppError } from '../platform/errors';
import type { BuildProgress } from './disclosure/suppress';
import {
  findJob,
  finishJob,
  insertJob,
  updateJobProgress,
  type JobError,
  type JobKind,
  type JobRecord,
} from './job-store';
import { ReleaseRefusedError, type ReleaseDraft, type Releases } from './service';
import { listReleases } from './store';
import { summarizeBuild } from './summary';
import { isoDay } from '../platform/dates';

// Previews and publications run in the background: a build can take minutes at small counts, and a request
// that hangs for minutes is a page that times out. The desk polls the job's page, which refreshes itself.

/** A job silent this long is taken as interrupted (its process stopped); a live one reports every few seconds. */
export const STALE_AFTER_SECONDS = 120;
const HEARTBEAT_MS = 10_000;
const PROGRESS_EVERY_MS = 1_000;

export interface ReleaseJobs {
  /** Starts a preview or a publication; returns the job's id at once. */
  start(kind: JobKind, draft: ReleaseDraft, moderatorId: number | null): Promise<string>;
  find(id: string): Promise<JobRecord | undefined>;
  /** Waits for the jobs this process started (tests, shutdown). */
  settled(): Promise<void>;
}

export function createReleaseJobs(deps: {
  db: Knex;
  releases: Releases;
  logger?: Logger;
  today: () => Date;
}): ReleaseJobs {
  const running = new Set<Promise<void>>();

  async function run(
    id: string,
    kind: JobKind,
    draft: ReleaseDraft,
    moderatorId: number | null,
  ): Promise<void> {
    let lastWrite = 0;
    let pending: Promise<void> = Promise.resolve();
    const onProgress = (progress: BuildProgress): void => {
      if (progress.stage !== 'done' && progress.elapsedMs - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = progress.elapsedMs;
      pending = pending.then(() => updateJobProgress(deps.db, id, { ...progress })).catch(() => undefined);
    };
    const heartbeat = setInterval(() => {
      pending = pending.then(() => updateJobProgress(deps.db, id, {})).catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    let names: string[] = [];
    try {
      names = [...(await listReleases(deps.db)).map((r) => r.label), draft.label || 'draft'];
      if (kind === 'preview') {
        const build = await deps.releases.build(draft.cutoff, onProgress);
        await pending;
        await finishJob(deps.db, id, { state: 'done', result: { summary: summarizeBuild(build, names) } });
      } else {
        const { release, build } = await deps.releases.publish(draft, { moderatorId, onProgress });
        await pending;
        await finishJob(deps.db, id, {
          state: 'done',
          result: { label: release.label, summary: summarizeBuild(build, names) },
        });
      }
    } catch (error) {
      await pending;
      await finishJob(deps.db, id, { state: 'failed', error: describe(error, names) });
      if (!(error instanceof AppError))
        deps.logger?.error(
          { err: error instanceof Error ? error.message : String(error) },
          'release job failed',
        );
    } finally {
      clearInterval(heartbeat);
    }
  }

  return {
    async start(kind, draft, moderatorId) {
      const id = await insertJob(deps.db, {
        kind,
        cutoff: draft.cutoff,
        label: draft.label || null,
        notesEn: draft.notesEn ?? '',
        notesEs: draft.notesEs ?? '',
        requestedBy: moderatorId,
        createdOn: isoDay(deps.today()),
      });
      const job = run(id, kind, draft, moderatorId);
      running.add(job);
      void job.finally(() => running.delete(job));
      return id;
    },
    find: (id) => findJob(deps.db, id),
    async settled() {
      await Promise.all([...running]);
    },
  };
}

/** A failure as the job page shows it: a translation key, its parameters and any failing cells. */
function describe(error: unknown, names: readonly string[]): JobError {
  if (error instanceof ReleaseRefusedError) {
    return {
      key: error.message,
      params: { ...error.params },
      failures: error.failures.slice(0, 20).map((f) => ({
        kind: f.kind,
        release: names[f.release] ?? String(f.release),
        since: f.since === null ? null : (names[f.since] ?? String(f.since)),
        table: f.table,
        keys: Object.entries(f.keys)
          .map(([d, v]) => `${d}=${v}`)
          .join(', '),
        min: Math.round(f.min * 100) / 100,
        max: Math.round(f.max * 100) / 100,
      })),
    };
  }
  if (error instanceof ConflictError || error instanceof AppError)
    return { key: error.message, params: {}, failures: [] };
  return { key: 'releases.errors.build_failed', params: {}, failures: [] };
}
