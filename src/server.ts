import type { Server } from 'node:http';
import { ConfigError, loadConfig, type Config } from './platform/config';
import { openDatabase } from './platform/database';
import type { Db } from './platform/db';
import { createLogger, type Logger } from './platform/logger';
import { loadSecrets, type Secrets } from './platform/secrets';

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
  const { composeServices } = lazy<typeof import('./compose')>('./compose');
  const { startRetentionSchedule } = lazy<typeof import('./moderation/retention')>('./moderation/retention');
  const { stopReleaseWorkers } = lazy<typeof import('./releases/run-in-worker')>('./releases/run-in-worker');
  const { startIntakeMoveSchedule } = lazy<typeof import('./intake/move-schedule')>('./intake/move-schedule');
  const { checkWalSettings } = lazy<typeof import('./platform/wal-settings')>('./platform/wal-settings');
  const { listenForTor } = lazy<typeof import('./platform/proxy-protocol')>('./platform/proxy-protocol');
  const { loadReference } = lazy<typeof import('./reference/store')>('./reference/store');
  const { hasAnyReport } = lazy<typeof import('./reports/store')>('./reports/store');
  const secrets = await loadSecrets(config);
  const database = await opening;
  if (config.seedDemo && !(await hasAnyReport(database.db))) {
    const { seedDemo } = lazy<typeof import('../seeds/demo')>('../seeds/demo');
    const added = await seedDemo(database.db, config);
    logger.info({ reports: added }, 'loaded demo data into the empty database');
  } else if (config.seedDemo) {
    // A demo database from before the public record existed gets its starter cases (none if it has any).
    const { seedDemoCases } = lazy<typeof import('../seeds/demo-cases')>('../seeds/demo-cases');
    await seedDemoCases(database.db, config);
  }
  if (config.seedDemo) {
    const { DEMO_ADMIN_USERNAME, seedDemoAdmin } = lazy<typeof import('./accounts/demo')>('./accounts/demo');
    const password = await seedDemoAdmin(database.db, config, secrets.session);
    // Demo only (never production): a random one-time password, shown here once and nowhere else.
    if (password) announceDemoAccount(logger, config, DEMO_ADMIN_USERNAME, password, 'created');
  }
  await reportDeskKey(database.db, secrets, logger);
  await checkWalSettings(database.db, logger);
  const reference = await loadReference(database.db);
  const deps = { config, db: database.db, reference, secrets, logger };
  // Built here rather than inside createApp so that stop() can close what they hold (Redis).
  const services = composeServices(deps);
  const app = createApp(deps, services);
  // Promise 8: retention daily, in-process (also `npm run retention`); unref'd, stopped on shutdown.
  const retention = startRetentionSchedule({ db: database.db, days: config.RETENTION_DAYS, logger });
  // Promise 1: staged submissions move into the tables daily; at start it catches up on missed days.
  const intakeMove = startIntakeMoveSchedule({ db: database.db, receiptSecret: secrets.receipt, logger });
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const tor = config.TOR_PROXY_PORT ? await listenForTor(server, config.TOR_PROXY_PORT) : undefined;
  logger.info(
    {
      port,
      ...(tor ? { torPort: config.TOR_PROXY_PORT } : {}),
      database: database.embedded ? 'embedded' : 'server',
    },
    'listening',
  );
  if (config.seedDemo) buildDemoReleasesInBackground(database.db, config, logger);
  const retiring = retirePublishedDemoPasswordInBackground(database.db, config, logger);
  return {
    server,
    port,
    async stop() {
      // Drain: stop accepting, let in-flight requests finish, then close the pool and the database.
      tor?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(forced);
      await retiring;
      await retention.stop();
      await intakeMove.stop();
      await stopReleaseWorkers();
      await services.close();
      await database.close();
    },
  };
}

/** The one place a demo password is ever shown: a log line at the start that created or replaced it. */
function announceDemoAccount(
  logger: Logger,
  config: Config,
  username: string,
  password: string,
  what: 'created' | 'replaced',
): void {
  logger.warn(
    { username, password, url: `${config.origin}/moderate/login` },
    what === 'created'
      ? 'demo desk account created; this one-time password is shown only now (choose your own at first sign-in, then enrol a TOTP app)'
      : 'the demo desk account still had the password once published in the README; it now has this one-time password, shown only now',
  );
}

/**
 * Says at start-up when intake is closed for want of an authenticated desk key (accounts/desk-keys.ts),
 * so an operator who has just upgraded learns it before any reporter does.
 */
async function reportDeskKey(db: Db, secrets: Secrets, logger: Logger): Promise<void> {
  const { deskKeyStatus } = lazy<typeof import('./accounts/desk-keys')>('./accounts/desk-keys');
  const status = await deskKeyStatus(db, secrets);
  if (status.state === 'missing') {
    logger.warn(
      'no desk key yet: intake is closed until the first admin exists (`npm run moderator:create`)',
    );
  } else if (status.state === 'unauthenticated') {
    logger.warn(
      { deskKeyId: status.key.id, fingerprint: status.key.fingerprint },
      'intake is closed: the newest desk key is not authenticated. Check its fingerprint against the one an ' +
        'admin sees on the desk, then run `npm run desk-key:confirm -- --fingerprint "<fingerprint>"`',
    );
  }
}

/**
 * Replaces the password once published in the README, in the background (an Argon2 check costs ~0.2 s).
 * The promise never rejects; stop() waits for it before closing the database.
 */
function retirePublishedDemoPasswordInBackground(db: Db, config: Config, logger: Logger): Promise<void> {
  const { DEMO_ADMIN_USERNAME, retirePublishedDemoPassword } =
    lazy<typeof import('./accounts/demo')>('./accounts/demo');
  return retirePublishedDemoPassword(db).then(
    (password) => {
      if (password) announceDemoAccount(logger, config, DEMO_ADMIN_USERNAME, password, 'replaced');
    },
    (error: unknown) =>
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'demo password check failed',
      ),
  );
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

/** Runs the portal until a signal stops it: `node dist/src/server.js`, or `npm start` (scripts/start.mjs). */
export function run(): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

if (require.main === module) run();
