import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './platform/config';
import { openDatabase } from './platform/database';
import type { Db } from './platform/db';
import { createLogger, type Logger } from './platform/logger';
import { loadSecrets } from './platform/secrets';

// The app and everything else are loaded only once the database has started opening: loading the
// modules is a second of CPU, and PGlite compiles its WebAssembly on background threads meanwhile, which
// is most of what keeps a restart under three seconds.
function lazy<T>(modulePath: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath) as T;
}

export interface RunningServer {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

/** Starts the portal: config → database (server or embedded) → migrate → demo data → app → listen. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const opening = openDatabase(config);
  // Yield once so PGlite starts loading, then load the rest of the app synchronously meanwhile.
  await new Promise((resolve) => setImmediate(resolve));
  const { createApp } = lazy<typeof import('./app')>('./app');
  const { startRetentionSchedule } = lazy<typeof import('./moderation/retention')>('./moderation/retention');
  const { stopSuppressionWorkers } = lazy<typeof import('./releases/run-suppression')>(
    './releases/run-suppression',
  );
  const { loadReference } = lazy<typeof import('./reference/store')>('./reference/store');
  const { hasAnyReport } = lazy<typeof import('./reports/store')>('./reports/store');
  const secrets = await loadSecrets(config);
  const database = await opening;
  if (config.seedDemo && !(await hasAnyReport(database.db))) {
    const { seedDemo } = lazy<typeof import('../seeds/demo')>('../seeds/demo');
    const { DEMO_ADMIN } = lazy<typeof import('./accounts/demo')>('./accounts/demo');
    const added = await seedDemo(database.db, config);
    logger.info({ reports: added }, 'loaded demo data into the empty database');
    // Demo only (never production): the desk account documented in the README, printed once on first start.
    logger.info(
      {
        username: DEMO_ADMIN.username,
        password: DEMO_ADMIN.password,
        url: `${config.origin}/moderate/login`,
      },
      'demo desk account (enrol a TOTP app at first sign-in)',
    );
  } else if (config.seedDemo) {
    // A demo database from before the public record existed gets its starter cases (none if it has any).
    const { seedDemoCases } = lazy<typeof import('../seeds/demo-cases')>('../seeds/demo-cases');
    await seedDemoCases(database.db, config);
  }
  const reference = await loadReference(database.db);
  const app = createApp({ config, db: database.db, reference, secrets, logger });
  // Promise 8: retention daily, in-process (also `npm run retention`); unref'd, stopped on shutdown.
  const retention = startRetentionSchedule({ db: database.db, days: config.RETENTION_DAYS, logger });
  const server = app.listen(config.PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, database: database.embedded ? 'embedded' : 'server' }, 'listening');
  if (config.seedDemo) buildDemoReleasesInBackground(database.db, config, logger);
  return {
    server,
    port,
    async stop() {
      // Drain: stop accepting, let in-flight requests finish, then close the pool and the database.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(forced);
      await retention.stop();
      await stopSuppressionWorkers();
      await database.close();
    },
  };
}

/**
 * The demo's releases are built after the server is listening: suppression and the disclosure audit take
 * a while, and a newcomer should see the site at once (the public pages say "no release yet" until then).
 * Interrupted by a stop, the build is simply done again on the next start: each demo release is published
 * in one transaction, and ones already published are skipped.
 */
function buildDemoReleasesInBackground(db: Db, config: Config, logger: Logger): void {
  const started = performance.now();
  const { seedDemoReleases } = lazy<typeof import('../seeds/demo-releases')>('../seeds/demo-releases');
  seedDemoReleases(db, config).then(
    (published) => {
      if (published > 0) {
        logger.info(
          { releases: published, seconds: Math.round((performance.now() - started) / 100) / 10 },
          'published the demo releases',
        );
      }
    },
    (error: unknown) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'demo releases not built; will retry on next start',
      ),
  );
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL });
  const running = await startServer(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
