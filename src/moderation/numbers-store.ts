import type { Knex } from 'knex';
import { FINAL_STATUSES, QUEUE_STATUSES, type IsoDate } from '../reports/types';

// SQL for the desk's own numbers (issue 16): how long the queue is, how long its oldest report has
// waited, how many decisions were made each week. For moderators only: these are live counts, and no
// live count is ever public (promise 6), so nothing outside /moderate reads them.

export interface DeskNumbers {
  queueLength: number;
  /** Days since the oldest waiting report was received; null when the queue is empty. */
  oldestWaitingDays: number | null;
  /** Decisions per week (weeks start on Monday), the last `weeks` weeks, oldest first, empty weeks included. */
  decisionsPerWeek: { weekOf: IsoDate; decisions: number }[];
}

/** The desk's numbers as of `today`. */
export async function deskNumbers(db: Knex, today: IsoDate, weeks: number): Promise<DeskNumbers> {
  const queueResult: unknown = await db.raw(
    `select count(*)::int as n, (?::date - min(received_on))::int as oldest
       from reports where status = any(?)`,
    [today, [...QUEUE_STATUSES]],
  );
  const queue = queueResult as { rows: { n: number; oldest: number | null }[] };
  // Decided reports by their decision date (dates only). Retention deletes rejected reports 90 days or
  // more after their decision, which is longer than the weeks shown.
  const weeksResult: unknown = await db.raw(
    `select to_char(w, 'YYYY-MM-DD') as week, count(r.id)::int as n
       from generate_series(date_trunc('week', ?::date) - (? * interval '1 week'), date_trunc('week', ?::date),
                            interval '1 week') as w
       left join reports r on r.status = any(?)
                          and r.decision_on >= w and r.decision_on < w + interval '1 week'
      group by w order by w`,
    [today, weeks - 1, today, [...FINAL_STATUSES]],
  );
  const perWeek = weeksResult as { rows: { week: string; n: number }[] };
  const row = queue.rows[0];
  return {
    queueLength: row?.n ?? 0,
    oldestWaitingDays: row?.oldest ?? null,
    decisionsPerWeek: perWeek.rows.map((week) => ({ weekOf: week.week, decisions: week.n })),
  };
}
