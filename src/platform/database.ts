import path from 'node:path';
import type { Config } from './config';
import { migrateToLatest, openDb, type Db } from './db';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded-db';
import { makePrivateDir } from './private-files';

// PGlite has one backend, and pglite-socket interleaves the protocol messages of concurrent connections
// (measured: ~18 % of requests failed with 4 concurrent writers, "prepared statement does not exist").
// One pooled connection serializes them; transactions already pass their handle along (DESIGN section 3).
export const EMBEDDED_MAX_CONNECTIONS = 1;

export interface OpenDatabase {
  db: Db;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured database: the server at DATABASE_URL, or PGlite under DATA_DIR/pgdata served on a
 * Unix socket in DATA_DIR/run (see embedded-db.ts). Migrates
 * it to the latest schema either way, so every start runs on the code's schema.
 */
export async function openDatabase(config: Config): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    // Everything this process writes from now on is for the service user alone: PGlite's later files
    // (new WAL segments, relation files) and anything else under DATA_DIR (promise 1 on a shared host).
    process.umask(0o077);
    await makePrivateDir(config.DATA_DIR);
    embedded = await startEmbeddedDatabase({
      dataDir: path.resolve(config.DATA_DIR, 'pgdata'),
      socketDir: path.resolve(config.DATA_DIR, 'run'),
    });
    url = embedded.url;
  }
  const db = openDb(url, { maxConnections: embedded ? EMBEDDED_MAX_CONNECTIONS : 10 });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    await embedded?.stop();
    // A least-privilege application role (docker-compose, README) may not change the schema: with
    // migrations pending, say who must run them rather than print "permission denied".
    if ((error as { code?: unknown }).code === '42501')
      throw new Error(
        'Migrations are pending and this database role may not change the schema: run ' +
          '`npm run migrate` (or `node dist/src/cli/migrate.js`) with DATABASE_URL set to the owner role first.',
        { cause: error },
      );
    throw error;
  }
  return {
    db,
    embedded: Boolean(embedded),
    async close() {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
