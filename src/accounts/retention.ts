import type { Db } from '../platform/db';
import { pruneSessions } from './session-store';

// What accounts gives the daily retention run (moderation/retention.ts), so no other capability reaches
// into its session store.

/** Deletes the desk sessions past their idle or absolute limit as of `now`; returns how many. */
export function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  return pruneSessions(db, now);
}
