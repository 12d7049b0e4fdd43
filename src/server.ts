import type { Server } from 'node:http';
import { seedDemo } from '../seeds/demo';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './platform/config';
import { openDatabase } from './platform/database';
import { createLogger, type Logger } from './platform/logger';
import { loadSecrets } from './platform/secrets';
import { loadReference } from './reference/store';
import { hasAnyReport } from './reports/store';

export interface RunningServer {
  server: Server;
  port: number;
  stop(): Promise<void>;
}

/** Starts the portal: config → database (server or embedded) → migrate → demo data → app → listen. */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const secrets = await loadSecrets(config);
  const database = await openDatabase(config);
  if (config.seedDemo && !(await hasAnyReport(database.db))) {
    const added = await seedDemo(database.db, config);
    logger.info({ reports: added }, 'loaded demo data into the empty database');
  }
  const reference = await loadReference(database.db);
  const app = createApp({ config, db: database.db, reference, secrets, logger });
  const server = app.listen(config.PORT);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, database: database.embedded ? 'embedded' : 'server' }, 'listening');
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
      await database.close();
    },
  };
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
