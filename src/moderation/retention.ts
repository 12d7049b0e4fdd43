import { deleteExpiredSessions } from '../accounts/retention';
import { addDays, isoDay } from '../platform/dates';
import type { Db } from '../platform/db';
import type { Logger } from '../platform/logger';
import { applyRetention } from './store';

// Promise 8: narratives and messages are deleted RETENTION_DAYS after the final decision, and rejected
// reports are deleted whole at the same point (the delay leaves room to reconsider a rejection). Coded
// fields of approved and duplicate reports are kept: releases count them. Expired sessions go too.

export interface RetentionResult {
  cutoff: string;
  rejectedDeleted: number;
  narrativesDeleted: number;
  messagesDeleted: number;
  sessionsDeleted: number;
}

/** Runs retention as of `today` (a date; tests pass a fixed one). */
export async function runRetention(
  db: Db,
  options: { today: Date; days: number; now?: Date },
): Promise<RetentionResult> {
  const cutoff = addDays(isoDay(options.today), -options.days);
  const deleted = await db.transaction((trx) => applyRetention(trx, cutoff));
  const sessionsDeleted = await deleteExpiredSessions(db, options.now ?? new Date());
  return { cutoff, ...deleted, sessionsDeleted };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs retention a minute after start and then daily, in-process. The timer is unref'd (it never keeps
 * the process alive) and stop() clears it and waits for a run in progress, so shutdown stays clean.
 */
export function startRetentionSchedule(deps: {
  db: Db;
  days: number;
  logger: Logger;
  today?: () => Date;
  firstRunMs?: number;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = () => {
    if (stopped) return;
    running = runRetention(deps.db, { today: deps.today?.() ?? new Date(), days: deps.days }).then(
      (result) => deps.logger.info(result, 'retention ran'),
      (error: unknown) =>
        deps.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'retention failed',
        ),
    );
  };
  const first = setTimeout(run, deps.firstRunMs ?? 60_000);
  const daily = setInterval(run, DAY_MS);
  first.unref();
  daily.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(daily);
      await running;
    },
  };
}
