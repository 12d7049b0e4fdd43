import { Router } from 'express';
import { migrationsCurrent, type Db } from './db';

/** GET /healthz: liveness plus database readiness as JSON; 503 when the database or schema is not ready. */
export function healthRouter(db: Db): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    let database = false;
    let migrations: 'current' | 'pending' | 'unknown' = 'unknown';
    try {
      await db.raw('select 1');
      database = true;
      migrations = (await migrationsCurrent(db)) ? 'current' : 'pending';
    } catch {
      // Reported in the body; the cause goes nowhere public.
    }
    const ok = database && migrations === 'current';
    res
      .status(ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: ok ? 'ok' : 'unavailable',
        database: database ? 'reachable' : 'unreachable',
        migrations,
      });
  });
  return router;
}
