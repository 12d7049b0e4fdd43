import type { Knex } from 'knex';
import type { BuildSummary, SummaryFailure } from './summary';

// SQL for release jobs (the desk's background previews and publications).

export type JobKind = 'preview' | 'publish';
export type JobState = 'running' | 'done' | 'failed';

export interface JobProgress {
  stage?: string;
  round?: number;
  cells?: number;
  quantities?: number;
  proven?: number;
  withheld?: number;
  cuts?: number;
  elapsedMs?: number;
}

export interface JobError {
  key: string;
  params: Record<string, string | number>;
  failures: SummaryFailure[];
}

export interface JobRecord {
  id: string;
  kind: JobKind;
  cutoff: string;
  label: string | null;
  notesEn: string;
  notesEs: string;
  requestedBy: number | null;
  state: JobState;
  progress: JobProgress;
  result: { summary?: BuildSummary; label?: string } | null;
  error: JobError | null;
  /** Seconds since the job last reported progress. */
  silentSeconds: number;
}

/** Records a new running job; returns its id. */
export async function insertJob(
  db: Knex,
  job: {
    kind: JobKind;
    cutoff: string;
    label: string | null;
    notesEn: string;
    notesEs: string;
    requestedBy: number | null;
    createdOn: string;
  },
): Promise<string> {
  const [row]: { id: string }[] = await db('release_jobs')
    .insert({
      kind: job.kind,
      cutoff: job.cutoff,
      label: job.label,
      notes_en: job.notesEn,
      notes_es: job.notesEs,
      requested_by: job.requestedBy,
      created_on: job.createdOn,
    })
    .returning('id');
  return row!.id;
}

/** Stores a running job's progress and marks it alive. */
export async function updateJobProgress(db: Knex, id: string, progress: JobProgress): Promise<void> {
  await db('release_jobs')
    .where({ id, state: 'running' })
    .update({ progress: JSON.stringify(progress), heartbeat_at: db.fn.now() });
}

/** Ends a job with its result or its error. */
export async function finishJob(
  db: Knex,
  id: string,
  outcome: { state: 'done'; result: NonNullable<JobRecord['result']> } | { state: 'failed'; error: JobError },
): Promise<void> {
  await db('release_jobs')
    .where({ id })
    .update({
      state: outcome.state,
      result: outcome.state === 'done' ? JSON.stringify(outcome.result) : null,
      error: outcome.state === 'failed' ? JSON.stringify(outcome.error) : null,
      heartbeat_at: db.fn.now(),
    });
}

/** One job by id, or undefined. */
export async function findJob(db: Knex, id: string): Promise<JobRecord | undefined> {
  const row: Record<string, unknown> | undefined = await db('release_jobs')
    .where({ id })
    .first<Record<string, unknown> | undefined>(
      '*',
      db.raw("to_char(cutoff, 'YYYY-MM-DD') as cutoff_text"),
      db.raw('extract(epoch from (now() - heartbeat_at))::float8 as silent_seconds'),
    );
  if (!row) return undefined;
  return {
    id: String(row.id),
    kind: row.kind as JobKind,
    cutoff: String(row.cutoff_text),
    label: (row.label as string | null) ?? null,
    notesEn: String(row.notes_en),
    notesEs: String(row.notes_es),
    requestedBy: (row.requested_by as number | null) ?? null,
    state: row.state as JobState,
    progress: row.progress as JobProgress,
    result: (row.result as JobRecord['result']) ?? null,
    error: (row.error as JobError | null) ?? null,
    silentSeconds: Number(row.silent_seconds),
  };
}
