import session from 'express-session';
import type { Db } from '../platform/db';
import { hashSessionId } from './keys';

// express-session's store over knex, in Postgres (the process stays stateless; DESIGN section 3). A small
// store of our own rather than connect-pg-simple: it shares the app's knex pool (one code path for the
// embedded database, whose single backend a second pool would queue behind), keys rows by a hash of the
// session id (see keys.ts), and enforces both time limits in SQL rather than trusting the cookie.

export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 8;

type Callback<T = void> = (error?: unknown, value?: T) => void;

interface SessionRow {
  data: session.SessionData | string;
}

/** Sessions in the `sessions` table: 30 minutes idle, 8 hours absolute, counted from the session's start. */
export class KnexSessionStore extends session.Store {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  override get(sid: string, callback: Callback<session.SessionData | null>): void {
    const now = this.now();
    this.db('sessions')
      .select('data')
      .where({ sid_hash: hashSessionId(sid) })
      .andWhere('idle_expires_at', '>', now)
      .andWhere('absolute_expires_at', '>', now)
      .first()
      .then(
        (row: SessionRow | undefined) => {
          if (!row) return callback(null, null);
          callback(
            null,
            typeof row.data === 'string' ? (JSON.parse(row.data) as session.SessionData) : row.data,
          );
        },
        (error: unknown) => callback(error),
      );
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const now = this.now();
    const moderatorId = (data as { moderatorId?: unknown }).moderatorId;
    this.db('sessions')
      .insert({
        sid_hash: hashSessionId(sid),
        moderator_id: typeof moderatorId === 'number' ? moderatorId : null,
        data: JSON.stringify(data),
        idle_expires_at: addMinutes(now, IDLE_MINUTES),
        absolute_expires_at: addMinutes(now, ABSOLUTE_HOURS * 60),
      })
      .onConflict('sid_hash')
      // The absolute limit is fixed when the session begins and never extended.
      .merge(['moderator_id', 'data', 'idle_expires_at'])
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  override touch(sid: string, _data: session.SessionData, callback?: Callback): void {
    this.db('sessions')
      .where({ sid_hash: hashSessionId(sid) })
      .update({ idle_expires_at: addMinutes(this.now(), IDLE_MINUTES) })
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }

  override destroy(sid: string, callback?: Callback): void {
    this.db('sessions')
      .where({ sid_hash: hashSessionId(sid) })
      .del()
      .then(
        () => callback?.(),
        (error: unknown) => callback?.(error),
      );
  }
}

/** Ends every session of a moderator (disabled, password reset, role change). */
export async function destroyModeratorSessions(db: Db, moderatorId: number): Promise<void> {
  await db('sessions').where({ moderator_id: moderatorId }).del();
}

/** Deletes expired sessions; run with retention. */
export async function pruneSessions(db: Db, now: Date): Promise<number> {
  return db('sessions').where('idle_expires_at', '<=', now).orWhere('absolute_expires_at', '<=', now).del();
}

// Expiries are kept to the whole minute (a check in the schema holds every path to it): the timeouts
// need no finer clock, and a finer one would only help line up a seized copy against other records.
// Rounded up, so a session never ends before its limit.
function addMinutes(date: Date, minutes: number): Date {
  return new Date(Math.ceil((date.getTime() + minutes * 60_000) / 60_000) * 60_000);
}
