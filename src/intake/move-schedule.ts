import type { Db } from '../platform/db';
import type { Logger } from '../platform/logger';
import { moveStagedSubmissions, type MoveResult } from './move';

// When the daily move runs: once at start (catching up on days the process was down for, a crash
// included), then a few seconds after each UTC midnight, when the day's submissions are complete. A
// fixed time, so the move's own commit time says nothing about any reporter. In-process like retention:
// the timer is unref'd and stop() clears it and waits for a move in progress.

const DAY_MS = 24 * 60 * 60 * 1000;
// After midnight, so that today() has moved on in every instance even with a little clock skew.
const AFTER_MIDNIGHT_MS = 5_000;

/** Milliseconds from `now` until the next move (a few seconds after the next UTC midnight). */
export function msUntilNextMove(now: number): number {
  const nextMidnight = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  return nextMidnight + AFTER_MIDNIGHT_MS - now;
}

/** Starts the daily move; `ranOnce` settles after the catch-up at start (tests wait for it). */
export function startIntakeMoveSchedule(deps: {
  db: Db;
  receiptSecret: Buffer;
  logger: Logger;
  today?: () => Date;
}): { stop(): Promise<void>; ranOnce: Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = (): Promise<void> =>
    moveStagedSubmissions(deps.db, {
      receiptSecret: deps.receiptSecret,
      today: deps.today?.() ?? new Date(),
    }).then(
      (result: MoveResult) => {
        // Counts only, and only when something moved: the log says nothing about any one submission.
        if (result.reports + result.messages + result.unreadable > 0) {
          deps.logger.info(result, 'moved the staged submissions of past days');
        }
        if (result.unreadable > 0) {
          deps.logger.warn(
            { unreadable: result.unreadable },
            'staged submissions that RECEIPT_SECRET cannot open are kept; was the secret changed?',
          );
        }
      },
      (error: unknown) =>
        deps.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'moving staged submissions failed; they stay staged and the next run retries',
        ),
    );
  let running = run();
  const ranOnce = running;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = running.then(run);
      schedule();
    }, msUntilNextMove(Date.now()));
    timer.unref();
  };
  schedule();
  return {
    ranOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
